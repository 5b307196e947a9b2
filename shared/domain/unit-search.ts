/**
 * What the dashboard's campaign and search routes compute from the unit tree (pure): the caller's
 * top units in a campaign, and units matching a text ignoring case and Vietnamese diacritics.
 */
import type { Hierarchy } from './hierarchy.js';

/** The units a caller holds in one campaign, each with its subtree ('all': the whole campaign). */
export type Granted = 'all' | ReadonlySet<string>;

/**
 * Lowercase without diacritics: "Thị trấn Như Quỳnh" → "thi tran nhu quynh" ("đ" → "d", which
 * Unicode does not decompose). Whitespace runs become one space.
 */
export function foldText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** Whether the unit lies within the granted units (itself or an ancestor granted). */
export function isGranted(h: Hierarchy, granted: Granted, unitId: string): boolean {
  if (!h.has(unitId)) return false;
  if (granted === 'all') return true;
  return h.pathOf(unitId).some((id) => granted.has(id));
}

/** The granted units that no other granted unit contains, in tree order (the root for 'all'). */
export function topUnits(h: Hierarchy, granted: Granted): string[] {
  if (granted === 'all') return [h.root.id];
  return h.units
    .filter((u) => granted.has(u.id) && !h.ancestorsOf(u.id).some((a) => granted.has(a)))
    .map((u) => u.id);
}

export interface UnitMatch {
  readonly id: string;
  readonly name: string;
  readonly level: string;
  readonly parentId: string | null;
  /** Ancestor names, root first. */
  readonly path: string[];
  /** Ancestor ids, root first. */
  readonly ancestorIds: string[];
}

/**
 * Units inside the grants whose folded name contains the folded query (every word of it, in any
 * order), or whose id starts with the query; in tree order (higher levels first), at most `limit`.
 */
export function searchUnits(h: Hierarchy, granted: Granted, query: string, limit: number): UnitMatch[] {
  const words = foldText(query).split(' ').filter(Boolean);
  const idPrefix = query.trim();
  const matches: UnitMatch[] = [];
  if (words.length === 0) return matches;
  for (const unit of h.units) {
    if (matches.length >= limit) break;
    if (unit.mergedInto !== undefined) continue; // merged: reached by its own link only, not by search
    const name = foldText(unit.name);
    const hit = unit.id.startsWith(idPrefix) || words.every((w) => name.includes(w));
    if (!hit || !isGranted(h, granted, unit.id)) continue;
    matches.push({
      id: unit.id,
      name: unit.name,
      level: unit.level,
      parentId: unit.parentId,
      path: h.ancestorsOf(unit.id).map((a) => h.get(a)?.name ?? a),
      ancestorIds: h.ancestorsOf(unit.id),
    });
  }
  return matches;
}

/** The latest deadline of any unit. */
export function lastDeadline(h: Hierarchy): string {
  return h.units.reduce((latest, u) => (u.deadline > latest ? u.deadline : latest), h.root.deadline);
}
