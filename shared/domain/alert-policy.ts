/**
 * The alert policy (DESIGN.md §7), without I/O: what leaders receive after each risk evaluation.
 *
 * CONTRACT (shared by the risk job and the renderer): the config, evaluation, state and silence
 * shapes above the policy. Pure; messages are rendered by alert-messages.ts.
 */
import { addDays, localDate, localTime, zonedInstant } from './calendar.js';
import type { Hierarchy } from './hierarchy.js';
import type { AlertLevel, RiskFigures, RiskLevel } from './risk.js';

export interface AlertPolicyConfig {
  /** Consecutive evaluations a level (or a recovery) must hold before it alerts. Default 2. */
  readonly for: number;
  /** An unchanged critical repeats at most once per this many hours. Default 24. */
  readonly repeatIntervalHours: number;
  /** Critical this many days also notifies the parent unit's leaders. Default 3. */
  readonly escalateAfterDays: number;
  /** SMS held during these local hours (email is not): default 21:30–06:30. */
  readonly quietHours: { readonly start: string; readonly end: string };
}

export const DEFAULT_ALERT_POLICY: AlertPolicyConfig = {
  for: 2,
  repeatIntervalHours: 24,
  escalateAfterDays: 3,
  quietHours: { start: '21:30', end: '06:30' },
};

/** One unit's evaluation, as the risk job hands it to the policy. */
export interface UnitEvaluation {
  readonly unitId: string;
  readonly parentId: string | null;
  readonly name: string;
  readonly level: RiskLevel;
  readonly total: number;
  readonly target: number;
  readonly percent: number;
  readonly figures: RiskFigures;
}

/** Per unit, persisted between evaluations (in the unit's RISK item). */
export interface AlertState {
  /** The level seen at the last evaluation and how many evaluations in a row it has held. */
  readonly observedLevel: RiskLevel;
  readonly streak: number;
  /** The alerting level leaders were last told about (null: nothing, or resolved). */
  readonly alertedLevel: AlertLevel | null;
  /** When they were last told (ISO), for the repeat interval. */
  readonly alertedAt: string | null;
  /** Since when the unit has been critical without interruption (ISO), for escalation. */
  readonly criticalSince: string | null;
  /** When the parent's leaders were told (ISO), so escalation happens once per critical spell. */
  readonly escalatedAt: string | null;
  /** The last evaluation applied (ISO): re-running the same evaluation changes nothing. */
  readonly lastEvaluatedAt: string | null;
}

export interface Silence {
  readonly id: string;
  readonly campaignId: string;
  /** Mutes this unit and its whole subtree. */
  readonly unitId: string;
  /** ISO; the silence ends then. */
  readonly until: string;
  readonly reason: string;
  readonly createdBy: string;
}

// ---------------------------------------------------------------------------------------------
// The policy
//
// Decisions (where DESIGN.md §7 leaves a choice):
// - Levels fall into alerting classes: `at_risk`; `critical` and `missed` (critical-final: it
//   alerts, inhibits and escalates like critical, but never repeats, since no pace can mend a
//   passed deadline); `on_track` and `done` (ok: a recovery); `no_data` (unknown: it neither
//   raises nor resolves anything and holds whatever leaders were last told).
// - `streak` counts consecutive evaluations in the same class, so on_track → done is no change.
//   A class must hold `for` evaluations before leaders hear of it (alert, or resolved when they had
//   been alerted); a shorter dip is never sent.
// - An unchanged critical repeats once `repeatIntervalHours` have passed since leaders were last told.
// - `criticalSince` starts at the first critical evaluation and ends only when a recovery holds
//   `for` evaluations (a one-evaluation dip does not restart the escalation clock). A unit whose
//   leaders have been told it is critical, critical for `escalateAfterDays`, appears once per
//   spell in its parent's notification (`escalations`). Escalations are not inhibited: they are
//   the one per-child detail a critical parent still gets.
// - Inhibition: when the scope unit's leaders know it is critical (told now or before), its
//   notification carries no per-child changes (`children` empty); counts are still given, and a
//   notification that would carry nothing else is not sent.
// - Silences mute, they do not postpone. An active silence (asOf < until) on a unit or an ancestor
//   mutes the unit: nothing about it goes to its leaders or into its parent's digest; its streak
//   and critical spell still advance, leaders are recorded as told nothing (alertedLevel null), and
//   an escalation falling due is consumed. When the silence ends, a unit still at risk or critical
//   alerts afresh (kind 'alert'), one that recovered sends nothing (no resolved flood), and a spell
//   whose escalation was muted is not escalated late. `campaignId` is the caller's filter.
// - Idempotence: a unit whose lastEvaluatedAt is at or after asOf is left exactly as it is.
// - Evaluations must be of units the hierarchy knows (an unknown one throws InvalidHierarchyError).
// ---------------------------------------------------------------------------------------------

