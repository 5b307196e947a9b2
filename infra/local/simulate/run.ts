/**
 * The simulator's driver (the I/O around plan.ts, ledger.ts and summary.ts): it starts its own
 * local system on a fresh temporary store (or attaches to the running `npm start`), loads the
 * scenario and registers leaders over the admin API, posts every planned event through the typed
 * IntakeClient, lets the roll-up settle, runs the risk job each simulated evening and the report
 * job each simulated Monday, then reads every unit's figures back over the progress API and holds
 * them against its own ledger.
 */
import { existsSync, readdirSync } from 'node:fs';
import { appendFile, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, extname, join, resolve } from 'node:path';
import { formatFromFileName, formatProblem, parseCampaignText } from '../../../shared/catalog/parse.js';
import { IntakeClient, type IntakeOutcome, isStored } from '../../../shared/client/index.js';
import { buildHierarchy, type Hierarchy } from '../../../shared/domain/hierarchy.js';
import { effectiveUnit } from '../../../shared/domain/reorganise.js';
import type { ReportRun } from '../../../shared/jobs/report-job.js';
import type { CampaignRun } from '../../../shared/jobs/risk-job.js';
import type { CampaignFile } from '../../../shared/schemas/campaign.js';
import type {
  ChildrenResponse,
  DailyResponse,
  ProgressResponse,
  RiskLevel,
} from '../../../shared/schemas/progress.js';
import { mapConcurrent } from '../../../shared/util/concurrency.js';
import { type LocalPaths, localPaths, REPO_ROOT } from '../paths.js';
import { type LocalSystem, readRuntimeDescriptor, startLocalSystem } from '../runtime.js';
import { loadOrCreateKeys, mintToken } from '../tokens.js';
import {
  addFigures,
  compareFigures,
  Ledger,
  type Mismatch,
  type UnitFigures,
  unitsWithMismatches,
} from './ledger.js';
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
  type DeliveryLine,
  formatLevels,
  formatSummary,
  formatTiming,
  type LevelTally,
  passed,
  type SimulationResult,
  tallyDeliveries,
} from './summary.js';

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
const READ_CONCURRENCY = 8;
const DRAIN_TIMEOUT_MS = 120_000;
const ATTACHED_SETTLE_TIMEOUT_MS = 60_000;
const FAILED_RETRY_ROUNDS = 5;
/**
 * Posts in flight at once (several posts' tablets online together). Whatever the interleaving, each
 * eventId is stored once and every other send of it is a duplicate, so the counts do not change.
 */
const POSTS_IN_FLIGHT = 2;

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

class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** A small admin/leader HTTP client for what IntakeClient does not cover. */
class Api {
  constructor(
    readonly url: string,
    private readonly token: string,
  ) {}

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) {
      let detail = text;
      try {
        const problem = JSON.parse(text) as { detail?: string; title?: string };
        detail = problem.detail ?? problem.title ?? text;
      } catch {
        // not JSON: as is
      }
      throw new ApiError(response.status, `${method} ${path}: HTTP ${response.status}: ${detail}`);
    }
    return (text ? JSON.parse(text) : null) as T;
  }
}

/** Everything read back for the check: figures per view, and each unit's level at asOf. */
interface Reading {
  readonly live: Map<string, UnitFigures>;
  readonly asOf: Map<string, UnitFigures>;
  readonly daily: Map<string, UnitFigures>;
  readonly levels: Map<string, RiskLevel | null>;
  readonly rootPercent: number | null;
}

const figuresOf = (s: {
  total: number;
  byKind: Record<string, number>;
  byChannel: Record<string, number>;
  byGroup: Record<string, number>;
}): UnitFigures => ({ total: s.total, byKind: s.byKind, byChannel: s.byChannel, byGroup: s.byGroup });

