/**
 * The simulator's driver (the day loop around plan.ts, ledger.ts and summary.ts): it opens a local
 * system (system.ts: its own on a fresh temporary store, or the running `npm start`), loads the
 * scenario and registers leaders over the admin API (api.ts), posts every planned event through
 * the typed IntakeClient, lets the roll-up settle, runs the risk job each simulated evening and the
 * report job each simulated Monday, then reads every unit's figures back over the progress API and
 * holds them against its own ledger (result.ts).
 */
import type { IntakeOutcome } from '../../../shared/client/index.js';
import { isStored } from '../../../shared/client/index.js';
import { buildHierarchy } from '../../../shared/domain/hierarchy.js';
import { effectiveUnit } from '../../../shared/domain/reorganise.js';
import type { CampaignRun } from '../../../shared/jobs/risk-job.js';
import type { CampaignFile } from '../../../shared/schemas/campaign.js';
import { mapConcurrent } from '../../../shared/util/concurrency.js';
import {
  connect,
  putCampaign,
  type Reading,
  readAll,
  readTree,
  registerLeaders,
  runReportJob,
  runRiskJob,
} from './api.js';
import { compareFigures, Ledger, type UnitFigures } from './ledger.js';
import {
  type Pace,
  type PlannedEvent,
  planSimulation,
  RISK_TIME,
  type SimulationPlan,
  toIntakeEvent,
} from './plan.js';
import { ProgressBar, type ProgressSink } from './progress.js';
import { reform2025 } from './reform.js';
import {
  assembleResult,
  checkReading,
  expectedFigures,
  plusBaseline,
  type Reorganised,
  readDeliveries,
  sizeOf,
  tallyLevels,
} from './result.js';
import { loadScenario, SimulationSetupError } from './scenario.js';
import { formatLevels, formatSummary, formatTiming, passed, type SimulationResult } from './summary.js';
import { closeSystem, openSystem, type SimulatedSystem } from './system.js';

export { loadScenario, resolveScenario, SimulationSetupError } from './scenario.js';

export interface SimulationOptions {
  /** A scenario name (`hung-yen-2021`: scenarios/hung-yen-2021.json) or a campaign file (.json or .csv). */
  readonly scenario: string;
  readonly days: number;
  readonly pace: Pace;
  readonly seed: number;
  /** Use the running `npm start` (found through its runtime descriptor) instead of a fresh store. */
  readonly attach?: boolean;
  /** Keep the temporary state directory (it is always kept when the run fails). */
  readonly keep?: boolean;
  /** Mixed into eventIds. Default: none on a fresh store; a new tag per run when attached. */
  readonly runTag?: string;
  /** Progress bar and notes; default process.stderr, null for none. */
  readonly progress?: ProgressSink | null;
  /** Stops the run between posts (Ctrl-C); the system is stopped cleanly. */
  readonly signal?: AbortSignal;
  /**
   * Imports the 2025 reform of the scenario (./reform.ts) on the morning of this simulated day
   * (1-based); from then on, events planned for merged units go to their successor, and the check
   * expects every unit on the new tree (merged units: their past).
   */
  readonly reorganiseOnDay?: number;
}

export interface SimulationOutcome {
  readonly ok: boolean;
  readonly result: SimulationResult;
  /** Deterministic for the same seed on a fresh store. */
  readonly summary: string;
  /** Wall-clock time, on its own line. */
  readonly timing: string;
  /** The temporary state directory when it was kept, else null (attached runs: null). */
  readonly stateDir: string | null;
}

const DRAIN_TIMEOUT_MS = 120_000;
const ATTACHED_SETTLE_TIMEOUT_MS = 60_000;
const FAILED_RETRY_ROUNDS = 5;
/**
 * Posts in flight at once (several posts' tablets online together). Whatever the interleaving, each
 * eventId is stored once and every other send of it is a duplicate, so the counts do not change.
 */
const POSTS_IN_FLIGHT = 2;