/** What a level means for alerting (see the decisions above). */
export type AlertClass = 'ok' | 'at_risk' | 'critical' | 'unknown';

export function alertClassOf(level: RiskLevel): AlertClass {
  switch (level) {
    case 'at_risk':
      return 'at_risk';
    case 'critical':
    case 'missed':
      return 'critical';
    case 'on_track':
    case 'done':
      return 'ok';
    case 'no_data':
      return 'unknown';
  }
}

/** Worst first: how bad a level is, for ordering children in messages. */
export const LEVEL_SEVERITY: Readonly<Record<RiskLevel, number>> = {
  missed: 5,
  critical: 4,
  at_risk: 3,
  no_data: 2,
  on_track: 1,
  done: 0,
};

export interface UnitChange {
  readonly evaluation: UnitEvaluation;
  /** The alerting level leaders had been told (null: none); for an escalation, 'critical'. */
  readonly from: RiskLevel | null;
  /** The level now (a raw level: `missed`, `done` and `on_track` stay distinguishable). */
  readonly to: RiskLevel;
  readonly kind: 'alert' | 'repeat' | 'resolved' | 'escalation';
  /** ISO start of the current critical spell (null when not in one): "critical for 4 days". */
  readonly criticalSince: string | null;
}

export interface Notification {
  /** Whose leaders receive it (SNS attribute `scope`). */
  readonly scopeUnitId: string;
  /** The scope unit's evaluation in this run (null if it was not evaluated): a digest's headline figures. */
  readonly scope: UnitEvaluation | null;
  /** The most severe thing in it. */
  readonly severity: 'critical' | 'at_risk' | 'resolved';
  /** The unit's own alert / repeat / resolved notice. */
  readonly own: UnitChange | null;
  /** Grouped digest of children whose alerting level changed (empty when inhibited). */
  readonly children: readonly UnitChange[];
  /** Children critical for escalateAfterDays, told once per critical spell. */
  readonly escalations: readonly UnitChange[];
  /** Number of children of the scope unit, for "3 of 12 communes critical". */
  readonly childCount: number;
  /** The children's levels in this run (silenced children included: counts are facts, not changes). */
  readonly childLevelCounts: Readonly<Partial<Record<RiskLevel, number>>>;
  /** The hierarchy level code the children share ('commune'), null when none or mixed: the digest's noun. */
  readonly childUnitLevel: string | null;
}

export interface PolicyInput {
  readonly evaluations: readonly UnitEvaluation[];
  readonly states: ReadonlyMap<string, AlertState>;
  readonly silences: readonly Silence[];
  readonly asOf: Date;
  readonly config: AlertPolicyConfig;
  readonly hierarchy: Pick<Hierarchy, 'childrenOf' | 'ancestorsOf'>;
}

