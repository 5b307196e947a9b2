/** What the plan reads off the campaign file: each unit's own share, group shares, length, leaders. */
import { daysBetween } from '../../../shared/domain/calendar.js';
import { buildHierarchy, type Hierarchy } from '../../../shared/domain/hierarchy.js';
import type { CampaignFile, Unit } from '../../../shared/schemas/campaign.js';
import type { LeaderSpec } from './plan.js';

/** A unit's own share of the target: its target minus its children's (a leaf: all of it). */
export function ownShare(hierarchy: Hierarchy, unit: Unit): number {
  const children = hierarchy.childrenOf(unit.id).reduce((sum, c) => sum + c.target, 0);
  return Math.max(0, unit.target - children);
}

/**
 * The share of a unit's daily intake that belongs to a group: the nearest sub-target of that group
 * (the unit's or an ancestor's), as a share of that unit's target, scaled to the sub-target's
 * shorter window (it is due earlier), at most one half.
 */
export function groupShares(file: CampaignFile, hierarchy: Hierarchy, unitId: string) {
  const shares: { group: string; share: number }[] = [];
  for (const group of file.campaign.groups) {
    const owner = [...hierarchy.pathOf(unitId)]
      .reverse()
      .map((id) => hierarchy.get(id))
      .find((u) => u?.subTargets.some((s) => s.group === group));
    const sub = owner?.subTargets.find((s) => s.group === group);
    if (!owner || !sub || owner.target === 0) continue;
    const span = daysBetween(file.campaign.startDate, owner.deadline) + 1;
    const subSpan = Math.max(1, daysBetween(file.campaign.startDate, sub.deadline) + 1);
    shares.push({ group, share: Math.min(0.5, ((sub.target / owner.target) * span) / subSpan) });
  }
  return shares;
}

/** The campaign's simulated days: from its start through its last deadline. */
export function campaignLength(file: CampaignFile): number {
  const last =
    file.units
      .map((u) => u.deadline)
      .sort()
      .at(-1) ?? file.campaign.startDate;
  return daysBetween(file.campaign.startDate, last) + 1;
}

/** Leaders: the root (SMS and e-mail, Vietnamese) and each of its children (e-mail; every third in English). */
export function leadersFor(
  file: CampaignFile,
  hierarchy: Hierarchy = buildHierarchy(file.units),
): LeaderSpec[] {
  const root = hierarchy.root;
  const slug = (id: string) => id.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const leaders: LeaderSpec[] = [
    {
      unitId: root.id,
      name: `Chủ tịch UBND ${root.name}`,
      sms: '0912345678',
      email: `chutich-${slug(root.id)}@sim.example.vn`,
      lang: 'vi',
    },
  ];
  hierarchy.childrenOf(root.id).forEach((unit, i) => {
    const lang = i % 3 === 2 ? 'en' : 'vi';
    leaders.push({
      unitId: unit.id,
      name: lang === 'en' ? `Chair, ${unit.name}` : `Chủ tịch UBND ${unit.name}`,
      email: `chutich-${slug(unit.id)}@sim.example.vn`,
      lang,
    });
  });
  return leaders;
}