/** Each unit's figures from the root's progress and the children of every unit that has any (1 + parents requests). */
async function readTree(api: Api, campaignId: string, hierarchy: Hierarchy, asOf?: string) {
  const base = `/v1/campaigns/${encodeURIComponent(campaignId)}/units`;
  const q = asOf === undefined ? '' : `?asOf=${encodeURIComponent(asOf)}`;
  const root = hierarchy.root.id;
  const parents = hierarchy.units.filter((u) => hierarchy.childrenOf(u.id).length > 0).map((u) => u.id);
  const figures = new Map<string, UnitFigures>();
  const levels = new Map<string, RiskLevel | null>();
  const rootProgress = await api.request<ProgressResponse>(
    'GET',
    `${base}/${encodeURIComponent(root)}/progress${q}`,
  );
  figures.set(root, figuresOf(rootProgress));
  levels.set(root, rootProgress.risk.level);
  await mapConcurrent(parents, READ_CONCURRENCY, async (id) => {
    const { children } = await api.request<ChildrenResponse>(
      'GET',
      `${base}/${encodeURIComponent(id)}/children${q}`,
    );
    for (const c of children) {
      figures.set(c.unit.id, figuresOf(c));
      levels.set(c.unit.id, c.risk.level);
    }
  });
  // Merged units are in no children list: their own pages (which keep their past).
  const merged = hierarchy.units.filter((u) => u.mergedInto !== undefined);
  await mapConcurrent(merged, READ_CONCURRENCY, async (u) => {
    const page = await api.request<ProgressResponse>(
      'GET',
      `${base}/${encodeURIComponent(u.id)}/progress${q}`,
    );
    figures.set(u.id, figuresOf(page));
    levels.set(u.id, page.risk.level);
  });
  return { figures, levels, rootPercent: rootProgress.percent };
}

/** Every unit's daily series over the range (one request per unit). */
async function readDaily(
  api: Api,
  campaignId: string,
  hierarchy: Hierarchy,
  range: { from: string; to: string },
) {
  const base = `/v1/campaigns/${encodeURIComponent(campaignId)}/units`;
  const daily = new Map<string, UnitFigures>();
  await mapConcurrent(hierarchy.units, READ_CONCURRENCY, async (unit) => {
    const series = await api.request<DailyResponse>(
      'GET',
      `${base}/${encodeURIComponent(unit.id)}/daily?from=${range.from}&to=${range.to}`,
    );
    const days: Record<string, number> = {};
    for (const d of series.days) if (d.count !== 0) days[d.day] = d.count;
    daily.set(unit.id, { total: 0, byKind: {}, byChannel: {}, byGroup: {}, days });
  });
  return daily;
}

/**
 * Everything the check reads: the tree live (running totals) and as of `asOf` (summed
 * DAY items, with each unit's level then), and every unit's daily series.
 */
async function readAll(
  api: Api,
  campaignId: string,
  hierarchy: Hierarchy,
  range: { from: string; to: string },
  asOf: string,
): Promise<Reading> {
  const [live, then, daily] = await Promise.all([
    readTree(api, campaignId, hierarchy),
    readTree(api, campaignId, hierarchy, asOf),
    readDaily(api, campaignId, hierarchy, range),
  ]);
  return {
    live: live.figures,
    asOf: then.figures,
    daily,
    levels: then.levels,
    rootPercent: live.rootPercent,
  };
}

/** Lines of alerts.jsonl written after `offset` bytes, for one campaign. */
async function readDeliveries(file: string, offset: number, campaignId: string): Promise<DeliveryLine[]> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch {
    return [];
  }
  return bytes
    .subarray(offset)
    .toString('utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as DeliveryLine & { campaignId: string })
    .filter((l) => l.campaignId === campaignId);
}

const sizeOf = async (file: string) => {
  try {
    return (await stat(file)).size;
  } catch {
    return 0;
  }
};

/** Lines the in-process functions print (each alert delivery, …) go to a log file, not over the bar. */
function captureConsole(file: string): () => void {
  const original = { log: console.log, info: console.info };
  let chain = Promise.resolve();
  const write = (...args: unknown[]) => {
    const line = `${args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}\n`;
    chain = chain.then(() => appendFile(file, line)).catch(() => {});
  };
  console.log = write;
  console.info = write;
  return () => {
    console.log = original.log;
    console.info = original.info;
  };
}