export interface PolicyResult {
  /** Every unit's new state (units not evaluated keep theirs). */
  readonly states: Map<string, AlertState>;
  /** Units whose state differs from the input: the ones to write. */
  readonly changed: Set<string>;
  /** At most one per scope unit, in evaluation order of the scope units. */
  readonly notifications: Notification[];
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

interface UnitOutcome {
  readonly state: AlertState;
  /** The change to tell the unit's own leaders (and, for alert/resolved, its parent's digest). */
  readonly change: UnitChange | null;
  readonly escalation: UnitChange | null;
}

function stepUnit(
  prev: AlertState | undefined,
  evaluation: UnitEvaluation,
  asOf: Date,
  config: AlertPolicyConfig,
  silenced: boolean,
): UnitOutcome {
  const now = asOf.toISOString();
  const cls = alertClassOf(evaluation.level);
  const streak = prev && alertClassOf(prev.observedLevel) === cls ? prev.streak + 1 : 1;
  const holds = streak >= Math.max(1, config.for);

  let criticalSince = prev?.criticalSince ?? null;
  let escalatedAt = prev?.escalatedAt ?? null;
  if (cls === 'critical') criticalSince ??= now;
  else if (holds && (cls === 'ok' || cls === 'at_risk')) {
    criticalSince = null;
    escalatedAt = null;
  }

  let alertedLevel = prev?.alertedLevel ?? null;
  let alertedAt = prev?.alertedAt ?? null;
  let change: UnitChange | null = null;
  const wanted: AlertLevel | null =
    cls === 'critical' ? 'critical' : cls === 'at_risk' ? 'at_risk' : cls === 'ok' ? null : alertedLevel;

  if (holds && wanted !== alertedLevel) {
    change = {
      evaluation,
      from: alertedLevel,
      to: evaluation.level,
      kind: wanted === null ? 'resolved' : 'alert',
      criticalSince,
    };
    alertedLevel = wanted;
    alertedAt = now;
  } else if (
    alertedLevel === 'critical' &&
    evaluation.level === 'critical' &&
    alertedAt !== null &&
    asOf.getTime() - Date.parse(alertedAt) >= config.repeatIntervalHours * HOUR_MS
  ) {
    change = { evaluation, from: 'critical', to: evaluation.level, kind: 'repeat', criticalSince };
    alertedAt = now;
  }

  let escalation: UnitChange | null = null;
  if (
    alertedLevel === 'critical' &&
    cls === 'critical' &&
    evaluation.parentId !== null &&
    escalatedAt === null &&
    criticalSince !== null &&
    asOf.getTime() - Date.parse(criticalSince) >= config.escalateAfterDays * DAY_MS
  ) {
    escalation = { evaluation, from: 'critical', to: evaluation.level, kind: 'escalation', criticalSince };
    escalatedAt = now;
  }

  if (silenced) {
    change = null;
    escalation = null;
    alertedLevel = null;
    alertedAt = null;
  }

  return {
    state: {
      observedLevel: evaluation.level,
      streak,
      alertedLevel,
      alertedAt,
      criticalSince,
      escalatedAt,
      lastEvaluatedAt: now,
    },
    change,
    escalation,
  };
}

function sameState(a: AlertState, b: AlertState): boolean {
  return (
    a.observedLevel === b.observedLevel &&
    a.streak === b.streak &&
    a.alertedLevel === b.alertedLevel &&
    a.alertedAt === b.alertedAt &&
    a.criticalSince === b.criticalSince &&
    a.escalatedAt === b.escalatedAt &&
    a.lastEvaluatedAt === b.lastEvaluatedAt
  );
}

const SEVERITY_RANK = { resolved: 0, at_risk: 1, critical: 2 } as const;

function severityOfChange(change: UnitChange): Notification['severity'] {
  if (change.kind === 'resolved') return 'resolved';
  return alertClassOf(change.to) === 'critical' ? 'critical' : 'at_risk';
}

/**
 * Applies one evaluation run to the alert states: the new states, and the notifications to send
 * (at most one per scope unit). Pure; the caller persists `changed` states and renders and
 * enqueues the notifications (SMS held by smsReleaseTime).
 */
export function applyPolicy(input: PolicyInput): PolicyResult {
  const { evaluations, asOf, config, hierarchy } = input;
  const states = new Map(input.states);
  const changed = new Set<string>();

  const muted = new Set(
    input.silences.filter((s) => Date.parse(s.until) > asOf.getTime()).map((s) => s.unitId),
  );
  const isSilenced = (unitId: string) =>
    muted.size > 0 && (muted.has(unitId) || hierarchy.ancestorsOf(unitId).some((a) => muted.has(a)));

  const byId = new Map<string, UnitEvaluation>();
  const order = new Map<string, number>();
  const outcomes = new Map<string, UnitOutcome>();
  for (const [index, evaluation] of evaluations.entries()) {
    byId.set(evaluation.unitId, evaluation);
    order.set(evaluation.unitId, index);
    const prev = input.states.get(evaluation.unitId);
    if (prev?.lastEvaluatedAt && asOf.getTime() <= Date.parse(prev.lastEvaluatedAt)) continue;
    const outcome = stepUnit(prev, evaluation, asOf, config, isSilenced(evaluation.unitId));
    outcomes.set(evaluation.unitId, outcome);
    states.set(evaluation.unitId, outcome.state);
    if (!prev || !sameState(prev, outcome.state)) changed.add(evaluation.unitId);
  }

  interface Draft {
    own: UnitChange | null;
    children: UnitChange[];
    escalations: UnitChange[];
  }
  const drafts = new Map<string, Draft>();
  const draftFor = (scopeUnitId: string): Draft => {
    let draft = drafts.get(scopeUnitId);
    if (!draft) {
      draft = { own: null, children: [], escalations: [] };
      drafts.set(scopeUnitId, draft);
    }
    return draft;
  };
  // Inhibited: the scope's leaders know it is critical (told in this run or before).
  const inhibited = (scopeUnitId: string) => states.get(scopeUnitId)?.alertedLevel === 'critical';

  for (const [unitId, outcome] of outcomes) {
    const { change, escalation } = outcome;
    if (change) draftFor(unitId).own = change;
    const parentId = byId.get(unitId)?.parentId ?? null;
    if (parentId === null) continue;
    if (escalation) draftFor(parentId).escalations.push(escalation);
    else if (change && change.kind !== 'repeat' && !inhibited(parentId))
      draftFor(parentId).children.push(change);
  }

  const notifications: Notification[] = [];
  for (const [scopeUnitId, draft] of drafts) {
    if (!draft.own && draft.children.length === 0 && draft.escalations.length === 0) continue;
    const children = hierarchy.childrenOf(scopeUnitId);
    const childLevelCounts: Partial<Record<RiskLevel, number>> = {};
    for (const child of children) {
      const level = byId.get(child.id)?.level;
      if (level) childLevelCounts[level] = (childLevelCounts[level] ?? 0) + 1;
    }
    const levels = new Set(children.map((c) => c.level));
    const items = [...(draft.own ? [draft.own] : []), ...draft.children, ...draft.escalations];
    const severity = items
      .map(severityOfChange)
      .reduce<Notification['severity']>(
        (worst, s) => (SEVERITY_RANK[s] > SEVERITY_RANK[worst] ? s : worst),
        'resolved',
      );
    notifications.push({
      scopeUnitId,
      scope: byId.get(scopeUnitId) ?? null,
      severity,
      own: draft.own,
      children: draft.children,
      escalations: draft.escalations,
      childCount: children.length,
      childLevelCounts,
      childUnitLevel: levels.size === 1 ? ([...levels][0] ?? null) : null,
    });
  }
  const position = (id: string) => order.get(id) ?? Number.MAX_SAFE_INTEGER;
  notifications.sort(
    (a, b) => position(a.scopeUnitId) - position(b.scopeUnitId) || a.scopeUnitId.localeCompare(b.scopeUnitId),
  );
  return { states, changed, notifications };
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/**
 * When an SMS decided at `asOf` may go out: null to send now, else the end of the quiet period
 * (start inclusive, end exclusive; a period whose start is after its end crosses midnight).
 * Equal start and end mean no quiet hours. E-mail is never held.
 */
export function smsReleaseTime(
  asOf: Date,
  timeZone: string,
  quietHours: AlertPolicyConfig['quietHours'],
): Date | null {
  const start = minutesOf(quietHours.start);
  const end = minutesOf(quietHours.end);
  if (start === end) return null;
  const now = minutesOf(localTime(asOf, timeZone));
  const today = localDate(asOf, timeZone);
  if (start < end) return now >= start && now < end ? zonedInstant(today, quietHours.end, timeZone) : null;
  if (now >= start) return zonedInstant(addDays(today, 1), quietHours.end, timeZone);
  if (now < end) return zonedInstant(today, quietHours.end, timeZone);
  return null;
}
