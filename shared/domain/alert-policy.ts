/**
 * The alert policy (docs/ARCHITECTURE.md §4), without I/O: what leaders receive after each risk evaluation.
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
  /**
   * Back-off of the repeats of an unchanged critical level: the n-th repeat comes this many days
   * after the previous message (the last value repeats). Default 1, 2, 4, 7: days 1, 2, 4, 8, 15, 22…
   */
  readonly repeatBackoffDays: readonly number[];
  /** Critical this many days also notifies the parent unit's leaders. Default 3. */
  readonly escalateAfterDays: number;
  /** SMS held during these local hours (email is not): default 21:30–06:30. */
  readonly quietHours: { readonly start: string; readonly end: string };
}

export const DEFAULT_ALERT_POLICY: AlertPolicyConfig = {
  for: 2,
  repeatBackoffDays: [1, 2, 4, 7],
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
  /** The unit's population-group sub-targets still evaluated (each alerts on its own). */
  readonly subTargets?: readonly SubTargetEvaluation[];
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
  /** Repeats sent since leaders were told the current level (the back-off's position). Absent: 0. */
  readonly repeats?: number;
  /** When leaders were last told of a worse level (ISO): an acknowledgement made before it no longer holds. */
  readonly worsenedAt?: string | null;
  /** While muted by a silence: since when, the level when it began, and the worst seen meanwhile. */
  readonly mutedSince?: string | null;
  readonly mutedFrom?: RiskLevel | null;
  readonly mutedWorst?: RiskLevel | null;
}

/**
 * A leader's acknowledgement of a unit: it
 * pauses the repeats of the unit and of its sub-targets, for all of its leaders, until the level
 * worsens, `until` passes, or it is withdrawn. Escalation still happens.
 */
