/**
 * One unit's (or sub-target's) step through the alert episode: from its previous state and this
 * run's evaluation, its new state, the change to tell its leaders and an escalation for its parent.
 * The rules are the decisions in ../alert-policy.ts.
 */
import type { AlertLevel } from '../risk.js';
import { alertClassOf, LEVEL_SEVERITY } from './levels.js';
import { escalationFallsDue, repeatFallsDue } from './timing.js';
import type { AlertPolicyConfig, AlertState, UnitChange, UnitEvaluation } from './types.js';

const ALERT_RANK = { none: 0, at_risk: 1, critical: 2 } as const;
const alertRank = (level: AlertLevel | null) => ALERT_RANK[level ?? 'none'];

export interface UnitOutcome {
  readonly state: AlertState;
  /** The change to tell the unit's own leaders (and, for alert/resolved, its parent's digest). */
  readonly change: UnitChange | null;
  readonly escalation: UnitChange | null;
}

export interface StepContext {
  readonly asOf: Date;
  readonly config: AlertPolicyConfig;
  readonly silenced: boolean;
  /** When the acknowledgement holding for the unit was made (ms), or null. */
  readonly acknowledgedAt: number | null;
  readonly group?: UnitChange['group'];
}

export function stepUnit(
  prev: AlertState | undefined,
  evaluation: UnitEvaluation,
  ctx: StepContext,
): UnitOutcome {
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
    repeatFallsDue(asOf, alertedAt, repeats, config)
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
    escalationFallsDue(asOf, criticalSince, config)
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

export function sameState(a: AlertState, b: AlertState): boolean {
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
