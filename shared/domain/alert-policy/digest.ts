/**
 * The grouping of one run's changes into notifications, at most one per scope unit: the unit's own
 * change, its sub-targets', its children's digest (empty when inhibited) and escalations.
 */
import type { Hierarchy } from '../hierarchy.js';
import type { RiskLevel } from '../risk.js';
import { alertClassOf } from './levels.js';
import type { UnitOutcome } from './step.js';
import type { AlertState, Notification, UnitChange, UnitEvaluation } from './types.js';

const SEVERITY_RANK = { resolved: 0, at_risk: 1, critical: 2 } as const;

function severityOfChange(change: UnitChange): Notification['severity'] {
  if (change.kind === 'resolved') return 'resolved';
  const cls = alertClassOf(change.to);
  if (cls === 'critical') return 'critical';
  if (cls === 'at_risk') return 'at_risk';
  return 'resolved';
}

/** What one run decided, unit by unit, as ./apply.ts hands it over. */
export interface RunOutcomes {
  /** The run's evaluations by unit id, and their order (notifications follow it). */
  readonly byId: ReadonlyMap<string, UnitEvaluation>;
  readonly order: ReadonlyMap<string, number>;
  /** The steps of the units evaluated (not those already evaluated at or after asOf). */
  readonly outcomes: ReadonlyMap<string, UnitOutcome>;
  readonly groupOutcomes: ReadonlyMap<string, readonly UnitOutcome[]>;
  /** Every state after the run. */
  readonly states: ReadonlyMap<string, AlertState>;
}

/** The notifications of a run, in evaluation order of their scope units. */
export function assembleNotifications(
  run: RunOutcomes,
  hierarchy: Pick<Hierarchy, 'childrenOf'>,
): Notification[] {
  const { byId, order, outcomes, groupOutcomes, states } = run;
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
  return notifications;
}
