/**
 * `npm run campaign -- import <file> [--stage <name>] [--allow-removal] [--token <JWT> [--api <url>]]`:
 * validates the file, then writes only what changed (a second import of the same file writes
 * nothing) and says so.
 *
 * Two ways in: with `--token` (or QUOTA_TOKEN) the file goes through the HTTP API
 * (`PUT /v1/campaigns/{id}`) of the local system, of `--api <url>`, or of the stage's ApiUrl, so the
 * campaign authority of the token's grants applies exactly as over HTTP (a district administrator
 * changes only its district). Without a token it writes the tables directly: the operator's path,
 * whose AWS credentials (or local machine) are themselves full authority.
 */
import { readFile } from 'node:fs/promises';
import { ImportRefused, importCampaign } from '../../../shared/catalog/import.js';
import { formatFromFileName, formatProblem, parseCampaignText } from '../../../shared/catalog/parse.js';
import { parseEnv } from '../../../shared/config/env.js';
import {
  describePlan,
  type PlanCounts,
  planCounts,
  planSummaryLine,
} from '../../../shared/domain/import-plan.js';
import { runMigration, settleMsFrom } from '../../../shared/jobs/migration-job.js';
import type { CampaignFile } from '../../../shared/schemas/campaign.js';
import { DynamoCampaignStore } from '../../../shared/store/campaign-store.js';
import { reorganisePorts } from '../../../shared/store/migration-store.js';
import { parseOneArgument } from '../arguments.js';
import { CliError, resolveApiUrl, resolveTarget } from './target.js';

/** The file through `PUT /v1/campaigns/{id}`: the API judges the token's authority, as for any caller. */
async function importThroughApi(
  base: string,
  token: string,
  file: CampaignFile,
  allowRemoval: boolean,
  fileName: string,
  dryRun = false,
): Promise<number> {
  const url = new URL(
    `v1/campaigns/${encodeURIComponent(file.campaign.id)}`,
    base.endsWith('/') ? base : `${base}/`,
  );
  if (allowRemoval) url.searchParams.set('allowRemoval', 'true');
  if (dryRun) url.searchParams.set('dryRun', 'true');
  console.error(
    `importing ${fileName} (${file.units.length} units) through ${url.origin} with the given token`,
  );
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(file),
      signal: AbortSignal.timeout(120_000),
    });
  } catch (error) {
    throw new CliError(`${url.origin} did not answer: ${(error as Error).message}`);
  }
  const body = (await response.json().catch(() => ({}))) as {
    title?: string;
    detail?: string;
    message?: string;
    errors?: { path: string; message: string }[];
    campaign?: string;
    dryRun?: boolean;
    units?: Record<string, number>;
    changes?: string[];
    reorganisation?: { epoch: number; status: string };
  };
  if (!response.ok) {
    for (const e of body.errors ?? []) console.error(`${fileName}: ${e.path}: ${e.message}`);
    throw new CliError(
      `${response.status} ${body.title ?? body.message ?? response.statusText}${body.detail ? `: ${body.detail}` : ''}`,
    );
  }
  const u = body.units ?? {};
  const reorganisation = body.reorganisation;
  for (const line of importSummary({
    campaignId: file.campaign.id,
    campaign: body.campaign ?? 'unchanged',
    units: {
      created: u.created ?? 0,
      updated: u.updated ?? 0,
      removed: u.removed ?? 0,
      unchanged: u.unchanged ?? 0,
    },
    changes: body.changes ?? [],
    dryRun: body.dryRun === true,
    ...(reorganisation && { reorganisation: { epoch: reorganisation.epoch, status: reorganisation.status } }),
  }))
    console.log(line);
  return 0;
}

