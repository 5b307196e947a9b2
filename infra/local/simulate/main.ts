/**
 * `npm run simulate -- --scenario <name|file> [--days N] [--pace on-track|lagging|mixed] [--seed S]
 *  [--attach] [--keep] [--run-tag T]`
 *
 * Simulates a campaign's first N days through the HTTP API (see run.ts): a progress bar on stderr,
 * the summary on stdout (deterministic for the same seed on a fresh store), then one timing line.
 * Exit 0 when every planned event was stored once and every unit's totals are exact; 1 otherwise
 * (the differences are listed); 2 for bad arguments.
 */
import { parseArguments } from '../arguments.js';
import { PACES, type Pace } from './plan.js';
import { runSimulation, SimulationSetupError } from './run.js';

export { runSimulation } from './run.js';

const USAGE = `usage: npm run simulate -- --scenario <name|file> [--days <n>] [--pace on-track|lagging|mixed] [--seed <n>] [--attach] [--keep] [--run-tag <tag>] [--reorganise-on-day <n>]

  --scenario  a scenario name (hung-yen-2021, thanh-hoa-2021: scenarios/<name>.json) or a campaign file (.json, .csv)
  --days      simulated days from the campaign's start date (default 14)
  --pace      on-track (1.05-1.2x the required daily rate per unit), lagging (0.4-0.7x), or mixed (30 % of units lagging; default)
  --seed      the random seed (default 1): the same seed gives the same events and, on a fresh store, the same summary
  --attach    use the running \`npm start\` (its .local/ store) instead of starting a fresh in-process system on a temporary store
  --keep      keep the temporary store (alerts.jsonl, simulate.log, dynamodb/) for inspection (always kept when the run fails)
  --run-tag   mixed into eventIds (default: none on a fresh store, a new tag per run with --attach)
  --reorganise-on-day  on the morning of day n, import the 2025 reform of the scenario (the level above the
              communes removed, the root's first two provinces merged; infra/local/simulate/reform.ts); the check
              then expects every unit on the new tree, merged units showing their past`;

const DEFAULTS = { days: 14, pace: 'mixed' as Pace, seed: 1 };

/** Ctrl-C presses so far (the first stops the run cleanly, the second exits at once). */
let interrupted = 0;

export async function runSimulateCli(argv: string[]): Promise<number> {
  const parsed = parseArguments(
    argv,
    {
      strings: ['scenario', 'days', 'pace', 'seed', 'run-tag', 'reorganise-on-day'],
      flags: ['attach', 'keep', 'help'],
      short: { help: 'h' },
    },
    USAGE,
    'simulate',
  );
  if (!parsed) return 2;
  const { values } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const usage = (message: string) => {
    console.error(`simulate: ${message}\n${USAGE}`);
    return 2;
  };
  const scenario = values.scenario;
  if (typeof scenario !== 'string' || scenario === '') return usage('--scenario is required');
  const days = values.days === undefined ? DEFAULTS.days : Number(values.days);
  if (!Number.isInteger(days) || days < 1)
    return usage(`--days must be a whole number of at least 1, not "${values.days}"`);
  const pace = (values.pace ?? DEFAULTS.pace) as Pace;
  if (!PACES.includes(pace)) return usage(`--pace must be one of ${PACES.join(', ')}, not "${values.pace}"`);
  const seed = values.seed === undefined ? DEFAULTS.seed : Number(values.seed);
  if (!Number.isSafeInteger(seed)) return usage(`--seed must be a whole number, not "${values.seed}"`);
  const reorganiseOnDay =
    values['reorganise-on-day'] === undefined ? undefined : Number(values['reorganise-on-day']);
  if (reorganiseOnDay !== undefined && (!Number.isInteger(reorganiseOnDay) || reorganiseOnDay < 2))
    return usage(
      `--reorganise-on-day must be a day number of at least 2, not "${values['reorganise-on-day']}"`,
    );
  const runTag = values['run-tag'];
  if (typeof runTag === 'string' && !/^[A-Za-z0-9_-]{1,16}$/.test(runTag))
    return usage('--run-tag must be 1 to 16 letters, digits, "_" or "-"');

  // Ctrl-C: stop between posts and shut the in-process system (DynamoDB Local included) down cleanly.
  const abort = new AbortController();
  const onSignal = () => {
    interrupted++;
    if (interrupted > 1) process.exit(130);
    console.error('\nsimulate: stopping after the current post (Ctrl-C again to force)…');
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const outcome = await runSimulation({
      scenario,
      days,
      pace,
      seed,
      attach: values.attach === true,
      keep: values.keep === true,
      ...(typeof runTag === 'string' && { runTag }),
      ...(reorganiseOnDay !== undefined && { reorganiseOnDay }),
      signal: abort.signal,
    });
    console.log(outcome.summary);
    console.log(outcome.timing);
    return outcome.ok ? 0 : 1;
  } catch (error) {
    if (error instanceof SimulationSetupError) {
      if (error.exitCode === 2) return usage(error.message);
      console.error(`simulate: ${error.message}`);
      return error.exitCode;
    }
    console.error(`simulate: ${(error as Error).message}`);
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runSimulateCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
      // After Ctrl-C the system is already stopped; posts still retrying in the client need not finish.
      if (interrupted > 0) process.exit(code === 0 ? 130 : code);
    },
    (error: unknown) => {
      console.error(`simulate: ${(error as Error).message}`);
      process.exitCode = 1;
    },
  );
}
