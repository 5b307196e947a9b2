/**
 * The living demo campaign of `npm start`: the Hưng Yên scenario with its dates shifted so that
 * today is its 20th day, under its own id. Its earlier days are posted through the real pipeline
 * (HTTP intake → stream → roll-up) at the simulator's seeded "mixed" pace (the same numbers every
 * time), each evening followed by the risk job (level history, alerts to the demo's leaders); then,
 * while it runs, today's intake keeps arriving during working hours, each unit's sessions spread
 * over their two hours, so the numbers move.
 *
 * Progress is remembered in .local/demo.json (the last day fully posted), so a restart posts only
 * what is missing. Every event id is deterministic: re-posting is harmless (`duplicate`).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { IntakeClient } from '../../shared/client/index.js';
import { addDays, daysBetween, localDate } from '../../shared/domain/calendar.js';
import type { CampaignFile } from '../../shared/schemas/campaign.js';
import { REPO_ROOT } from './paths.js';
import { hashSeed, leadersFor, type PlannedEvent, planSimulation, toIntakeEvent } from './simulate/plan.js';

export const DEMO_CAMPAIGN_ID = 'demo-hung-yen';
export const DEMO_SOURCE_FILE = join(REPO_ROOT, 'scenarios', 'hung-yen-2021.json');
/** Today is the demo's 20th day (index 19). */
export const DEMO_TODAY_INDEX = 19;
export const DEMO_SEED = 1;
/** How often the live feed looks for intake due. */
const FEED_INTERVAL_MS = 60_000;
/** How long a stop waits for the post or risk run under way. */
const STOP_WAIT_MS = 5_000;

/** The scenario with its dates moved so that `today` is day DEMO_TODAY_INDEX + 1, under the demo's id. */
export function demoCampaignFile(source: CampaignFile, today: string): CampaignFile {
  const start = addDays(today, -DEMO_TODAY_INDEX);
  const shift = (day: string) => addDays(day, daysBetween(source.campaign.startDate, start));
  return {
    campaign: {
      ...source.campaign,
      id: DEMO_CAMPAIGN_ID,
      name: `${source.campaign.name} (mô phỏng)`,
      startDate: start,
    },
    units: source.units.map((u) => ({
      ...u,
      deadline: shift(u.deadline),
      subTargets: u.subTargets.map((s) => ({ ...s, deadline: shift(s.deadline) })),
    })),
  };
}

/** When a planned event is posted: its session's start plus a per-unit offset within the session. */
export function postTimeOf(event: PlannedEvent): number {
  return Date.parse(event.occurredAt) + (hashSeed(`${event.unitId}`) % 110) * 60_000;
}

export interface DemoPorts {
  readonly url: string;
  readonly dir: string;
  /** A token for everything the demo does (intake, recipients). */
  readonly token: string;
  /** Creates the campaign when the store does not have it yet. */
  ensureCampaign(): Promise<void>;
  /** Waits until the streams are drained (totals visible). */
  drain(): Promise<void>;
  /** Runs the risk job for the campaign at a moment. */
  risk(asOf: string): Promise<void>;
  readonly log: (line: string) => void;
  readonly clock?: () => Date;
}

export interface DemoFeed {
  /** Settles when the earlier days are in (history, risk runs). */
  readonly history: Promise<void>;
  /** Stops the live feed (tests: nothing moves under their assertions). */
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
}

interface DemoState {
  readonly campaignId: string;
  readonly startDate: string;
  /** The last day whose intake and evening risk run are complete. */
  readonly completeThrough: string | null;
}

