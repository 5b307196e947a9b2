/**
 * The campaign file's rules that need several units at once (ids, parents, cycles, the root, merges,
 * deadlines, sums, sub-targets), over a "loose" view that holds only the fields valid on their own:
 * they also run when the schema fails, so a bad date on one unit does not hide a cycle elsewhere.
 */
import type { z } from 'zod';
import { Campaign, type CampaignFile, Code, IsoDate, Name, Target, UnitId } from '../schemas/campaign.js';
import { type CatalogProblem, formatPath, type PathSegment } from './catalog-problem.js';

type LooseSubTarget = { index: number; group?: string; target?: number; deadline?: string };
type LooseUnit = {
  index: number;
  id?: string;
  /** null: a root; undefined: missing or invalid (already reported by the schema). */
  parentId?: string | null;
  mergedInto?: string;
  name?: string;
  target?: number;
  deadline?: string;
  subTargets: LooseSubTarget[];
};
type LooseCatalog = { startDate?: string; groups?: readonly string[]; units: LooseUnit[] };

export function strictCatalog(file: CampaignFile): LooseCatalog {
  return {
    startDate: file.campaign.startDate,
    groups: file.campaign.groups,
    units: file.units.map((u, index) => ({
      index,
      id: u.id,
      parentId: u.parentId,
      ...(u.mergedInto !== undefined && { mergedInto: u.mergedInto }),
      name: u.name,
      target: u.target,
      deadline: u.deadline,
      subTargets: u.subTargets.map((s, i) => ({ index: i, ...s })),
    })),
  };
}

function valid<T>(schema: z.ZodType<T>, value: unknown): T | undefined {
  const result = schema.safeParse(value);
  return result.success ? result.data : undefined;
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

function optionalId(value: unknown): { mergedInto?: string } {
  const id = valid(UnitId, value);
  return id === undefined ? {} : { mergedInto: id };
}

export function looseCatalog(input: unknown): LooseCatalog {
  const campaign = field(input, 'campaign');
  const rawUnits = field(input, 'units');
  const units = (Array.isArray(rawUnits) ? rawUnits : []).map((u: unknown, index): LooseUnit => {
    const rawSubs = field(u, 'subTargets');
    return {
      index,
      id: valid(UnitId, field(u, 'id')),
      parentId: valid(UnitId.nullable(), field(u, 'parentId')),
      ...optionalId(field(u, 'mergedInto')),
      name: valid(Name, field(u, 'name')),
      target: valid(Target, field(u, 'target')),
      deadline: valid(IsoDate, field(u, 'deadline')),
      subTargets: (Array.isArray(rawSubs) ? rawSubs : []).map((s: unknown, i) => ({
        index: i,
        group: valid(Code, field(s, 'group')),
        target: valid(Target, field(s, 'target')),
        deadline: valid(IsoDate, field(s, 'deadline')),
      })),
    };
  });
  return {
    startDate: valid(IsoDate, field(campaign, 'startDate')),
    groups: valid(Campaign.shape.groups, field(campaign, 'groups')),
    units,
  };
}

export function runCrossUnitRules(catalog: LooseCatalog): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  const error = (path: PathSegment[], message: string) =>
    problems.push({ severity: 'error', path: formatPath(path), message });
  const warning = (path: PathSegment[], message: string) =>
    problems.push({ severity: 'warning', path: formatPath(path), message });

  // The first unit listed with an id is "the" unit; later ones are duplicates, still
  // checked on their own fields but not used to resolve parents or sums.
  const byId = new Map<string, LooseUnit>();
  const canonical: LooseUnit[] = [];
  for (const unit of catalog.units) {
    if (unit.id === undefined) continue;
    const first = byId.get(unit.id);
    if (first) {
      error(
        ['units', unit.index, 'id'],
        `duplicate unit id "${unit.id}": already used by units[${first.index}]`,
      );
    } else {
      byId.set(unit.id, unit);
      canonical.push(unit);
    }
  }

  checkParentsAndRoot(catalog, byId, error);
  checkCycles(canonical, byId, error);

  const childrenOf = new Map<string, LooseUnit[]>();
  for (const unit of canonical) {
    if (typeof unit.parentId !== 'string' || unit.parentId === unit.id || !byId.has(unit.parentId)) continue;
    const siblings = childrenOf.get(unit.parentId) ?? [];
    siblings.push(unit);
    childrenOf.set(unit.parentId, siblings);
  }
  checkMerges(canonical, byId, childrenOf, error);

  for (const unit of catalog.units) {
    const at: PathSegment[] = ['units', unit.index];
    const parent = typeof unit.parentId === 'string' ? byId.get(unit.parentId) : undefined;
    if (unit.deadline !== undefined && catalog.startDate !== undefined && unit.deadline < catalog.startDate) {
      error(
        [...at, 'deadline'],
        `deadline ${unit.deadline} is before the campaign's startDate ${catalog.startDate}`,
      );
    }
    if (
      unit.deadline !== undefined &&
      parent?.deadline !== undefined &&
      parent !== unit &&
      unit.deadline > parent.deadline
    ) {
      error(
        [...at, 'deadline'],
        `deadline ${unit.deadline} is after the deadline of its parent ${label(parent)}, ${parent.deadline}`,
      );
    }
    checkSubTargets(catalog, unit, parent, error);
  }

  // Children summing below the parent is fine: intake can also be recorded at the
  // parent itself (a provincial post), so only an excess is suspicious, and only a warning.
  for (const parent of canonical) {
    // Merged units keep their targets for their own page; they no longer count toward the parent's.
    const children = (childrenOf.get(parent.id ?? '') ?? []).filter((c) => c.mergedInto === undefined);
    if (children.length === 0) continue;
    if (parent.target !== undefined) {
      const sum = sumOf(children.map((c) => c.target));
      if (sum > parent.target) {
        warning(
          ['units', parent.index, 'target'],
          `children of ${label(parent)} sum to ${formatCount(sum)}, above its target ${formatCount(parent.target)}`,
        );
      }
    }
    for (const sub of parent.subTargets) {
      if (sub.group === undefined || sub.target === undefined) continue;
      const group = sub.group;
      const sum = sumOf(children.map((c) => c.subTargets.find((s) => s.group === group)?.target));
      if (sum > sub.target) {
        warning(
          ['units', parent.index, 'subTargets', sub.index, 'target'],
          `children of ${label(parent)} sum to ${formatCount(sum)} for group "${group}", above its sub-target ${formatCount(sub.target)}`,
        );
      }
    }
  }
  return problems;
}