/** Runs one simulation (see the module comment). Never throws for a failed check: `ok` says. */
export async function runSimulation(options: SimulationOptions): Promise<SimulationOutcome> {
  const started = Date.now();
  const phases = { system: 0, posting: 0, rollup: 0, jobs: 0, check: 0 };
  const timed = async <T>(phase: keyof typeof phases, work: () => Promise<T>): Promise<T> => {
    const t = Date.now();
    try {
      return await work();
    } finally {
      phases[phase] += Date.now() - t;
    }
  };
  const file = await loadScenario(options.scenario);
  const runTag = options.runTag ?? (options.attach ? `r${Date.now().toString(36)}` : '');
  let plan: SimulationPlan;
  try {
    plan = planSimulation(file, { days: options.days, pace: options.pace, seed: options.seed, runTag });
  } catch (error) {
    if (error instanceof RangeError) throw new SimulationSetupError(`--days: ${error.message}`);
    throw error;
  }
  const lastDay = plan.days.at(-1)?.day ?? file.campaign.startDate;
  const lastAsOf = plan.days.at(-1)?.riskAsOf ?? '';
  if (Date.parse(lastAsOf) > Date.now()) {
    throw new SimulationSetupError(`the simulated days must lie in the past (the last would be ${lastDay})`);
  }
  let hierarchy = buildHierarchy(file.units);
  const campaignId = file.campaign.id;
  const reformed = options.reorganiseOnDay === undefined ? null : reform2025(file);
  if (reformed && (options.reorganiseOnDay ?? 0) > options.days) {
    throw new SimulationSetupError(
      `--reorganise-on-day ${options.reorganiseOnDay} is after the last day (${options.days})`,
    );
  }
  const out = options.progress === undefined ? process.stderr : options.progress;
  const bar = new ProgressBar(out, 1);

  // The system: our own on a fresh temporary store, or the running one.
  const opened: SimulatedSystem = await openSystem({
    attach: options.attach === true,
    runTag,
    bar,
    timeStart: (work) => timed('system', work),
  });
  const { system, paths } = opened;

  let ok = false;
  try {
    const { api, client } = await connect(opened.url, paths);
    const alertsOffset = await sizeOf(paths.alerts);

    // The campaign and its leaders.
    await timed('system', async () => {
      await putCampaign(api, campaignId, file);
      const notes = await registerLeaders(api, campaignId, plan.leaders, options.attach === true);
      for (const note of notes) bar.note(note);
    });
    const range = { from: file.campaign.startDate, to: lastDay };
    // Attached: what is already there, so that the check expects it plus this run.
    const baseline = options.attach
      ? await timed('check', () => readAll(api, campaignId, hierarchy, range, lastAsOf))
      : null;

    const ledger = new Ledger();
    const statuses = { accepted: 0, duplicate: 0, conflict: 0, rejected: 0, failed: 0 };
    const repeats = { resentWhole: 0, nextPost: 0, inBatch: 0 };
    const problems: string[] = [];
    const refused: string[] = [];
    let posts = 0;
    let postsResent = 0;
    let sends = 0;
    let queue: PlannedEvent[] = []; // failed sends, kept as an app's queue keeps them
    let riskRuns = 0;
    let lastRisk: CampaignRun | null = null;
    const reportWeeks: string[] = [];
    let reportsStored = 0;
    let summariesSent = 0;

    /** Before a reorganisation: null. After: the successor of each merged unit, and the past they keep. */
    let reorganised: Reorganised | null = null;
    const send = async (planned: readonly PlannedEvent[]) => {
      posts++;
      sends += planned.length;
      // Merged units take no intake: what was planned for them goes to their successor.
      const events = reorganised
        ? planned.map((e) => ({ ...e, unitId: (reorganised as Reorganised).successor(e.unitId) }))
        : planned;
      const outcomes: IntakeOutcome[] = await client.post(events.map(toIntakeEvent));
      outcomes.forEach((o, i) => {
        const event = events[i];
        if (!event) return;
        statuses[o.status]++;
        if (isStored(o)) ledger.record(event);
        else if (o.status === 'failed') queue.push(event);
        else if (refused.length < 10)
          refused.push(`${event.eventId}: ${o.status}${o.error ? ` (${o.error})` : ''}`);
      });
    };
    const flushQueue = async () => {
      for (let round = 0; round < FAILED_RETRY_ROUNDS && queue.length > 0; round++) {
        const retry = queue.filter((e) => !ledger.has(e.eventId));
        queue = [];
        if (retry.length === 0) break;
        await new Promise((r) => setTimeout(r, 1000 * (round + 1)));
        await send(retry);
      }
    };
    const runReport = async (week: string) => {
      await timed('jobs', async () => {
        try {
          const runs = await runReportJob(api, campaignId, week);
          reportWeeks.push(week);
          for (const r of runs) {
            reportsStored += r.reports.length;
            summariesSent += r.summariesSent;
          }
        } catch (error) {
          problems.push(`report job for ${week} failed: ${(error as Error).message}`);
        }
      });
    };
    /** What every unit must show once the roll-up has absorbed everything stored so far. */
    const expectedNow = (view: Map<string, UnitFigures> | undefined) =>
      plusBaseline(expectedFigures(ledger, hierarchy, reorganised), view);
    const reorganise = async (reform: CampaignFile) => {
      await putCampaign(api, campaignId, reform);
      const oldHierarchy = hierarchy;
      hierarchy = buildHierarchy(reform.units);
      const next = new Map(reform.units.map((u) => [u.id, u]));
      reorganised = {
        successor: (id) => effectiveUnit(next, id) ?? id,
        past: ledger.snapshot(),
        oldHierarchy,
      };
      // The new catalogue reaches intake within ~2.5 s (catalogue caches); wait that out.
      await new Promise((r) => setTimeout(r, 3_000));
    };
    const settle = async () => {
      if (system) {
        await system.streams.drain(DRAIN_TIMEOUT_MS);
        return;
      }
      // Attached (no drain to call): the roll-up is done when every unit shows what was stored.
      // The root alone is not enough: a batch's items are written one after another.
      const want = expectedNow(baseline?.live);
      const deadline = Date.now() + ATTACHED_SETTLE_TIMEOUT_MS;
      for (;;) {
        const { figures } = await readTree(api, campaignId, hierarchy);
        if (compareFigures(want, figures, { view: 'live', fields: 'totals' }).length === 0) return;
        if (Date.now() > deadline) return; // the final check will list what is missing
        await new Promise((r) => setTimeout(r, 250));
      }
    };

    const work =
      plan.days.reduce((sum, d) => sum + d.posts.reduce((s, p) => s + (p.resendWhole ? 2 : 1), 0) + 2, 0) + 1;
    bar.setTotal(work);
    const abortIfAsked = () => {
      if (options.signal?.aborted) throw new Error('stopped (interrupted)');
    };

    // Which simulated day each delivery belongs to (alerts.jsonl carries the wall-clock time).
    const dayOfLine: number[] = [];
    let linesSeen = 0;
    const tagDeliveries = async (dayIndex: number) => {
      const all = await readDeliveries(paths.alerts, alertsOffset, campaignId);
      for (; linesSeen < all.length; linesSeen++) dayOfLine.push(dayIndex);
    };

    for (const day of plan.days) {
      abortIfAsked();
      const label = `day ${day.index + 1}/${plan.days.length} ${day.day}`;
      if (reformed && day.index + 1 === options.reorganiseOnDay) {
        bar.status(`${label} reorganisation`);
        await timed('jobs', () => reorganise(reformed));
        bar.note(`${label}: reorganised (the 2025 reform pattern: ./reform.ts)`);
      }
      if (day.morningReport) {
        bar.status(`${label} report ${day.morningReport}`);
        await runReport(day.morningReport);
      }
      const before = { ...statuses };
      await timed('posting', async () => {
        await mapConcurrent(day.posts, POSTS_IN_FLIGHT, async (post) => {
          abortIfAsked();
          await send(post.sends);
          bar.advance(1, `${label} ${post.label.slice(11)}`);
          repeats.nextPost += post.carried;
          repeats.inBatch += post.inBatch;
          if (post.resendWhole) {
            postsResent++;
            repeats.resentWhole += post.sends.length;
            await send(post.sends);
            bar.advance(1);
          }
        });
        await flushQueue();
      });
      bar.status(`${label} roll-up`);
      await timed('rollup', settle);
      bar.advance(1, `${label} risk job`);
      await timed('jobs', async () => {
        try {
          const runs = await runRiskJob(api, campaignId, day.riskAsOf);
          riskRuns++;
          lastRisk = runs.find((r) => r.campaignId === campaignId) ?? lastRisk;
        } catch (error) {
          problems.push(`risk job for ${day.riskAsOf} failed: ${(error as Error).message}`);
        }
      });
      await tagDeliveries(day.index);
      bar.advance(1);
      const accepted = statuses.accepted - before.accepted;
      const duplicates = statuses.duplicate - before.duplicate;
      const levels = (lastRisk as CampaignRun | null)?.levels ?? {};
      bar.note(
        `${label}: ${accepted.toLocaleString('en-US')} accepted, ${duplicates.toLocaleString('en-US')} duplicates; risk at ${RISK_TIME}: ${formatLevels(levels)}`,
      );
    }
    if (plan.closingReport) await runReport(plan.closingReport);

    // The check: every unit, three readings, against the ledger (plus what was there before).
    bar.status('checking every unit against the ledger');
    const asOfLabel = `as of ${lastAsOf}`;
    const compareAll = (reading: Reading) => checkReading(expectedNow, baseline, reading, asOfLabel);
    let reading = await timed('check', () => readAll(api, campaignId, hierarchy, range, lastAsOf));
    let mismatches = compareAll(reading);
    // Attached, DAY items may trail the TOTAL items the settling watched: read again for a while.
    const checkDeadline = Date.now() + ATTACHED_SETTLE_TIMEOUT_MS;
    while (!system && mismatches.length > 0 && Date.now() < checkDeadline) {
      await new Promise((r) => setTimeout(r, 500));
      reading = await timed('check', () => readAll(api, campaignId, hierarchy, range, lastAsOf));
      mismatches = compareAll(reading);
    }
    bar.advance(1);
    const planned = new Set(plan.days.flatMap((d) => d.posts.flatMap((p) => p.sends.map((e) => e.eventId))));
    const notStored = [...planned].filter((id) => !ledger.has(id)).length;
    if (refused.length > 0)
      problems.push(`events refused by the API (first ${refused.length}): ${refused.join('; ')}`);

    const lines = (await readDeliveries(paths.alerts, alertsOffset, campaignId)).map((l, i) => ({
      ...l,
      dayIndex: dayOfLine[i] ?? plan.days.length - 1,
    }));
    const result = assembleResult({
      file,
      plan,
      hierarchy,
      lastDay,
      asOfLabel,
      pace: options.pace,
      seed: options.seed,
      attach: options.attach === true,
      intake: { posts, postsResent, sends, repeats, statuses, notStored },
      mismatches,
      reading,
      levels: tallyLevels(hierarchy, reading, lastRisk as CampaignRun | null, lastAsOf),
      jobs: { riskRuns, reportWeeks, reportsStored, summariesSent },
      lines,
      problems,
    });
    ok = passed(result);
    bar.finish();
    const names = new Map(hierarchy.units.map((u) => [u.id, `${u.name} (${u.level})`]));
    const summary = formatSummary(result, names);
    const timing = formatTiming({
      wallMs: Date.now() - started,
      phases: [
        { name: 'system start and setup', ms: phases.system },
        { name: 'posting', ms: phases.posting },
        { name: 'roll-up settling', ms: phases.rollup },
        { name: 'jobs', ms: phases.jobs },
        { name: 'check', ms: phases.check },
      ],
      events: sends,
    });
    const stateDir = opened.stateDir;
    return { ok, result, summary, timing, stateDir: stateDir && (options.keep || !ok) ? stateDir : null };
  } finally {
    bar.finish();
    // Kept when asked, and when the run failed (to look into), but not after Ctrl-C.
    await closeSystem(opened, bar, options.keep === true || (!ok && !options.signal?.aborted));
  }
}
