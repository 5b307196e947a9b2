/**
 * The unit tree of one campaign (province → district → commune, or any other depth).
 * Built once from a validated unit list; every path is precomputed so that the hot
 * questions (ancestors of a unit for the rollup, scope checks for every request) are
 * a map lookup, not a walk up the tree.
 */
import type { Unit } from '../schemas/campaign.js';

/** A unit as stored: the file's fields plus its place in the hierarchy, so readers need no extra lookups. */
export interface StoredUnit extends Unit {
  /** Ancestor ids, root first, parent last; empty for the root. */
  readonly path: readonly string[];
  readonly depth: number;
}

export interface Hierarchy {
  readonly root: Unit;
  /** Number of units. */
  readonly size: number;
  /** Every unit, parents before children (breadth-first from the root). */
  readonly units: readonly Unit[];
  get(id: string): Unit | undefined;
  has(id: string): boolean;
  /** The direct children, in file order, without merged units (they keep only their own page). Throws for an unknown id. */
  childrenOf(id: string): Unit[];
  /** Ancestor ids, root first and parent last, without the unit. Throws for an unknown id. */
  ancestorsOf(id: string): string[];
  /** Ancestor ids followed by the unit's own id. Throws for an unknown id. */
  pathOf(id: string): string[];
  /** 0 for the root. Throws for an unknown id. */
  depthOf(id: string): number;
}

export class InvalidHierarchyError extends Error {
  override readonly name = 'InvalidHierarchyError';
}

/**
 * Builds the tree. The units must already have passed the catalog checks
 * (shared/domain/catalog.ts); this only guards against misuse and throws
 * InvalidHierarchyError on the first structural fault it meets.
 */
export function buildHierarchy(units: readonly Unit[]): Hierarchy {
  const byId = new Map<string, Unit>();
  const children = new Map<string, Unit[]>();
  let root: Unit | undefined;

  for (const unit of units) {
    if (byId.has(unit.id)) throw new InvalidHierarchyError(`duplicate unit id "${unit.id}"`);
    byId.set(unit.id, unit);
    children.set(unit.id, []);
    if (unit.parentId === null) {
      if (root) throw new InvalidHierarchyError(`two roots: "${root.id}" and "${unit.id}"`);
      root = unit;
    }
  }
  if (!root) throw new InvalidHierarchyError('no root unit (parentId null)');

  for (const unit of units) {
    if (unit.parentId === null) continue;
    const siblings = children.get(unit.parentId);
    if (!siblings) throw new InvalidHierarchyError(`unit "${unit.id}" has unknown parent "${unit.parentId}"`);
    siblings.push(unit);
  }

  // Breadth-first from the root: each unit's path is its parent's path plus the
  // parent, so the whole table costs O(n × depth). Units never reached sit on a cycle.
  const ancestors = new Map<string, readonly string[]>([[root.id, []]]);
  const ordered: Unit[] = [root];
  for (let i = 0; i < ordered.length; i++) {
    const parent = ordered[i] as Unit;
    const parentPath = [...(ancestors.get(parent.id) ?? []), parent.id];
    for (const child of children.get(parent.id) ?? []) {
      ancestors.set(child.id, parentPath);
      ordered.push(child);
    }
  }
  if (ordered.length !== byId.size) {
    const stranded = units.filter((u) => !ancestors.has(u.id)).map((u) => u.id);
    throw new InvalidHierarchyError(`units not reachable from the root (a cycle): ${stranded.join(', ')}`);
  }

  const known = <T>(id: string, value: T | undefined): T => {
    if (value === undefined) throw new InvalidHierarchyError(`unknown unit "${id}"`);
    return value;
  };

  return {
    root,
    size: byId.size,
    units: ordered,
    get: (id) => byId.get(id),
    has: (id) => byId.has(id),
    childrenOf: (id) => known(id, children.get(id)).filter((u) => u.mergedInto === undefined),
    ancestorsOf: (id) => [...known(id, ancestors.get(id))],
    pathOf: (id) => [...known(id, ancestors.get(id)), id],
    depthOf: (id) => known(id, ancestors.get(id)).length,
  };
}
