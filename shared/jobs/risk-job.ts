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

import type { AlertPublisher, ContactChannel, Language } from '../alerts/publisher.js';
import { renderNotification, renderSmsBudgetNotice } from '../domain/alert-messages.js';
import {
  type Acknowledgement,
  type AlertPolicyConfig,
  type AlertState,
  applyPolicy,
  type Notification,
  type Silence,
  type SubTargetEvaluation,
  smsReleaseTime,
  subTargetStateKey,
  type UnitEvaluation,
} from '../domain/alert-policy.js';
import {
  type ResolvedAlertSettings,
  resolveAlertSettings,
  SMS_CAP_NOTICE_SHARE,
  unitPageUrl,
} from '../domain/alert-settings.js';
import { addDays, localDate } from '../domain/calendar.js';
import { severitiesFor } from '../domain/filter-policy.js';
import { buildHierarchy } from '../domain/hierarchy.js';
import { percentOf } from '../domain/progress.js';
import { evaluateRisk, evaluateSubTarget, type RiskLevel } from '../domain/risk.js';
import type { Campaign } from '../schemas/campaign.js';
import type { CampaignStore, StoredUnit } from '../store/campaign-store.js';
import type { Outbox, OutboxEntry, SmsBudget } from '../store/outbox-store.js';
import type { LevelChange, StoredRisk } from '../store/risk-store.js';
import type { TotalsReader } from '../store/totals-store.js';
import { mapConcurrent } from '../util/concurrency.js';

/** Who can receive what: one entry per (scope unit, language, channel) that has at least one subscriber. */
export interface Audience {
  readonly scope: string;
  readonly lang: Language;
  readonly channel: ContactChannel;
  /**
   * For SMS: each subscriber's minimum severity and whether it also has e-mail, so the job knows
   * how many SMS a publish costs (the SMS budget). Absent: one subscriber taking everything.
   */
  readonly members?: readonly { readonly minSeverity: 'at_risk' | 'critical'; readonly hasEmail: boolean }[];
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
  /** Acknowledgements that may hold at a moment (ending after it). Absent: none. */
  readonly acknowledgements?: { endingAfter(campaignId: string, at: Date): Promise<Acknowledgement[]> };
  /** The campaigns' SMS months (with `smsMonthlyCap`). Absent: no cap is applied. */
  readonly smsBudget?: SmsBudget;
  /** The dashboard's URL (DASHBOARD_URL), read at each run: messages link to unit pages. */
  readonly dashboardUrl?: () => string | undefined;
  readonly audiences: { list(campaignId: string): Promise<Audience[]> };
  readonly outbox: Outbox;
  readonly publisher: AlertPublisher;
  readonly clock: () => Date;
  /** The defaults under each campaign's `alerts` settings. */
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
  readonly days: readonly {
    readonly day: string;
    readonly count: number;
    readonly byGroup: Readonly<Record<string, number>>;
  }[];
  /** By population group, through the evaluation day. */
  readonly byGroup: Readonly<Record<string, number>>;
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
      byGroup: d.totals.byGroup,
    }));
    const byGroup: Record<string, number> = {};
    for (const d of days) for (const [g, n] of Object.entries(d.byGroup)) byGroup[g] = (byGroup[g] ?? 0) + n;
    result.set(id, { total: days.reduce((sum, d) => sum + d.count, 0), days, byGroup });
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

/**
 * The sub-targets still worth evaluating on `day` (until a week after their deadline), with the
 * group's intake up to its deadline: the running total while the deadline has not passed, else
 * the running total less the days after the deadline (all inside the 8 days read).
 */
function subTargetEvaluations(
  unit: StoredUnit,
  counts: UnitCounts,
  campaign: Campaign,
  asOf: Date,
  day: string,
): SubTargetEvaluation[] {
  const result: SubTargetEvaluation[] = [];
  for (const sub of unit.subTargets ?? []) {
    if (day > addDays(sub.deadline, 7) || day < campaign.startDate) continue;
    const after = counts.days
      .filter((d) => d.day > sub.deadline && d.day <= day)
      .reduce((sum, d) => sum + (d.byGroup[sub.group] ?? 0), 0);
    const total = Math.max(0, (counts.byGroup[sub.group] ?? 0) - after);
    const figures = evaluateSubTarget(sub, {
      total,
      days: counts.days.map((d) => ({ day: d.day, totals: { byGroup: d.byGroup } })),
      calendar: campaign,
      asOf,
    });
    result.push({
      group: sub.group,
      deadline: sub.deadline,
      level: figures.level,
      total,
      target: sub.target,
      percent: percentOf(total, sub.target),
      figures,
    });
  }
  return result;
}

