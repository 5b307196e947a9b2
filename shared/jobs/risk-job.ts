/**
 * The risk job: evaluate every unit of each active campaign at a moment, keep each unit's level
 * (and since when), apply the alert policy, and publish what leaders should receive, exactly once.
 *
 * Order of work, so that a retried run sends nothing twice:
 *   1. read the units (Query pages), their totals, their stored risk/alert state, active silences;
 *   2. evaluate (pure) and apply the policy (pure) — a run for a moment already evaluated changes nothing;
 *   3. record every message in the outbox under a key the decision determines (conditional write);
 *   4. write the new states;
 *   5. publish what is due (including SMS held in quiet hours by an earlier run) and mark it sent.
 * A crash after 3 leaves messages recorded but unsent: the next run publishes them.
 */
import type { AlertPublisher, Channel, Language } from '../alerts/publisher.js';
import { renderNotification } from '../domain/alert-messages.js';
import {
  type AlertPolicyConfig,
  type AlertState,
  applyPolicy,
  type Notification,
  type Silence,
  smsReleaseTime,
  type UnitEvaluation,
} from '../domain/alert-policy.js';
import { addDays, localDate } from '../domain/calendar.js';
import { buildHierarchy } from '../domain/hierarchy.js';
import { percentOf } from '../domain/progress.js';
import { evaluateRisk, type RiskLevel } from '../domain/risk.js';
import type { Campaign } from '../schemas/campaign.js';
import type { CampaignStore, StoredUnit } from '../store/campaign-store.js';
import type { Outbox, OutboxEntry } from '../store/outbox-store.js';
import type { LevelChange, StoredRisk } from '../store/risk-store.js';
import type { TotalsReader } from '../store/totals-store.js';
import { mapConcurrent } from '../util/concurrency.js';

/** Who can receive what: one entry per (scope unit, language, channel) that has at least one subscriber. */
export interface Audience {
  readonly scope: string;
  readonly lang: Language;
  readonly channel: Channel;
}

export interface RiskJobPorts {
  readonly campaigns: Pick<CampaignStore, 'getCampaign' | 'listCampaigns' | 'listUnits'>;
  readonly totals: TotalsReader;
  readonly risk: {
    getStates(campaignId: string, unitIds: readonly string[]): Promise<Map<string, StoredRisk>>;
    putStates(
      campaignId: string,
      states: readonly StoredRisk[],
      changes: readonly LevelChange[],
    ): Promise<void>;
  };
  readonly silences: { active(campaignId: string, at: Date): Promise<Silence[]> };
  readonly audiences: { list(campaignId: string): Promise<Audience[]> };
  readonly outbox: Outbox;
  readonly publisher: AlertPublisher;
  readonly clock: () => Date;
  readonly policy: AlertPolicyConfig;
  readonly log?: (message: string, details?: Record<string, unknown>) => void;
}

export interface RiskJobRequest {
  readonly campaignId?: string;
  /** ISO 8601: evaluate this moment (backfill, tests). Default: now. */
  readonly asOf?: string;
}

export interface CampaignRun {
  readonly campaignId: string;
  readonly asOf: string;
  readonly units: number;
  readonly levels: Partial<Record<RiskLevel, number>>;
  readonly notifications: number;
  readonly enqueued: number;
  readonly published: number;
  /** True when this moment had already been evaluated (a retry): nothing new was decided. */
  readonly alreadyEvaluated: boolean;
}

const READ_CONCURRENCY = 16;

interface UnitCounts {
  /** Received through the evaluation day. */
  readonly total: number;
  readonly days: readonly { readonly day: string; readonly count: number }[];
}

/** A campaign is evaluated from its start until a week after its last deadline (for `missed`). */
function isActive(campaign: Campaign, units: readonly StoredUnit[], day: string): boolean {
  // YYYY-MM-DD strings sort as the days do.
  const lastDeadline =
    [campaign.startDate, ...units.map((u) => u.deadline)].sort().at(-1) ?? campaign.startDate;
  return day >= campaign.startDate && day <= addDays(lastDeadline, 7);
}

/**
 * Each unit's total through the evaluation day and its daily counts: one Query of the unit's DAY
 * items per unit (READ_CONCURRENCY in flight), the same for a live run and a backfill. Running totals
 * are not stored (shared/store/totals-store.ts), so the total is summed from the same rows as the
 * days pace observes. Bounded by the number of units, whatever the campaign's age: a Query returns up
 * to 1 MB, about 1,000 DAY items, so one request per unit for any campaign under ~3 years; by day 90
 * of the national campaign that is 11,368 Queries per run (bench: risk section).
 */
async function readFigures(
  totals: TotalsReader,
  campaignId: string,
  unitIds: readonly string[],
  day: string,
): Promise<Map<string, UnitCounts>> {
  const result = new Map<string, UnitCounts>();
  await mapConcurrent(unitIds, READ_CONCURRENCY, async (id) => {
    const days = (await totals.getDays(campaignId, id, undefined, day)).map((d) => ({
      day: d.day,
      count: d.totals.count,
    }));
    result.set(id, { total: days.reduce((sum, d) => sum + d.count, 0), days });
  });
  return result;
}

const freshAlertState = (): AlertState => ({
  observedLevel: 'no_data',
  streak: 0,
  alertedLevel: null,
  alertedAt: null,
  criticalSince: null,
  escalatedAt: null,
  lastEvaluatedAt: null,
});