let inProcessStarted = false;

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
  let system: LocalSystem | null = null;
  let paths: LocalPaths;
  let stateDir: string | null = null;
  let restoreConsole = () => {};
  let url: string;
  if (options.attach) {
    paths = localPaths();
    const running = await readRuntimeDescriptor(paths);
    if (!running) {
      throw new SimulationSetupError(
        `--attach: the local system is not running (no ${paths.runtime}); start it with \`npm start\``,
        1,
      );
    }
    url = running.url;
    bar.note(`attached to ${url} (state in ${paths.dir}); eventIds tagged "${runTag}"`);
  } else {
    if (inProcessStarted) {
      throw new Error(
        'runSimulation starts its own local system once per process (the function modules keep their first DynamoDB endpoint); run it in a new process',
      );
    }
    inProcessStarted = true;
    stateDir = await mkdtemp(join(tmpdir(), 'quota-simulate-'));
    paths = localPaths(stateDir);
    const logFile = join(stateDir, 'simulate.log');
    restoreConsole = captureConsole(logFile);
    bar.note(`starting a local system on a fresh store in ${stateDir} …`);
    try {
      system = await timed('system', () =>
        startLocalSystem({
          port: 0,
          paths,
          schedules: false,
          loadDemo: false,
          log: (line) => void appendFile(logFile, `${line}\n`).catch(() => {}),
        }),
      );
    } catch (error) {
      restoreConsole();
      await rm(stateDir, { recursive: true, force: true });
      throw error;
    }
    url = system.url;
  }

  let ok = false;
  try {
    const token = await mintToken(await loadOrCreateKeys(paths.keys), {
      sub: 'simulator',
      units: ['*'],
      scope: 'admin intake:write progress:read',
      ttlSeconds: 12 * 3600,
    });
    const api = new Api(url, token);
    // A busy DynamoDB Local can be slow: a generous timeout keeps slowness from turning into client retries.
    const client = new IntakeClient({
      baseUrl: url,
      token,
      baseDelayMs: 200,
      maxDelayMs: 5_000,
      requestTimeoutMs: 60_000,
    });
    const alertsOffset = await sizeOf(paths.alerts);

    // The campaign and its leaders.
    await timed('system', async () => {
      await api.request('PUT', `/v1/campaigns/${encodeURIComponent(campaignId)}`, file);
      const existing = options.attach
        ? (
            await api.request<{ recipients: { unitId: string; name: string }[] }>(
              'GET',
              `/v1/campaigns/${encodeURIComponent(campaignId)}/recipients`,
            )
          ).recipients
        : [];
      for (const leader of plan.leaders) {
        if (existing.some((r) => r.unitId === leader.unitId && r.name === leader.name)) continue;
        await api.request('POST', `/v1/campaigns/${encodeURIComponent(campaignId)}/recipients`, {
          unitId: leader.unitId,
          name: leader.name,
          ...(leader.sms !== undefined && { sms: leader.sms }),
          email: leader.email,
          lang: leader.lang,
        });
      }
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
    let reorganised: { successor: (id: string) => string; past: Ledger; oldHierarchy: Hierarchy } | null =
      null;
    const send = async (planned: readonly PlannedEvent[]) => {
      posts++;
      sends += planned.length;
      // Merged units take no intake: what was planned for them goes to their successor.
      const events = reorganised
        ? planned.map((e) => ({
            ...e,
            unitId: (reorganised as { successor: (id: string) => string }).successor(e.unitId),
          }))
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
          const { result } = await api.request<{ result: { runs: ReportRun[] } }>(
            'POST',
            '/local/jobs/report',
            {
              campaignId,
              week,
            },
          );
          reportWeeks.push(week);
          for (const r of result.runs) {
            reportsStored += r.reports.length;
            summariesSent += r.summariesSent;
          }
        } catch (error) {
          problems.push(`report job for ${week} failed: ${(error as Error).message}`);
        }
      });
    };
    /** What every unit must show once the roll-up has absorbed everything stored so far. */
    const expectedNow = (view: Map<string, UnitFigures> | undefined) => {
      const expected = expectedFigures();
      return new Map(
        [...expected].map(([id, f]) => {
          const before = view?.get(id);
          return [id, before ? addFigures(before, f) : f];
        }),
      );
    };
    /** The ledger on the tree of now: merged units show their past (on the tree they left). */
    const expectedFigures = () => {
      if (!reorganised) return ledger.expected(hierarchy);
      const h = hierarchy;
      const { successor, past, oldHierarchy } = reorganised;
      const figures = ledger.expected({ units: h.units, pathOf: (id) => h.pathOf(successor(id)) });
      const kept = past.expected(oldHierarchy);
      for (const u of h.units) {
        if (u.mergedInto === undefined) continue;
        const f = kept.get(u.id);
        if (f) figures.set(u.id, f);
      }
      return figures;
    };
    const reorganise = async (reform: CampaignFile) => {
      await api.request('PUT', `/v1/campaigns/${encodeURIComponent(campaignId)}`, reform);
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
          const { result } = await api.request<{ result: { runs: CampaignRun[] } }>(
            'POST',
            '/local/jobs/risk',
            {
              campaignId,
              asOf: day.riskAsOf,
            },
          );
          riskRuns++;
          lastRisk = result.runs.find((r) => r.campaignId === campaignId) ?? lastRisk;
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
    const compareAll = (reading: Reading): Mismatch[] => [
      ...compareFigures(expectedNow(baseline?.live), reading.live, { view: 'live', fields: 'totals' }),
      ...compareFigures(expectedNow(baseline?.asOf), reading.asOf, { view: asOfLabel, fields: 'totals' }),
      ...compareFigures(expectedNow(baseline?.daily), reading.daily, { view: 'daily', fields: 'days' }),
    ];
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

    // Levels per hierarchy level, as the API evaluates them at the last evening.
    const byLevel: LevelTally['byLevel'][number][] = [];
    for (const unit of hierarchy.units) {
      const level = reading.levels.get(unit.id);
      if (level === undefined || level === null) continue;
      let entry = byLevel.find((b) => b.level === unit.level);
      if (!entry) {
        entry = { level: unit.level, counts: {} };
        byLevel.push(entry);
      }
      const counts = entry.counts as Partial<Record<RiskLevel, number>>;
      counts[level] = (counts[level] ?? 0) + 1;
    }
    const finalRisk = lastRisk as CampaignRun | null;
    const levels: LevelTally | null = finalRisk
      ? {
          asOf: lastAsOf,
          counts: finalRisk.levels,
          byLevel,
          root: reading.levels.get(hierarchy.root.id) ?? null,
        }
      : null;

    const lines = (await readDeliveries(paths.alerts, alertsOffset, campaignId)).map((l, i) => ({
      ...l,
      dayIndex: dayOfLine[i] ?? plan.days.length - 1,
    }));
    const order = hierarchy.units.map((u) => u.id);
    const result: SimulationResult = {
      campaign: {
        id: campaignId,
        name: file.campaign.name,
        units: hierarchy.size,
        root: { id: hierarchy.root.id, name: hierarchy.root.name, target: hierarchy.root.target },
      },
      run: {
        from: file.campaign.startDate,
        to: lastDay,
        days: plan.days.length,
        pace: options.pace,
        seed: options.seed,
        store: options.attach ? 'attached' : 'fresh',
      },
      intake: {
        events: plan.events,
        applications: plan.applications,
        posts,
        postsResent,
        sends,
        repeats,
        statuses,
        notStored,
      },
      check: {
        units: hierarchy.size,
        exact: hierarchy.size - unitsWithMismatches(mismatches).size,
        views: [
          'running totals, by kind, channel, group',
          `the same summed from the days ${asOfLabel}`,
          'every daily count',
        ],
        mismatches,
      },
      root: { total: reading.live.get(hierarchy.root.id)?.total ?? 0, percent: reading.rootPercent },
      levels,
      jobs: { riskRuns, reportWeeks, reportsStored, summariesSent },
      deliveries: tallyDeliveries(lines, order, plan.leaders, plan.days.length),
      sms: {
        alerts: lines.filter((l) => l.protocol === 'sms' && l.attributes.kind === 'alert').length,
        all: lines.filter((l) => l.protocol === 'sms').length,
      },
      criticalToRoot: lines.filter(
        (l) =>
          l.attributes.scope === hierarchy.root.id &&
          l.attributes.kind === 'alert' &&
          l.attributes.severity === 'critical',
      ).length,
      problems,
    };
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
    return { ok, result, summary, timing, stateDir: stateDir && (options.keep || !ok) ? stateDir : null };
  } finally {
    bar.finish();
    if (system) await system.stop();
    restoreConsole();
    if (stateDir) {
      // Kept when asked, and when the run failed (to look into), but not after Ctrl-C.
      if (options.keep || (!ok && !options.signal?.aborted))
        bar.note(`state kept in ${stateDir} (alerts.jsonl, simulate.log, dynamodb/)`);
      else await rm(stateDir, { recursive: true, force: true });
    }
  }
}