export function startDemoFeed(file: CampaignFile, ports: DemoPorts): DemoFeed {
  const clock = ports.clock ?? (() => new Date());
  const stateFile = join(ports.dir, 'demo.json');
  const client = new IntakeClient({ baseUrl: ports.url, token: ports.token, requestTimeoutMs: 60_000 });
  const { campaign } = file;
  const length =
    daysBetween(
      campaign.startDate,
      file.units.reduce((d, u) => (u.deadline > d ? u.deadline : d), campaign.startDate),
    ) + 1;
  let paused = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const readState = async (): Promise<DemoState | null> => {
    try {
      const s = JSON.parse(await readFile(stateFile, 'utf8')) as DemoState;
      return s.campaignId === campaign.id && s.startDate === campaign.startDate ? s : null;
    } catch {
      return null;
    }
  };
  const writeState = (s: DemoState) => writeFile(stateFile, `${JSON.stringify(s, null, 2)}\n`);

  const post = async (events: readonly PlannedEvent[]) => {
    for (let i = 0; i < events.length; i += 100) {
      if (stopped) return;
      await client.post(events.slice(i, i + 100).map(toIntakeEvent));
    }
  };

  const todayIndex = () => daysBetween(campaign.startDate, localDate(clock(), campaign.timeZone));

  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${ports.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${ports.token}`, 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    if (!response.ok && response.status !== 409) {
      throw new Error(`${method} ${path}: HTTP ${response.status} ${await response.text()}`);
    }
    return response.ok && response.status !== 204 ? ((await response.json()) as unknown) : null;
  };

  const history = (async () => {
    await ports.ensureCampaign();
    const state = await readState();
    // Leaders (the root's and each district's), once.
    if (!state) {
      const existing = (await api('GET', `/v1/campaigns/${campaign.id}/recipients`)) as {
        recipients: { unitId: string; name: string }[];
      };
      for (const leader of leadersFor(file)) {
        if (existing.recipients.some((r) => r.unitId === leader.unitId && r.name === leader.name)) continue;
        await api('POST', `/v1/campaigns/${campaign.id}/recipients`, {
          unitId: leader.unitId,
          name: leader.name,
          ...(leader.sms !== undefined && { sms: leader.sms }),
          email: leader.email,
          lang: leader.lang,
        });
      }
    }
    const today = todayIndex();
    const lastPast = Math.min(today - 1, length - 1);
    const firstMissing = state?.completeThrough
      ? daysBetween(campaign.startDate, state.completeThrough) + 1
      : 0;
    if (lastPast < firstMissing) return;
    const plan = planSimulation(file, { days: lastPast + 1, pace: 'mixed', seed: DEMO_SEED });
    ports.log(
      `demo: posting days ${firstMissing + 1}–${lastPast + 1} of ${campaign.id} through the API (background)…`,
    );
    let events = 0;
    for (const day of plan.days.slice(firstMissing)) {
      if (stopped) return;
      const sends = day.posts.flatMap((p) => p.sends);
      await post(sends);
      events += sends.length;
      await ports.drain();
      await ports.risk(day.riskAsOf);
      await writeState({ campaignId: campaign.id, startDate: campaign.startDate, completeThrough: day.day });
    }
    ports.log(
      `demo: history loaded (${events} events posted, ${lastPast + 1 - firstMissing} evening risk runs)`,
    );
  })();

  /** Today's planned events whose posting time has come (re-sent ones come back `duplicate`). */
  const feedOnce = async () => {
    if (paused || stopped) return;
    const index = todayIndex();
    if (index < 0 || index >= length) return;
    const plan = planSimulation(file, { days: index + 1, pace: 'mixed', seed: DEMO_SEED });
    const now = clock().getTime();
    const due = (plan.days[index]?.posts ?? []).flatMap((p) => p.sends).filter((e) => postTimeOf(e) <= now);
    const seen = new Set<string>();
    await post(due.filter((e) => !seen.has(e.eventId) && seen.add(e.eventId)));
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = feedOnce()
        .catch((error: unknown) => ports.log(`demo feed: ${(error as Error).message}`))
        .finally(schedule);
    }, FEED_INTERVAL_MS);
    timer.unref();
  };
  void history
    .then(() => {
      running = feedOnce().catch((error: unknown) => ports.log(`demo feed: ${(error as Error).message}`));
      return running;
    })
    .then(schedule, (error: unknown) => ports.log(`demo: history failed: ${(error as Error).message}`));

  return {
    history,
    pause: () => {
      paused = true;
    },
    resume: () => {
      paused = false;
    },
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      // The history stops between two days; a stop does not wait for more than a few seconds of it.
      await Promise.race([
        Promise.allSettled([history, running]),
        new Promise((resolve) => setTimeout(resolve, STOP_WAIT_MS).unref()),
      ]);
    },
  };
}