/** What an import did (or, dry, would do), whichever way it went in. */
export interface ImportSummary {
  readonly campaignId: string;
  /** created, updated or unchanged. */
  readonly campaign: string;
  readonly units: PlanCounts;
  /** One line per change, indented (shared/domain/import-plan.ts, describePlan). */
  readonly changes: readonly string[];
  readonly dryRun: boolean;
  /** Its first passes: how many day items moved when known, and where it stands. */
  readonly reorganisation?: { readonly epoch: number; readonly moved?: number; readonly status: string };
}

/** `reorganisation epoch 2: 12 day item(s) moved; pending (the scheduled job finishes it)`. */
export function reorganisationLine(reorg: NonNullable<ImportSummary['reorganisation']>): string {
  const moved = reorg.moved === undefined ? '' : `${reorg.moved} day item(s) moved; `;
  const rest = reorg.status === 'converged' ? '' : ' (the scheduled job finishes it)';
  return `reorganisation epoch ${reorg.epoch}: ${moved}${reorg.status}${rest}`;
}

/**
 * The summary an import prints on stdout, in one wording with `--token` (the API's answer) and
 * without (the plan written here): `campaign <id>: <created|updated|unchanged>; units: …`.
 */
export function importSummary(summary: ImportSummary): string[] {
  const reorg = summary.reorganisation;
  return [
    planSummaryLine(summary.campaignId, summary.campaign, summary.units),
    ...summary.changes,
    ...(summary.dryRun ? ['dry run: nothing written'] : []),
    ...(reorg && !summary.dryRun ? [reorganisationLine(reorg)] : []),
  ];
}

const USAGE =
  'usage: npm run campaign -- import <file.json|file.csv> [--stage <name>] [--allow-removal] [--dry-run] [--token <JWT> [--api <url>]]';

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
  const parsed = parseOneArgument(
    argv,
    { strings: ['stage', 'token', 'api'], flags: ['allow-removal', 'dry-run'] },
    USAGE,
  );
  if (!parsed) return 2;
  const fileName = parsed.argument;
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
    const token = parsed.values.token ?? process.env.QUOTA_TOKEN;
    if (token) {
      const base = await resolveApiUrl(parsed.values.stage, parsed.values.api);
      return await importThroughApi(
        base,
        token,
        file,
        parsed.values['allow-removal'] ?? false,
        fileName,
        parsed.values['dry-run'] ?? false,
      );
    }
    if (parsed.values.api)
      throw new CliError('--api needs --token (or QUOTA_TOKEN): the API checks the token');
    const target = await resolveTarget(parsed.values.stage);
    console.error(`importing ${fileName} (${file.units.length} units) into the ${target.description}`);
    const store = new DynamoCampaignStore(target.db, target.tables.campaign);
    const reorganise = reorganisePorts(target.db, target.tables.campaign, {
      indexSettleMs: parsed.values.stage ? 2_000 : 0,
    });
    const plan = await importCampaign(store, file, {
      allowRemoval: parsed.values['allow-removal'] ?? false,
      onProgress: progressPrinter('writing units'),
      reorganise,
      dryRun: parsed.values['dry-run'] ?? false,
    });
    const dryRun = parsed.values['dry-run'] ?? false;
    for (const line of importSummary({
      campaignId: plan.campaign.id,
      campaign: plan.campaignStatus,
      units: planCounts(plan),
      changes: describePlan(plan).slice(1),
      dryRun,
    }))
      console.log(line);
    if (plan.reorganisation && !dryRun) {
      // The first passes now; the scheduled risk job resumes an interrupted one.
      const run = await runMigration(
        {
          migrations: reorganise.migrations,
          clock: () => new Date(),
          settleMs: settleMsFrom(parseEnv(process.env)),
        },
        file.campaign.id,
      );
      console.log(
        reorganisationLine({
          epoch: plan.reorganisation.epoch,
          moved: run?.moved ?? 0,
          status: run?.status ?? 'pending',
        }),
      );
    }
    return 0;
  } catch (error) {
    if (error instanceof CliError || error instanceof ImportRefused) {
      console.error(`import: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