type Report = (path: PathSegment[], message: string) => void;

/**
 * `mergedInto`: the successor exists, is not the unit itself, the chain of successors ends at a unit
 * that is not merged (a district merged into its province, which is merged into another province,
 * counts toward the last), and a merged unit keeps no children (they must be moved first: their
 * history would otherwise hang under a unit that takes no intake), nor is it the root.
 */
function checkMerges(
  canonical: readonly LooseUnit[],
  byId: Map<string, LooseUnit>,
  childrenOf: Map<string, LooseUnit[]>,
  error: Report,
): void {
  for (const unit of canonical) {
    if (unit.mergedInto === undefined) continue;
    const at: PathSegment[] = ['units', unit.index, 'mergedInto'];
    if (unit.mergedInto === unit.id) {
      error(at, `${label(unit)} cannot be merged into itself`);
      continue;
    }
    if (!byId.has(unit.mergedInto)) {
      error(at, `unknown successor "${unit.mergedInto}"`);
      continue;
    }
    if (unit.parentId === null) error(at, `the root ${label(unit)} cannot be merged`);
    const seen = new Set<string>([unit.id ?? '']);
    let current = byId.get(unit.mergedInto);
    while (current?.mergedInto !== undefined && !seen.has(current.id ?? '')) {
      seen.add(current.id ?? '');
      current = byId.get(current.mergedInto);
    }
    if (current?.mergedInto !== undefined) {
      error(at, `the chain of mergedInto from ${label(unit)} is a cycle`);
    }
    // Merged children may stay where they were (a district merged into its province, itself merged).
    const children = (childrenOf.get(unit.id ?? '') ?? []).filter((c) => c.mergedInto === undefined);
    if (children.length > 0) {
      const ids = children
        .slice(0, 5)
        .map((c) => c.id)
        .join(', ');
      error(
        at,
        `${label(unit)} is merged but still has ${children.length} child unit(s) (${ids}${children.length > 5 ? ', …' : ''}); ` +
          'move them first: give each a parentId that is not merged (e.g. the successor)',
      );
    }
  }
}

