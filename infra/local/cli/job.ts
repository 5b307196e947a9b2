/**
 * `npm run job -- risk --campaign <id> [--as-of <ISO>]` (also `report …` and `reorganise [--campaign <id>]`):
 * runs a scheduled job now in the running local system, which handles it exactly as a scheduled
 * run (same handler, same SNS stand-in writing .local/alerts.jsonl), and prints its summary.
 */
import { answerDetail, parseOneArgument } from '../arguments.js';
import { localPaths } from '../paths.js';
import { readRuntimeDescriptor } from '../runtime.js';
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
  console.log(JSON.stringify(JSON.parse(text), null, 2));
  return 0;
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
