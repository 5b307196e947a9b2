/**
 * The alert policy's shapes (docs/ARCHITECTURE.md §4): its configuration, what the risk job hands
 * it (evaluations, states, silences, acknowledgements) and what it returns (notifications).
 */
import type { Hierarchy } from '../hierarchy.js';
import type { AlertLevel, RiskFigures, RiskLevel } from '../risk.js';

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