/** How many SMS a publish of `severity` to an SMS audience costs, normally and once the cap is reached. */
function smsCost(audience: Audience, severity: Notification['severity'] | 'info', capped: boolean): number {
  const members = audience.members ?? [{ minSeverity: 'at_risk', hasEmail: false }];
  return members.filter(
    (m) =>
      severitiesFor(m.minSeverity).includes(severity) &&
      (!capped || (!m.hasEmail && (severity === 'critical' || severity === 'info'))),
  ).length;
}

/** Where one campaign run stands with its SMS month: what is used, and whether the cap is reached. */
interface BudgetRun {
  readonly month: string;
  readonly cap: number | null;
  used: number;
  capped: boolean;
  noticeSent: boolean;
}

/** The units a notification names (its scope, children, escalations): the alerts feed's index. */
const aboutOf = (n: Notification): string[] => [
  ...new Set([
    n.scopeUnitId,
    ...n.children.map((c) => c.evaluation.unitId),
    ...n.escalations.map((c) => c.evaluation.unitId),
  ]),
];

/**
 * The outbox entries of one notification: one per language and channel that has subscribers. With
 * an SMS cap, an SMS publish that would go past it is replaced (for good, this month) by an
 * `sms_only` publish: SMS only to leaders without e-mail and only when critical; leaders with
 * e-mail get the e-mail publish, which then says so.
 */
function entriesFor(
  n: Notification,
  campaign: Campaign,
  asOf: Date,
  audiences: readonly Audience[],
  settings: ResolvedAlertSettings,
  budget: BudgetRun,
  link: string | null,
): OutboxEntry[] {
  const entries: OutboxEntry[] = [];
  const held = smsReleaseTime(asOf, campaign.timeZone, settings.policy.quietHours);
  const mine = audiences.filter((a) => a.scope === n.scopeUnitId);
  if (budget.cap !== null && !budget.capped) {
    const cost = mine
      .filter((a) => a.channel === 'sms')
      .reduce((s, a) => s + smsCost(a, n.severity, false), 0);
    if (cost > 0 && budget.used + cost > budget.cap) budget.capped = true;
  }
  for (const a of mine) {
    const text = renderNotification(n, {
      lang: a.lang,
      campaignName: campaign.name,
      timeZone: campaign.timeZone,
      asOf,
      ...(settings.smsBrand !== null && { smsBrand: settings.smsBrand }),
      ...(link !== null && { link }),
      smsLinks: settings.smsLinks,
      smsCapped: budget.capped,
    });
    const sms = a.channel === 'sms';
    const cost = sms ? smsCost(a, n.severity, budget.capped) : 0;
    if (sms && budget.capped && cost === 0) continue;
    const releaseAt = (sms && held ? held : asOf).toISOString();
    entries.push({
      key: `${asOf.toISOString()}#${n.scopeUnitId}#${a.lang}#${a.channel}`,
      campaignId: campaign.id,
      releaseAt,
      about: aboutOf(n),
      ...(sms && { smsCost: { month: budget.month, count: cost } }),
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
          channel: sms && budget.capped ? 'sms_only' : a.channel,
        },
      },
    });
  }
  return entries;
}