export interface Acknowledgement {
  readonly id: string;
  readonly campaignId: string;
  readonly unitId: string;
  /** ISO: when it was made (it holds from then on). */
  readonly createdAt: string;
  readonly createdBy: string;
  readonly note?: string;
  /** ISO: it ends then. */
  readonly until: string;
  /** ISO: withdrawn (DELETE) then, by whom. */
  readonly deletedAt?: string;
  readonly deletedBy?: string;
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
// Decisions (where docs/ARCHITECTURE.md §4 leaves a choice):
// - Levels fall into alerting classes: `at_risk`; `critical` and `missed` (critical-final: it
//   alerts, inhibits and escalates like critical, but never repeats, since no pace can mend a
//   passed deadline); `on_track` and `done` (ok: a recovery); `no_data` (unknown: it neither
//   raises nor resolves anything and holds whatever leaders were last told).
// - `streak` counts consecutive evaluations in the same class, so on_track → done is no change.
//   A class must hold `for` evaluations before leaders hear of it (alert, or resolved when they had
//   been alerted); a shorter dip is never sent.
// - An unchanged critical repeats with a back-off: the n-th repeat once `repeatBackoffDays[n]`
//   days (the last value for every later one) have passed since leaders were last told, less
//   REPEAT_TOLERANCE for a schedule that fires a little early or late. A worse level alerts as soon
//   as it holds `for` evaluations and restarts the back-off; so does a silence's end.
// - Acknowledgements pause repeats (of the unit and of its sub-targets) while one holds (made at or
//   before the evaluation, not yet at `until`, not withdrawn) and leaders have not been told of a
//   worse level since it was made. Alerts, resolved notices and escalations still go.
// - `criticalSince` starts at the first critical evaluation and ends only when a recovery holds
//   `for` evaluations (a one-evaluation dip does not restart the escalation clock). A unit whose
//   leaders have been told it is critical, critical for `escalateAfterDays`, appears once per
//   spell in its parent's notification (`escalations`). Escalations are not inhibited: they are
//   the one per-child detail a critical parent still gets.
// - Inhibition: when the scope unit's leaders know it is critical (told now or before), its
//   notification carries no per-child changes (`children` empty) and no sub-target `at_risk`
//   alert; counts are still given, and a notification that would carry nothing else is not sent.
// - Sub-targets (a population group's own target and deadline) go through the same steps, each
//   with its own state; their changes travel in their unit's notification (`groups`), their
//   escalations to the parent like a unit's. They are not part of the parent's digest.
// - Silences mute, they do not postpone. An active silence (asOf < until) on a unit or an ancestor
//   mutes the unit and its sub-targets: nothing about them goes to their leaders or into the
//   parent's digest; streaks and critical spells still advance, leaders are recorded as told
//   nothing, and an escalation falling due is consumed. The state keeps when the mute began, the
//   level then and the worst level meanwhile. At the first evaluation after it, the leaders get one
//   summary (kind 'summary': the level then and now, the worst meanwhile) instead of any replay,
//   and they count as told the level now (the back-off starts again). A child's summary joins its
//   parent's notification only when the parent was muted too (it has its own summary then).
//   `campaignId` is the caller's filter.
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

/** A sub-target's evaluation: its group, its own deadline and figures (the unit's name is the evaluation's). */
export interface SubTargetEvaluation {
  readonly group: string;
  readonly deadline: string;
  readonly level: RiskLevel;
  readonly total: number;
  readonly target: number;
  readonly percent: number;
  readonly figures: RiskFigures;
}

export interface UnitChange {
  readonly evaluation: UnitEvaluation;
  /** The alerting level leaders had been told (null: none); for an escalation, 'critical'. */
  readonly from: RiskLevel | null;
  /** The level now (a raw level: `missed`, `done` and `on_track` stay distinguishable). */
  readonly to: RiskLevel;
  readonly kind: 'alert' | 'repeat' | 'resolved' | 'escalation' | 'summary';
  /** ISO start of the current critical spell (null when not in one): "critical for 4 days". */
  readonly criticalSince: string | null;
  /** A sub-target's change: its group and deadline (the evaluation then holds the group's figures). */
  readonly group?: { readonly code: string; readonly deadline: string };
  /** A summary's silence: since when, the level when it began (`from`), the worst meanwhile. */
  readonly muted?: { readonly since: string; readonly worst: RiskLevel };
}

export interface Notification {
  /** Whose leaders receive it (SNS attribute `scope`). */
  readonly scopeUnitId: string;
  /** The scope unit's evaluation in this run (null if it was not evaluated): a digest's headline figures. */
  readonly scope: UnitEvaluation | null;
  /** The most severe thing in it. */
  readonly severity: 'critical' | 'at_risk' | 'resolved';
  /** The unit's own alert / repeat / resolved notice / silence summary. */
  readonly own: UnitChange | null;
  /** The unit's sub-targets' changes (officials by 30/4), same kinds as `own` (absent: none). */
  readonly groups?: readonly UnitChange[];
  /** Grouped digest of children whose alerting level changed (empty when inhibited). */
  readonly children: readonly UnitChange[];
  /** Children (or their sub-targets) critical for escalateAfterDays, told once per critical spell. */
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
  /** Unit states by unit id, sub-target states by subTargetStateKey(unitId, group). */
  readonly states: ReadonlyMap<string, AlertState>;
  readonly silences: readonly Silence[];
  /** Acknowledgements that may hold at asOf (others are ignored). */
  readonly acknowledgements?: readonly Acknowledgement[];
  readonly asOf: Date;
  readonly config: AlertPolicyConfig;
  readonly hierarchy: Pick<Hierarchy, 'childrenOf' | 'ancestorsOf'>;
}

export interface PolicyResult {
  /** Every unit's (and sub-target's) new state (those not evaluated keep theirs). */
  readonly states: Map<string, AlertState>;
  /** Keys whose state differs from the input: the ones to write. */
  readonly changed: Set<string>;
  /** At most one per scope unit, in evaluation order of the scope units. */
  readonly notifications: Notification[];
}

/** The state key of a unit's sub-target (unit ids never contain '#'). */
export const subTargetStateKey = (unitId: string, group: string) => `${unitId}#${group}`;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** A repeat falls due this much before its exact time, so a schedule firing a little late or early keeps the days. */
export const REPEAT_TOLERANCE_MS = 15 * 60_000;

/** Days before the repeat after `repeats` earlier repeats (the last value holds for every later one). */
export function repeatGapDays(config: Pick<AlertPolicyConfig, 'repeatBackoffDays'>, repeats: number): number {
  const gaps = config.repeatBackoffDays;
  return gaps[Math.min(repeats, gaps.length - 1)] ?? 1;
}

const ALERT_RANK = { none: 0, at_risk: 1, critical: 2 } as const;
const alertRank = (level: AlertLevel | null) => ALERT_RANK[level ?? 'none'];

interface UnitOutcome {
  readonly state: AlertState;
  /** The change to tell the unit's own leaders (and, for alert/resolved, its parent's digest). */
  readonly change: UnitChange | null;
  readonly escalation: UnitChange | null;
}

interface StepContext {
  readonly asOf: Date;
  readonly config: AlertPolicyConfig;
  readonly silenced: boolean;
  /** When the acknowledgement holding for the unit was made (ms), or null. */
  readonly acknowledgedAt: number | null;
  readonly group?: UnitChange['group'];
}

function stepUnit(prev: AlertState | undefined, evaluation: UnitEvaluation, ctx: StepContext): UnitOutcome {
  const { asOf, config, silenced } = ctx;
  const now = asOf.toISOString();
  const cls = alertClassOf(evaluation.level);
  const streak = prev && alertClassOf(prev.observedLevel) === cls ? prev.streak + 1 : 1;
  const holds = streak >= Math.max(1, config.for);
  const group = ctx.group ? { group: ctx.group } : {};

  let criticalSince = prev?.criticalSince ?? null;
  let escalatedAt = prev?.escalatedAt ?? null;
  if (cls === 'critical') criticalSince ??= now;
  else if (holds && (cls === 'ok' || cls === 'at_risk')) {
    criticalSince = null;
    escalatedAt = null;
  }

  let alertedLevel = prev?.alertedLevel ?? null;
  let alertedAt = prev?.alertedAt ?? null;
  let repeats = prev?.repeats ?? 0;
  let worsenedAt = prev?.worsenedAt ?? null;
  let mutedSince = prev?.mutedSince ?? null;
  let mutedFrom = prev?.mutedFrom ?? null;
  let mutedWorst = prev?.mutedWorst ?? null;
  let change: UnitChange | null = null;
  const wanted: AlertLevel | null =
    cls === 'critical' ? 'critical' : cls === 'at_risk' ? 'at_risk' : cls === 'ok' ? null : alertedLevel;

  if (!silenced && mutedSince !== null) {
    // The silence is over: one summary, and leaders now know the level as it is.
    change = {
      evaluation,
      from: mutedFrom,
      to: evaluation.level,
      kind: 'summary',
      criticalSince,
      muted: { since: mutedSince, worst: mutedWorst ?? evaluation.level },
      ...group,
    };
    const told: AlertLevel | null = cls === 'critical' ? 'critical' : cls === 'at_risk' ? 'at_risk' : null;
    alertedLevel = told;
    alertedAt = told === null ? null : now;
    if (told !== null) worsenedAt = now;
    repeats = 0;
    mutedSince = null;
    mutedFrom = null;
    mutedWorst = null;
  } else if (holds && wanted !== alertedLevel) {
    change = {
      evaluation,
      from: alertedLevel,
      to: evaluation.level,
      kind: wanted === null ? 'resolved' : 'alert',
      criticalSince,
      ...group,
    };
    if (alertRank(wanted) > alertRank(alertedLevel)) worsenedAt = now;
    alertedLevel = wanted;
    alertedAt = now;
    repeats = 0;
  } else if (
    alertedLevel === 'critical' &&
    evaluation.level === 'critical' &&
    alertedAt !== null &&
    asOf.getTime() - Date.parse(alertedAt) >= repeatGapDays(config, repeats) * DAY_MS - REPEAT_TOLERANCE_MS
  ) {
    const acknowledged =
      ctx.acknowledgedAt !== null && (worsenedAt === null || Date.parse(worsenedAt) <= ctx.acknowledgedAt);
    if (!acknowledged) {
      change = {
        evaluation,
        from: 'critical',
        to: evaluation.level,
        kind: 'repeat',
        criticalSince,
        ...group,
      };
      alertedAt = now;
      repeats += 1;
    }
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
    escalation = {
      evaluation,
      from: 'critical',
      to: evaluation.level,
      kind: 'escalation',
      criticalSince,
      ...group,
    };
    escalatedAt = now;
  }

  if (silenced) {
    if (mutedSince === null) {
      mutedSince = now;
      mutedFrom = prev?.observedLevel ?? evaluation.level;
    }
    mutedWorst =
      mutedWorst === null || LEVEL_SEVERITY[evaluation.level] > LEVEL_SEVERITY[mutedWorst]
        ? evaluation.level
        : mutedWorst;
    change = null;
    escalation = null;
    alertedLevel = null;
    alertedAt = null;
    repeats = 0;
  }

  const state: AlertState = {
    observedLevel: evaluation.level,
    streak,
    alertedLevel,
    alertedAt,
    criticalSince,
    escalatedAt,
    lastEvaluatedAt: now,
    repeats,
    worsenedAt,
    mutedSince,
    mutedFrom,
    mutedWorst,
  };
  return { state, change, escalation };
}

function sameState(a: AlertState, b: AlertState): boolean {
  return (
    a.observedLevel === b.observedLevel &&
    a.streak === b.streak &&
    a.alertedLevel === b.alertedLevel &&
    a.alertedAt === b.alertedAt &&
    a.criticalSince === b.criticalSince &&
    a.escalatedAt === b.escalatedAt &&
    a.lastEvaluatedAt === b.lastEvaluatedAt &&
    (a.repeats ?? 0) === (b.repeats ?? 0) &&
    (a.worsenedAt ?? null) === (b.worsenedAt ?? null) &&
    (a.mutedSince ?? null) === (b.mutedSince ?? null) &&
    (a.mutedFrom ?? null) === (b.mutedFrom ?? null) &&
    (a.mutedWorst ?? null) === (b.mutedWorst ?? null)
  );
}

const SEVERITY_RANK = { resolved: 0, at_risk: 1, critical: 2 } as const;

function severityOfChange(change: UnitChange): Notification['severity'] {
  if (change.kind === 'resolved') return 'resolved';
  const cls = alertClassOf(change.to);
  if (cls === 'critical') return 'critical';
  if (cls === 'at_risk') return 'at_risk';
  return 'resolved';
}

/** The acknowledgement holding for each unit at `asOf` (the latest made), as the time it was made. */
function acknowledgedUnits(acks: readonly Acknowledgement[], asOf: Date): Map<string, number> {
  const at = asOf.getTime();
  const result = new Map<string, number>();
  for (const ack of acks) {
    const made = Date.parse(ack.createdAt);
    if (made > at || Date.parse(ack.until) <= at) continue;
    if (ack.deletedAt !== undefined && Date.parse(ack.deletedAt) <= at) continue;
    result.set(ack.unitId, Math.max(result.get(ack.unitId) ?? made, made));
  }
  return result;
}

/** A sub-target's evaluation in the shape the steps take: the unit's name and parent, the group's figures. */
function subTargetAsEvaluation(unit: UnitEvaluation, sub: SubTargetEvaluation): UnitEvaluation {
  return {
    unitId: unit.unitId,
    parentId: unit.parentId,
    name: unit.name,
    level: sub.level,
    total: sub.total,
    target: sub.target,
    percent: sub.percent,
    figures: sub.figures,
  };
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
  const acknowledged = acknowledgedUnits(input.acknowledgements ?? [], asOf);

  const byId = new Map<string, UnitEvaluation>();
  const order = new Map<string, number>();
  const outcomes = new Map<string, UnitOutcome>();
  const groupOutcomes = new Map<string, UnitOutcome[]>();
  for (const [index, evaluation] of evaluations.entries()) {
    byId.set(evaluation.unitId, evaluation);
    order.set(evaluation.unitId, index);
    const prev = input.states.get(evaluation.unitId);
    if (prev?.lastEvaluatedAt && asOf.getTime() <= Date.parse(prev.lastEvaluatedAt)) continue;
    const silenced = isSilenced(evaluation.unitId);
    const acknowledgedAt = acknowledged.get(evaluation.unitId) ?? null;
    const outcome = stepUnit(prev, evaluation, { asOf, config, silenced, acknowledgedAt });
    outcomes.set(evaluation.unitId, outcome);
    states.set(evaluation.unitId, outcome.state);
    if (!prev || !sameState(prev, outcome.state)) changed.add(evaluation.unitId);
    const subs: UnitOutcome[] = [];
    for (const sub of evaluation.subTargets ?? []) {
      const key = subTargetStateKey(evaluation.unitId, sub.group);
      const prevSub = input.states.get(key);
      if (prevSub?.lastEvaluatedAt && asOf.getTime() <= Date.parse(prevSub.lastEvaluatedAt)) continue;
      const subOutcome = stepUnit(prevSub, subTargetAsEvaluation(evaluation, sub), {
        asOf,
        config,
        silenced,
        acknowledgedAt,
        group: { code: sub.group, deadline: sub.deadline },
      });
      states.set(key, subOutcome.state);
      if (!prevSub || !sameState(prevSub, subOutcome.state)) changed.add(key);
      subs.push(subOutcome);
    }
    groupOutcomes.set(evaluation.unitId, subs);
  }

  interface Draft {
    own: UnitChange | null;
    groups: UnitChange[];
    children: UnitChange[];
    escalations: UnitChange[];
  }
  const drafts = new Map<string, Draft>();
  const draftFor = (scopeUnitId: string): Draft => {
    let draft = drafts.get(scopeUnitId);
    if (!draft) {
      draft = { own: null, groups: [], children: [], escalations: [] };
      drafts.set(scopeUnitId, draft);
    }
    return draft;
  };
  // Inhibited: the scope's leaders know it is critical (told in this run or before).
  const inhibited = (scopeUnitId: string) => states.get(scopeUnitId)?.alertedLevel === 'critical';
  const summarised = (unitId: string) => outcomes.get(unitId)?.change?.kind === 'summary';

  for (const [unitId, outcome] of outcomes) {
    const { change, escalation } = outcome;
    if (change) draftFor(unitId).own = change;
    const parentId = byId.get(unitId)?.parentId ?? null;
    for (const sub of groupOutcomes.get(unitId) ?? []) {
      const subChange = sub.change;
      if (
        subChange &&
        !(subChange.kind === 'alert' && alertClassOf(subChange.to) === 'at_risk' && inhibited(unitId))
      ) {
        draftFor(unitId).groups.push(subChange);
      }
      if (sub.escalation && parentId !== null) draftFor(parentId).escalations.push(sub.escalation);
    }
    if (parentId === null) continue;
    if (escalation) draftFor(parentId).escalations.push(escalation);
    else if (change?.kind === 'summary') {
      if (summarised(parentId)) draftFor(parentId).children.push(change);
    } else if (change && change.kind !== 'repeat' && !inhibited(parentId))
      draftFor(parentId).children.push(change);
  }

  const notifications: Notification[] = [];
  for (const [scopeUnitId, draft] of drafts) {
    if (
      !draft.own &&
      draft.groups.length === 0 &&
      draft.children.length === 0 &&
      draft.escalations.length === 0
    )
      continue;
    const children = hierarchy.childrenOf(scopeUnitId);
    const childLevelCounts: Partial<Record<RiskLevel, number>> = {};
    for (const child of children) {
      const level = byId.get(child.id)?.level;
      if (level) childLevelCounts[level] = (childLevelCounts[level] ?? 0) + 1;
    }
    const levels = new Set(children.map((c) => c.level));
    const items = [
      ...(draft.own ? [draft.own] : []),
      ...draft.groups,
      ...draft.children,
      ...draft.escalations,
    ];
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
      groups: draft.groups,
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
