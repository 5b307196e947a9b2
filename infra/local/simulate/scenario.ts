/** The simulator's scenario: a name under scenarios/ or a campaign file, loaded and checked. */
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { formatFromFileName, formatProblem, parseCampaignText } from '../../../shared/catalog/parse.js';
import type { CampaignFile } from '../../../shared/schemas/campaign.js';
import { REPO_ROOT } from '../paths.js';

/** Thrown for a usage problem the user can fix (unknown scenario, bad file, no running system). */
export class SimulationSetupError extends Error {
  override readonly name = 'SimulationSetupError';
  constructor(
    message: string,
    /** 2: a bad argument; 1: something to start or fix first (no running system). */
    readonly exitCode: 1 | 2 = 2,
  ) {
    super(message);
  }
}

const SCENARIOS_DIR = join(REPO_ROOT, 'scenarios');

/** `hung-yen-2021` → scenarios/hung-yen-2021.json; anything with a path or an extension is a file. */
export function resolveScenario(scenario: string): string {
  if (!scenario.includes('/') && extname(scenario) === '') {
    const file = join(SCENARIOS_DIR, `${scenario}.json`);
    if (existsSync(file)) return file;
    const known = readdirSync(SCENARIOS_DIR)
      .filter((f) => f.endsWith('.json'))
      .map((f) => basename(f, '.json'))
      .sort();
    throw new SimulationSetupError(
      `no scenario "${scenario}"; scenarios: ${known.join(', ')} (or give a file)`,
    );
  }
  const file = resolve(process.cwd(), scenario);
  if (!existsSync(file)) throw new SimulationSetupError(`no such file: ${scenario}`);
  return file;
}

export async function loadScenario(scenario: string): Promise<CampaignFile> {
  const file = resolveScenario(scenario);
  let format: ReturnType<typeof formatFromFileName>;
  try {
    format = formatFromFileName(file);
  } catch (error) {
    throw new SimulationSetupError((error as Error).message);
  }
  const parsed = parseCampaignText(await readFile(file, 'utf8'), format);
  if (!parsed.file) {
    const errors = parsed.problems.filter((p) => p.severity === 'error');
    throw new SimulationSetupError(
      `${basename(file)} is not a valid campaign file:\n${errors.map((p) => formatProblem(basename(file), p)).join('\n')}`,
    );
  }
  return parsed.file;
}