/** The once-a-month notice to the root's leaders that 80 % of the SMS cap is used. */
function budgetNoticeEntries(
  campaign: Campaign,
  rootId: string,
  asOf: Date,
  audiences: readonly Audience[],
  settings: ResolvedAlertSettings,
  budget: BudgetRun,
  link: string | null,
): OutboxEntry[] {
  const entries: OutboxEntry[] = [];
  for (const a of audiences) {
    if (a.scope !== rootId) continue;
    const text = renderSmsBudgetNotice({
      lang: a.lang,
      campaignName: campaign.name,
      month: budget.month,
      used: budget.used,
      cap: budget.cap ?? 0,
      ...(settings.smsBrand !== null && { smsBrand: settings.smsBrand }),
      ...(link !== null && { link }),
    });
    const sms = a.channel === 'sms';
    entries.push({
      key: `sms-budget#${budget.month}#80#${rootId}#${a.lang}#${a.channel}`,
      campaignId: campaign.id,
      releaseAt: asOf.toISOString(),
      about: [rootId],
      ...(sms && { smsCost: { month: budget.month, count: smsCost(a, 'info', false) } }),
      message: {
        ...text,
        attributes: {
          campaignId: campaign.id,
          scope: rootId,
          severity: 'info',
          kind: 'notice',
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
  // Merged units (a reorganisation) are judged no more: their history counts at their successor, and
  // their leaders would otherwise be alerted about a unit that takes no intake. All their children are
  // merged too (the catalogue requires it), so the rest is still one tree.
  const units = (await ports.campaigns.listUnits(campaign.id)).filter((u) => u.mergedInto === undefined);
  const day = localDate(asOf, campaign.timeZone);
  if (units.length === 0 || !isActive(campaign, units, day)) return null;
  const settings = resolveAlertSettings(campaign.alerts, ports.policy);
  const hierarchy = buildHierarchy(units);
  const ids = units.map((u) => u.id);
  const month = day.slice(0, 7);
  const cap = ports.smsBudget ? settings.smsMonthlyCap : null;
  const [figures, stored, silences, audiences, acknowledgements, budgetMonth] = await Promise.all([
    readFigures(ports.totals, campaign.id, ids, day),
    ports.risk.getStates(campaign.id, ids),
    ports.silences.active(campaign.id, asOf),
    ports.audiences.list(campaign.id),
    ports.acknowledgements?.endingAfter(campaign.id, asOf) ?? Promise.resolve([]),
    cap !== null && ports.smsBudget ? ports.smsBudget.get(campaign.id, month) : Promise.resolve(null),
  ]);

  const evaluations: UnitEvaluation[] = units.map((unit) => {
    const f = figures.get(unit.id) ?? { total: 0, days: [], byGroup: {} };
    const risk = evaluateRisk({
      target: unit.target,
      deadline: unit.deadline,
      total: f.total,
      days: f.days,
      calendar: campaign,
      asOf,
    });
    const subTargets = subTargetEvaluations(unit, f, campaign, asOf, day);
    return {
      unitId: unit.id,
      parentId: unit.parentId,
      name: unit.name,
      level: risk.level,
      total: f.total,
      target: unit.target,
      percent: percentOf(f.total, unit.target),
      figures: risk,
      ...(subTargets.length > 0 && { subTargets }),
    };
  });

  const asOfIso = asOf.toISOString();
  const alreadyEvaluated = [...stored.values()].some(
    (s) => s.alert.lastEvaluatedAt !== null && s.alert.lastEvaluatedAt >= asOfIso,
  );
  const previous = new Map<string, AlertState>();
  for (const id of ids) {
    const s = stored.get(id);
    previous.set(id, s?.alert ?? freshAlertState());
    for (const [group, state] of Object.entries(s?.groupAlerts ?? {}))
      previous.set(subTargetStateKey(id, group), state);
  }
  const { states, notifications } = applyPolicy({
    evaluations,
    states: previous,
    silences,
    acknowledgements,
    asOf,
    config: settings.policy,
    hierarchy,
  });

  const dashboardUrl = ports.dashboardUrl?.();
  const budget: BudgetRun = {
    month,
    cap,
    used: budgetMonth?.count ?? 0,
    capped: cap !== null && (budgetMonth?.count ?? 0) >= cap,
    noticeSent: budgetMonth?.noticeAt !== null && budgetMonth?.noticeAt !== undefined,
  };
  const wasCapped = budgetMonth?.cappedAt !== null && budgetMonth?.cappedAt !== undefined;
  let enqueued = 0;
  for (const n of notifications) {
    const link = unitPageUrl(dashboardUrl, campaign.id, n.scopeUnitId);
    for (const entry of entriesFor(n, campaign, asOf, audiences, settings, budget, link)) {
      if ((await ports.outbox.enqueue(entry)) === 'enqueued') {
        enqueued++;
        budget.used += entry.smsCost?.count ?? 0;
      }
    }
    if (budget.cap !== null && !budget.noticeSent && budget.used >= SMS_CAP_NOTICE_SHARE * budget.cap) {
      const root = hierarchy.root.id;
      const link = unitPageUrl(dashboardUrl, campaign.id, root);
      for (const entry of budgetNoticeEntries(campaign, root, asOf, audiences, settings, budget, link)) {
        if ((await ports.outbox.enqueue(entry)) === 'enqueued') {
          enqueued++;
          budget.used += entry.smsCost?.count ?? 0;
        }
      }
      budget.noticeSent = true;
      await ports.smsBudget?.mark(campaign.id, month, 'noticeAt', asOf);
    }
  }
  if (budget.capped && !wasCapped) await ports.smsBudget?.mark(campaign.id, month, 'cappedAt', asOf);

  if (!alreadyEvaluated) {
    const newStates: StoredRisk[] = [];
    const changes: LevelChange[] = [];
    for (const e of evaluations) {
      const before = stored.get(e.unitId);
      const since = before && before.level === e.level ? before.since : asOfIso;
      if (!before || before.level !== e.level)
        changes.push({ unitId: e.unitId, level: e.level, since, figures: e.figures });
      const groupAlerts: Record<string, AlertState> = { ...before?.groupAlerts };
      for (const sub of e.subTargets ?? []) {
        const state = states.get(subTargetStateKey(e.unitId, sub.group));
        if (state) groupAlerts[sub.group] = state;
      }
      newStates.push({
        unitId: e.unitId,
        level: e.level,
        since,
        evaluatedAt: asOfIso,
        figures: e.figures,
        alert: states.get(e.unitId) ?? previous.get(e.unitId) ?? freshAlertState(),
        ...(Object.keys(groupAlerts).length > 0 && { groupAlerts }),
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
