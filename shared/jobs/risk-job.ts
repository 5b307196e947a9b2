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

import type { AlertPublisher } from '../alerts/publisher.js';
import {
  type Acknowledgement,
  type AlertPolicyConfig,
  type AlertState,
  applyPolicy,
  type Silence,
  subTargetStateKey,
  type UnitEvaluation,
} from '../domain/alert-policy.js';
import { resolveAlertSettings, SMS_CAP_NOTICE_SHARE, unitPageUrl } from '../domain/alert-settings.js';
import { localDate } from '../domain/calendar.js';
import { buildHierarchy } from '../domain/hierarchy.js';
import { percentOf } from '../domain/progress.js';
import { evaluateRisk, type RiskLevel } from '../domain/risk.js';
import type { Campaign } from '../schemas/campaign.js';
import type { CampaignStore } from '../store/campaign-store.js';
import type { Outbox, OutboxEntry, SmsBudget } from '../store/outbox-store.js';
import type { LevelChange, StoredRisk } from '../store/risk-store.js';
import type { TotalsReader } from '../store/totals-store.js';
import { campaignsToRun } from './campaigns-to-run.js';
import { isActive, readFigures, subTargetEvaluations } from './risk-figures.js';
import {
  type Audience,
  type BudgetRun,
  budgetNoticeEntries,
  entriesFor,
  type OutboxRun,
} from './risk-outbox.js';

export type { Audience } from './risk-outbox.js';

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

const freshAlertState = (): AlertState => ({
  observedLevel: 'no_data',
  streak: 0,
  alertedLevel: null,
  alertedAt: null,
  criticalSince: null,
  escalatedAt: null,
  lastEvaluatedAt: null,
});

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
  const run: OutboxRun = { campaign, asOf, audiences, settings, budget };
  let enqueued = 0;
  /** Records entries; what was newly recorded counts against the SMS month. */
  const enqueueAll = async (entries: readonly OutboxEntry[]) => {
    for (const entry of entries) {
      if ((await ports.outbox.enqueue(entry)) === 'enqueued') {
        enqueued++;
        budget.used += entry.smsCost?.count ?? 0;
      }
    }
  };
  for (const n of notifications) {
    await enqueueAll(entriesFor(n, run, unitPageUrl(dashboardUrl, campaign.id, n.scopeUnitId)));
    if (budget.cap !== null && !budget.noticeSent && budget.used >= SMS_CAP_NOTICE_SHARE * budget.cap) {
      const root = hierarchy.root.id;
      await enqueueAll(budgetNoticeEntries(root, run, unitPageUrl(dashboardUrl, campaign.id, root)));
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
  const campaigns = await campaignsToRun(ports.campaigns, request.campaignId);
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
