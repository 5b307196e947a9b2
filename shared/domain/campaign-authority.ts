/**
 * Who may apply an import plan: the rules for changing a campaign, always judged against the campaign
 * as STORED, never against the uploaded file (a file may claim any root; the store says which unit
 * is whose).
 *
 * - creating a campaign needs `*`;
 * - campaign-wide settings, changing the root, and removing units need a grant covering the stored root;
 * - adding a unit needs a grant covering its parent as stored (a parent that is itself new: its
 *   nearest stored ancestor in the file);
 * - moving a unit (`parentId`) or merging it (`mergedInto`) needs a grant covering the unit and its
 *   new parent or successor, as stored;
 * - editing a unit (name, level, target, deadline, sub-targets) needs a grant covering it as stored.
 */
import type { Hierarchy } from './hierarchy.js';
import type { ImportPlan } from './import-plan.js';

/** What the caller holds in this campaign, asked as the campaign is stored. */
export interface CampaignAuthority {
  /** The caller holds `*` (every campaign, and new ones). */
  readonly all: boolean;
  /** The caller's grants cover this unit as stored (a granted unit covers its subtree). */
  covers(unitId: string): boolean;
}

export type AuthorityDecision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly reasons: string[] };

/** Fields whose change is a move; `path` follows from moves and is not an edit of its own. */
const MOVE_FIELDS = new Set(['parentId', 'mergedInto']);
const DERIVED_FIELDS = new Set(['path', 'depth']);

const list = (ids: readonly string[], max = 5) =>
  ids.slice(0, max).join(', ') + (ids.length > max ? ` and ${ids.length - max} more` : '');

/**
 * Whether the caller may apply `plan` to the campaign as stored (`stored`: null when the campaign does
 * not exist yet). Every reason is given, so the administrator sees all that needs a wider grant.
 */
export function authorizeImport(
  plan: ImportPlan,
  stored: Hierarchy | null,
  authority: CampaignAuthority,
): AuthorityDecision {
  const campaignId = plan.campaign.id;
  if (stored === null || plan.campaignStatus === 'created') {
    return authority.all
      ? { allowed: true }
      : { allowed: false, reasons: [`Creating campaign ${campaignId} needs the grant "*"`] };
  }
  const root = stored.root.id;
  const reasons: string[] = [];
  const rootCovered = authority.covers(root);
  const needRoot = (what: string) => {
    if (!rootCovered) reasons.push(`${what} needs a grant covering the campaign's root unit ${root}`);
  };

  // The file's parents of units the store does not know yet, to find a new parent's stored anchor.
  const newParents = new Map(plan.created.map((u) => [u.id, u.parentId]));
  /** The stored unit a (possibly new) parent hangs from; null when the chain reaches a new root. */
  const storedAnchor = (parentId: string): string | null => {
    let current: string | null | undefined = parentId;
    for (let steps = 0; current !== null && current !== undefined && steps <= newParents.size; steps++) {
      if (stored.has(current)) return current;
      current = newParents.get(current);
    }
    return null;
  };
  const requireUnder = (what: string, parentId: string) => {
    const anchor = storedAnchor(parentId);
    if (anchor === null) needRoot(what);
    else if (!authority.covers(anchor)) {
      const via = anchor === parentId ? '' : ` (new; it hangs from ${anchor})`;
      reasons.push(`${what} needs a grant covering ${parentId}${via}`);
    }
  };

  if (plan.campaignChanges.length > 0) {
    needRoot(`Changing the campaign's ${list(plan.campaignChanges.map((c) => c.field))}`);
  }
  if (plan.removed.length > 0) needRoot(`Removing units ${list(plan.removed.map((u) => u.id))}`);

  for (const unit of plan.created) {
    if (unit.parentId === null) needRoot(`Making the new unit ${unit.id} the root`);
    else requireUnder(`Adding unit ${unit.id}`, unit.parentId);
  }

  for (const { unit, changes } of plan.updated) {
    const fields = changes.map((c) => c.field).filter((f) => !DERIVED_FIELDS.has(f));
    const edits = fields.filter((f) => !MOVE_FIELDS.has(f));
    const moves = changes.filter((c) => MOVE_FIELDS.has(c.field));
    if ((edits.length > 0 || moves.length > 0) && !authority.covers(unit.id)) {
      reasons.push(`Changing unit ${unit.id} (${list(fields)}) needs a grant covering it`);
    }
    for (const move of moves) {
      const target = move.to;
      if (typeof target === 'string' && target.length > 0) {
        const verb = move.field === 'parentId' ? 'Moving' : 'Merging';
        const prep = move.field === 'parentId' ? 'under' : 'into';
        requireUnder(`${verb} unit ${unit.id} ${prep} ${target}`, target);
      } else if (move.field === 'parentId') {
        needRoot(`Making unit ${unit.id} the root`);
      }
    }
    if (unit.id === root && moves.some((m) => m.field === 'parentId')) {
      needRoot(`Moving the root unit ${root}`);
    }
  }
  return reasons.length === 0 ? { allowed: true } : { allowed: false, reasons: [...new Set(reasons)] };
}