function checkParentsAndRoot(catalog: LooseCatalog, byId: Map<string, LooseUnit>, error: Report): void {
  let root: LooseUnit | undefined;
  let everyParentKnown = true;
  for (const unit of catalog.units) {
    if (unit.parentId === undefined) everyParentKnown = false;
    else if (unit.parentId === null) {
      if (root) {
        error(
          ['units', unit.index, 'parentId'],
          `second root: only one unit may have "parentId": null, and ${label(root)} at units[${root.index}] already does`,
        );
      } else root = unit;
    } else if (!byId.has(unit.parentId)) {
      error(['units', unit.index, 'parentId'], `unknown parent "${unit.parentId}"`);
    }
  }
  // A unit whose parentId is itself invalid may have been meant as the root: the
  // schema has reported it, and a second message would only guess.
  if (!root && everyParentKnown && catalog.units.length > 0) {
    error(['units'], 'no root unit: exactly one unit must have "parentId": null');
  }
}

/** Each unit has one parent, so following parents from every unit finds every cycle exactly once. */
function checkCycles(canonical: readonly LooseUnit[], byId: Map<string, LooseUnit>, error: Report): void {
  const state = new Map<LooseUnit, 'walking' | 'done'>();
  for (const start of canonical) {
    const walk: LooseUnit[] = [];
    let current: LooseUnit | undefined = start;
    while (current && !state.has(current)) {
      state.set(current, 'walking');
      walk.push(current);
      current = typeof current.parentId === 'string' ? byId.get(current.parentId) : undefined;
    }
    if (current && state.get(current) === 'walking') {
      const cycle = walk.slice(walk.indexOf(current));
      // Start the message at the member listed first in the file, so it reads the same whatever the entry point.
      const first = cycle.reduce((a, b) => (b.index < a.index ? b : a));
      const ordered = [...cycle.slice(cycle.indexOf(first)), ...cycle.slice(0, cycle.indexOf(first))];
      const message =
        ordered.length === 1
          ? `unit "${first.id}" is its own parent`
          : `cycle: ${[...ordered, first].map((u) => u.id).join(' → ')}; these units never reach the root`;
      error(['units', first.index, 'parentId'], message);
    }
    for (const unit of walk) state.set(unit, 'done');
  }
}

function checkSubTargets(
  catalog: LooseCatalog,
  unit: LooseUnit,
  parent: LooseUnit | undefined,
  error: Report,
): void {
  const seen = new Map<string, number>();
  for (const sub of unit.subTargets) {
    const at: PathSegment[] = ['units', unit.index, 'subTargets', sub.index];
    if (sub.group !== undefined) {
      const earlier = seen.get(sub.group);
      if (earlier !== undefined) {
        error(
          [...at, 'group'],
          `group "${sub.group}" already has a sub-target in this unit (subTargets[${earlier}])`,
        );
      } else seen.set(sub.group, sub.index);
      if (catalog.groups && !catalog.groups.includes(sub.group)) {
        const listed = catalog.groups.length ? catalog.groups.join(', ') : 'the campaign lists no groups';
        error([...at, 'group'], `group "${sub.group}" is not one of the campaign's groups (${listed})`);
      }
    }
    if (sub.target !== undefined && unit.target !== undefined && sub.target > unit.target) {
      error(
        [...at, 'target'],
        `target ${formatCount(sub.target)} is above the unit's own target ${formatCount(unit.target)}`,
      );
    }
    if (sub.deadline === undefined) continue;
    // One message per deadline: the first rule it breaks, from the most to the least direct.
    const parentSub = parent?.subTargets.find((s) => s.group === sub.group);
    if (unit.deadline !== undefined && sub.deadline > unit.deadline) {
      error(
        [...at, 'deadline'],
        `deadline ${sub.deadline} is after the unit's own deadline ${unit.deadline}`,
      );
    } else if (catalog.startDate !== undefined && sub.deadline < catalog.startDate) {
      error(
        [...at, 'deadline'],
        `deadline ${sub.deadline} is before the campaign's startDate ${catalog.startDate}`,
      );
    } else if (
      parent &&
      parent !== unit &&
      parentSub?.deadline !== undefined &&
      sub.deadline > parentSub.deadline
    ) {
      error(
        [...at, 'deadline'],
        `deadline ${sub.deadline} is after the "${sub.group}" deadline of its parent ${label(parent)}, ${parentSub.deadline}`,
      );
    }
  }
}

function label(unit: LooseUnit): string {
  return unit.name === undefined ? `${unit.id}` : `${unit.id} (${unit.name})`;
}

function sumOf(values: readonly (number | undefined)[]): number {
  return values.reduce<number>((sum, v) => sum + (v ?? 0), 0);
}

/** 1109100 → "1,109,100"; written out so the message does not depend on the ICU data installed. */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