/** The outbox entries of one notification: one per language and channel that has subscribers. */
function entriesFor(
  n: Notification,
  campaign: Campaign,
  asOf: Date,
  audiences: readonly Audience[],
  policy: AlertPolicyConfig,
): OutboxEntry[] {
  const entries: OutboxEntry[] = [];
  const held = smsReleaseTime(asOf, campaign.timeZone, policy.quietHours);
  for (const a of audiences) {
    if (a.scope !== n.scopeUnitId) continue;
    const text = renderNotification(n, {
      lang: a.lang,
      campaignName: campaign.name,
      timeZone: campaign.timeZone,
      asOf,
    });
    const releaseAt = (a.channel === 'sms' && held ? held : asOf).toISOString();
    entries.push({
      key: `${asOf.toISOString()}#${n.scopeUnitId}#${a.lang}#${a.channel}`,
      campaignId: campaign.id,
      releaseAt,
      message: {
        subject: text.subject,
        sms: text.sms,
        email: text.email,
        attributes: {
          campaignId: campaign.id,
          scope: n.scopeUnitId,
          severity: n.severity,
          kind: 'alert',
          lang: a.lang,
          channel: a.channel,
        },
      },
    });
  }
  return entries;
}

export async function evaluateCampaign(
  ports: RiskJobPorts,
  campaign: Campaign,
  asOf: Date,
): Promise<CampaignRun | null> {
  const units = await ports.campaigns.listUnits(campaign.id);
  const day = localDate(asOf, campaign.timeZone);
  if (units.length === 0 || !isActive(campaign, units, day)) return null;
  const hierarchy = buildHierarchy(units);
  const ids = units.map((u) => u.id);
  const [figures, stored, silences, audiences] = await Promise.all([
    readFigures(ports.totals, campaign.id, ids, day),
    ports.risk.getStates(campaign.id, ids),
    ports.silences.active(campaign.id, asOf),
    ports.audiences.list(campaign.id),
  ]);

  const evaluations: UnitEvaluation[] = units.map((unit) => {
    const f = figures.get(unit.id) ?? { total: 0, days: [] };
    const risk = evaluateRisk({
      target: unit.target,
      deadline: unit.deadline,
      total: f.total,
      days: f.days,
      calendar: campaign,
      asOf,
    });
    return {
      unitId: unit.id,
      parentId: unit.parentId,
      name: unit.name,
      level: risk.level,
      total: f.total,
      target: unit.target,
      percent: percentOf(f.total, unit.target),
      figures: risk,
    };
  });

  const asOfIso = asOf.toISOString();
  const alreadyEvaluated = [...stored.values()].some(
    (s) => s.alert.lastEvaluatedAt !== null && s.alert.lastEvaluatedAt >= asOfIso,
  );
  const previous = new Map(ids.map((id) => [id, stored.get(id)?.alert ?? freshAlertState()]));
  const { states, notifications } = applyPolicy({
    evaluations,
    states: previous,
    silences,
    asOf,
    config: ports.policy,
    hierarchy,
  });

  let enqueued = 0;
  for (const n of notifications) {
    for (const entry of entriesFor(n, campaign, asOf, audiences, ports.policy)) {
      if ((await ports.outbox.enqueue(entry)) === 'enqueued') enqueued++;
    }
  }

  if (!alreadyEvaluated) {
    const newStates: StoredRisk[] = [];
    const changes: LevelChange[] = [];
    for (const e of evaluations) {
      const before = stored.get(e.unitId);
      const since = before && before.level === e.level ? before.since : asOfIso;
      if (!before || before.level !== e.level)
        changes.push({ unitId: e.unitId, level: e.level, since, figures: e.figures });
      newStates.push({
        unitId: e.unitId,
        level: e.level,
        since,
        evaluatedAt: asOfIso,
        figures: e.figures,
        alert: states.get(e.unitId) ?? previous.get(e.unitId) ?? freshAlertState(),
      });
    }
    await ports.risk.putStates(campaign.id, newStates, changes);
  }

  const published = await deliverDue(ports, campaign.id, asOf);
  const levels: Partial<Record<RiskLevel, number>> = {};
  for (const e of evaluations) levels[e.level] = (levels[e.level] ?? 0) + 1;
  return {
    campaignId: campaign.id,
    asOf: asOfIso,
    units: units.length,
    levels,
    notifications: notifications.length,
    enqueued,
    published,
    alreadyEvaluated,
  };
}

/** Publishes the outbox entries due by `now` and marks each sent. */
export async function deliverDue(
  ports: Pick<RiskJobPorts, 'outbox' | 'publisher'>,
  campaignId: string,
  now: Date,
) {
  let published = 0;
  for (const entry of await ports.outbox.due(campaignId, now)) {
    const { messageId } = await ports.publisher.publish(entry.message);
    await ports.outbox.markSent(entry, messageId, now);
    published++;
  }
  return published;
}

export async function runRiskJob(ports: RiskJobPorts, request: RiskJobRequest = {}): Promise<CampaignRun[]> {
  const asOf = request.asOf ? new Date(request.asOf) : ports.clock();
  if (Number.isNaN(asOf.getTime())) throw new Error(`asOf "${request.asOf}" is not a date-time`);
  const campaigns = request.campaignId
    ? [await ports.campaigns.getCampaign(request.campaignId)].filter((c): c is Campaign => c !== null)
    : await ports.campaigns.listCampaigns();
  if (request.campaignId && campaigns.length === 0)
    throw new Error(`Unknown campaign "${request.campaignId}"`);
  const runs: CampaignRun[] = [];
  for (const campaign of campaigns) {
    const run = await evaluateCampaign(ports, campaign, asOf);
    if (run) {
      runs.push(run);
      ports.log?.('risk evaluated', { ...run });
    }
  }
  return runs;
}
