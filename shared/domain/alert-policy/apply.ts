/**
 * One evaluation run of the alert policy: every evaluated unit and sub-target steps through its
 * episode (./step.ts), then the changes are grouped into notifications (./digest.ts).
 */
import { assembleNotifications } from './digest.js';
import { acknowledgedUnits, silencedAt } from './mutes.js';
import { sameState, stepUnit, type UnitOutcome } from './step.js';
import {
  type PolicyInput,
  type PolicyResult,
  type SubTargetEvaluation,
  subTargetStateKey,
  type UnitEvaluation,
} from './types.js';

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

  const isSilenced = silencedAt(input.silences, asOf, hierarchy);
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

  const notifications = assembleNotifications({ byId, order, outcomes, groupOutcomes, states }, hierarchy);
  return { states, changed, notifications };
}
