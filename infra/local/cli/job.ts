/**
 * `npm run job -- risk --campaign <id> [--as-of <ISO>]` (also `report …` and `reorganise [--campaign <id>]`):
 * runs a scheduled job now in the running local system, which handles it exactly as a scheduled
 * run (same handler, same SNS stand-in writing .local/alerts.jsonl). As the other CLIs do, it says
 * what ran on the console (stderr: a line per campaign, `jobSummary`) and prints the job's answer as
 * JSON on stdout, where scripts read it.
 */
import type { MigrationRun } from '../../../shared/jobs/migration-job.js';
import type { ReportRun } from '../../../shared/jobs/report-job.js';
import type { CampaignRun } from '../../../shared/jobs/risk-job.js';
import { answerDetail, parseOneArgument } from '../arguments.js';
import { localPaths } from '../paths.js';
import { readRuntimeDescriptor } from '../runtime/descriptor.js';
import { loadOrCreateKeys, mintToken } from '../tokens.js';

const USAGE = `usage: npm run job -- <job> [--campaign <id>] [--as-of <ISO 8601>] [--unit <id>] [--week <YYYY-Www> | --final]
jobs: risk, report, reorganise`;

export async function runJobCli(argv: string[]): Promise<number> {
  if (argv.length === 1 && ['help', '--help', '-h'].includes(argv[0] as string)) {
    console.log(USAGE);
    return 0;
  }
  const parsed = parseOneArgument(
    argv,
    { strings: ['campaign', 'as-of', 'unit', 'week', 'stage'], flags: ['final'] },
    USAGE,
  );
  if (!parsed) return 2;
  const job = parsed.argument;
  if (parsed.values.stage !== undefined) {
    console.error(
      'job: --stage is not supported yet; in AWS run the function directly, e.g. `aws lambda invoke --function-name <RiskFunctionName output> --payload \'{"campaignId":"…"}\' out.json`',
    );
    return 1;
  }
  const asOf = parsed.values['as-of'];
  if (typeof asOf === 'string' && Number.isNaN(Date.parse(asOf))) {
    console.error(`job: --as-of "${asOf}" is not an ISO 8601 date-time (e.g. 2021-03-13T22:30:00+07:00)`);
    return 2;
  }
  const paths = localPaths();
  const runtime = await readRuntimeDescriptor(paths);
  if (!runtime) {
    console.error('job: the local system is not running: start it with `npm start` in another terminal');
    return 1;
  }
  const token = await mintToken(await loadOrCreateKeys(paths.keys), {
    sub: 'cli:job',
    units: ['*'],
    scope: 'admin',
  });
  const body = {
    ...(parsed.values.campaign !== undefined && { campaignId: parsed.values.campaign }),
    ...(asOf !== undefined && { asOf }),
    ...(parsed.values.unit !== undefined && { unitId: parsed.values.unit }),
    ...(parsed.values.week !== undefined && { week: parsed.values.week }),
    ...(parsed.values.final === true && { final: true }),
  };
  const response = await fetch(`${runtime.url}/local/jobs/${encodeURIComponent(job)}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) {
    // problem+json from the function, or the gateway's own {"message":"Unauthorized"}.
    const detail = answerDetail(text, ['detail', 'message']);
    console.error(`job ${job}: ${detail}`);
    return 1;
  }
  const answer = JSON.parse(text) as { job?: string; result?: unknown };
  for (const line of jobSummary(job, answer.result)) console.error(line);
  console.log(JSON.stringify(answer, null, 2));
  return 0;
}

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** `critical 2, at_risk 5`: the levels that occur, worst first. */
function levelCounts(levels: CampaignRun['levels']): string {
  const order = ['missed', 'critical', 'at_risk', 'on_track', 'done', 'no_data'] as const;
  return order
    .filter((level) => (levels[level] ?? 0) > 0)
    .map((level) => `${level} ${levels[level]}`)
    .join(', ');
}

function riskLine(run: CampaignRun): string {
  const levels = levelCounts(run.levels);
  const head = `risk ${run.campaignId} as of ${run.asOf}: ${count(run.units, 'unit')} evaluated${levels ? ` (${levels})` : ''}`;
  if (run.alreadyEvaluated) return `${head}; this moment was already evaluated, nothing new decided`;
  return `${head}; ${count(run.notifications, 'alert')} decided, ${run.enqueued} queued, ${run.published} sent`;
}

function reportLine(run: ReportRun): string {
  const stored = (['created', 'replaced', 'unchanged'] as const)
    .map((state) => [state, run.reports.filter((r) => r.stored === state).length] as const)
    .filter(([, n]) => n > 0)
    .map(([state, n]) => `${n} ${state}`)
    .join(', ');
  return `report ${run.campaignId} ${run.period}: ${count(run.reports.length, 'report')} written${stored ? ` (${stored})` : ''}, ${count(run.summariesSent, 'summary', 'summaries')} sent`;
}

const migrationLine = (job: string, run: MigrationRun) =>
  `${job} ${run.campaignId}: reorganisation epoch ${run.epoch} ${run.status}, ${count(run.passes, 'pass', 'passes')}, ${count(run.moved, 'day item')} moved`;

/**
 * The console lines that say what a job did, one per campaign it ran for, from its answer's `result`
 * (risk: units evaluated by level, alerts decided, queued and sent; report: reports written, summaries
 * sent; reorganise: each migration's passes and moves). A result of another shape: that it ran.
 */
export function jobSummary(job: string, result: unknown): string[] {
  const { runs, migrations, failed } = (result ?? {}) as {
    runs?: unknown[];
    migrations?: MigrationRun[];
    failed?: string[];
  };
  if (!Array.isArray(runs) || !['risk', 'report', 'reorganise'].includes(job)) return [`${job}: done`];
  const lines = (migrations ?? []).map((run) => migrationLine(job, run));
  for (const run of runs) {
    if (job === 'risk') lines.push(riskLine(run as CampaignRun));
    else if (job === 'report') lines.push(reportLine(run as ReportRun));
    else lines.push(migrationLine(job, run as MigrationRun));
  }
  for (const campaignId of failed ?? []) lines.push(`${job} ${campaignId}: failed (see the system's log)`);
  if (lines.length > 0) return lines;
  return [job === 'reorganise' ? `${job}: no reorganisation to run` : `${job}: no campaign to run`];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runJobCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(`job: ${(error as Error).message}`);
      process.exitCode = 1;
    },
  );
}
