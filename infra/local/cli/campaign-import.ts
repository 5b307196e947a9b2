/**
 * `npm run campaign -- import <file> [--stage <name>] [--allow-removal]`: validates the file,
 * then writes only what changed (a second import of the same file writes nothing) and says so.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ImportRefused, importCampaign } from '../../../shared/catalog/import.js';
import { formatFromFileName, formatProblem, parseCampaignText } from '../../../shared/catalog/parse.js';
import { describePlan } from '../../../shared/domain/import-plan.js';
import { DynamoCampaignStore } from '../../../shared/store/campaign-store.js';
import { CliError, resolveTarget } from './target.js';

const USAGE = 'usage: npm run campaign -- import <file.json|file.csv> [--stage <name>] [--allow-removal]';

/** Progress on stderr: a rewritten line on a terminal, a line per 10 % otherwise. */
function progressPrinter(label: string) {
  let lastDecile = -1;
  return (done: number, total: number) => {
    const percent = Math.floor((done / total) * 100);
    if (process.stderr.isTTY) {
      process.stderr.write(`\r${label} ${done}/${total} (${percent} %)${done === total ? '\n' : ''}`);
    } else if (Math.floor(percent / 10) > lastDecile || done === total) {
      lastDecile = Math.floor(percent / 10);
      process.stderr.write(`${label} ${done}/${total} (${percent} %)\n`);
    }
  };
}

export async function runImport(argv: string[]): Promise<number> {
  let parsed: { values: { stage?: string; 'allow-removal'?: boolean }; positionals: string[] };
  try {
    parsed = parseArgs({
      args: argv,
      options: { stage: { type: 'string' }, 'allow-removal': { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const [fileName, ...extra] = parsed.positionals;
  if (!fileName || extra.length > 0) {
    console.error(USAGE);
    return 2;
  }
  try {
    const format = formatFromFileName(fileName);
    let text: string;
    try {
      text = await readFile(fileName, 'utf8');
    } catch (error) {
      throw new CliError(`${fileName}: cannot read: ${(error as Error).message}`);
    }
    const { file, problems } = parseCampaignText(text, format);
    for (const p of problems) console.error(formatProblem(fileName, p));
    const errors = problems.filter((p) => p.severity === 'error').length;
    if (!file || errors > 0) {
      console.error(`${fileName}: ${errors} error(s); nothing imported`);
      return 1;
    }
    const target = await resolveTarget(parsed.values.stage);
    console.error(`importing ${fileName} (${file.units.length} units) into the ${target.description}`);
    const store = new DynamoCampaignStore(target.db, target.tables.campaign);
    const plan = await importCampaign(store, file, {
      allowRemoval: parsed.values['allow-removal'] ?? false,
      onProgress: progressPrinter('writing units'),
    });
    for (const line of describePlan(plan)) console.log(line);
    return 0;
  } catch (error) {
    if (error instanceof CliError || error instanceof ImportRefused) {
      console.error(`import: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
