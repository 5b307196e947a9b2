/**
 * The 2025 reform pattern applied to any campaign file, for `npm run simulate -- --reorganise-on-day N`
 * (scenarios/reform-2025/after.json is this function applied to before.json):
 * 1. the level above the leaves disappears (Vietnam's districts): its children move to its parent,
 *    and each removed unit is `mergedInto` its former parent (its page keeps its past);
 * 2. then, when the root has two or more children that still have children (provinces), the second
 *    is merged into the first: its children move to the first, and it is `mergedInto` the first.
 * A campaign of fewer than three levels gets only what applies (a two-level tree: nothing in 1).
 */
import { buildHierarchy } from '../../../shared/domain/hierarchy.js';
import type { CampaignFile, Unit } from '../../../shared/schemas/campaign.js';

export function reform2025(file: CampaignFile): CampaignFile {
  const hierarchy = buildHierarchy(file.units);
  const live = file.units.filter((u) => u.mergedInto === undefined);
  const maxDepth = Math.max(...live.map((u) => hierarchy.depthOf(u.id)));
  const units = new Map<string, Unit>(file.units.map((u) => [u.id, { ...u }]));

  // 1. The level above the leaves, when it is not the root's own level.
  if (maxDepth >= 3) {
    for (const u of live) {
      if (hierarchy.depthOf(u.id) !== maxDepth - 1 || u.parentId === null) continue;
      const parentId = u.parentId;
      for (const child of hierarchy.childrenOf(u.id)) units.set(child.id, { ...child, parentId });
      units.set(u.id, { ...(units.get(u.id) as Unit), mergedInto: parentId });
    }
  }

  // 2. Two provinces merged: the second non-leaf child of the root into the first.
  const childrenNow = (id: string) =>
    [...units.values()].filter((c) => c.parentId === id && c.mergedInto === undefined);
  const provinces = childrenNow(hierarchy.root.id).filter((c) => childrenNow(c.id).length > 0);
  const [first, second] = provinces;
  if (first && second) {
    for (const child of childrenNow(second.id)) units.set(child.id, { ...child, parentId: first.id });
    units.set(second.id, { ...second, mergedInto: first.id });
  }
  return { ...file, units: file.units.map((u) => units.get(u.id) as Unit) };
}
