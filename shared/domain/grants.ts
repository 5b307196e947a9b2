/**
 * Campaign-scoped grants: what one element of a token's `units` claim gives its holder.
 *
 * - `*`                       every unit of every campaign (national administrators);
 * - `<campaignId>:*`          every unit of one campaign;
 * - `<campaignId>:<unitId>`   that unit and its subtree, in that campaign only;
 * - `<unitId>`                that unit and its subtree in every campaign that has it (unit ids are
 *                             official codes, the same in every campaign of one agency).
 *
 * Parsing is strict: ids follow the campaign file's patterns (no `:`, space, comma, quote or
 * bracket can occur in one), and an element that parses as none of the forms grants nothing,
 * never more. The claim is read as the token carries it (an array); it is never split, so
 * `["11977 *"]` is one bad element, not "11977" and "*".
 */
import type { Hierarchy } from './hierarchy.js';

export type Grant =
  | { readonly kind: 'all' }
  | { readonly kind: 'campaign'; readonly campaignId: string }
  | { readonly kind: 'unit'; readonly unitId: string; readonly campaignId?: string };

/** The campaign file's id patterns (shared/schemas/campaign.ts checks the same at import). */
export const CAMPAIGN_ID_PATTERN = /^[a-z0-9][a-z0-9-]{2,63}$/;
export const UNIT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const ALL = '*';

export function parseGrant(element: unknown): Grant | undefined {
  if (typeof element !== 'string') return undefined;
  if (element === ALL) return { kind: 'all' };
  const colon = element.indexOf(':');
  if (colon < 0) return UNIT_ID_PATTERN.test(element) ? { kind: 'unit', unitId: element } : undefined;
  const campaignId = element.slice(0, colon);
  const rest = element.slice(colon + 1);
  if (!CAMPAIGN_ID_PATTERN.test(campaignId)) return undefined;
  if (rest === ALL) return { kind: 'campaign', campaignId };
  return UNIT_ID_PATTERN.test(rest) ? { kind: 'unit', unitId: rest, campaignId } : undefined;
}

/**
 * The grants of a `units` claim: an array element by element; a lone string is one element (some
 * providers send a one-element claim as a string). Anything else grants nothing.
 */
export function parseGrants(claim: unknown): Grant[] {
  const elements = Array.isArray(claim) ? claim : claim === undefined || claim === null ? [] : [claim];
  const grants: Grant[] = [];
  for (const element of elements) {
    const grant = parseGrant(element);
    if (grant) grants.push(grant);
  }
  return grants;
}

export function formatGrant(grant: Grant): string {
  switch (grant.kind) {
    case 'all':
      return ALL;
    case 'campaign':
      return `${grant.campaignId}:${ALL}`;
    case 'unit':
      return grant.campaignId === undefined ? grant.unitId : `${grant.campaignId}:${grant.unitId}`;
  }
}

/** The unit ids (each with its subtree) the grants give in one campaign, or 'all' for the whole campaign. */
export function unitsGrantedIn(grants: readonly Grant[], campaignId: string): 'all' | ReadonlySet<string> {
  const units = new Set<string>();
  for (const grant of grants) {
    if (grant.kind === 'all') return 'all';
    if (grant.kind === 'campaign') {
      if (grant.campaignId === campaignId) return 'all';
    } else if (grant.campaignId === undefined || grant.campaignId === campaignId) {
      units.add(grant.unitId);
    }
  }
  return units;
}

/**
 * Whether the grants cover `unitId` of `campaignId`, as the campaign is STORED (`hierarchy`): a
 * granted unit covers its subtree. A unit the hierarchy does not know is covered only by a grant
 * of the whole campaign (so that "unknown unit" is never told to a caller without that grant).
 */
export function grantsCoverUnit(
  grants: readonly Grant[],
  campaignId: string,
  unitId: string,
  hierarchy: Hierarchy,
): boolean {
  const granted = unitsGrantedIn(grants, campaignId);
  if (granted === 'all') return true;
  if (granted.size === 0 || !hierarchy.has(unitId)) return false;
  return hierarchy.pathOf(unitId).some((id) => granted.has(id));
}

/** Whether the grants cover the campaign's whole tree (its stored root): campaign-wide authority. */
export function grantsCoverCampaign(
  grants: readonly Grant[],
  campaignId: string,
  hierarchy: Hierarchy,
): boolean {
  return grantsCoverUnit(grants, campaignId, hierarchy.root.id, hierarchy);
}

/**
 * Whether `inner` lies within `outer` — the rule for who may grant what: an administrator may give
 * (or take back) only what its own grants cover. `*` covers everything; `<c>:*` covers `<c>:*` and
 * every `<c>:<unit>`; `<c>:<u>` covers `<c>:<v>` when v is u or below u in c as stored; an
 * unqualified `<u>` covers `<u>` itself and `<c>:<v>` with v at or below u in c. An unqualified
 * inner grant reaches every campaign, present and future, so only `*` or the same id covers it.
 */
export function grantCoversGrant(
  outer: readonly Grant[],
  inner: Grant,
  hierarchyOf: (campaignId: string) => Hierarchy | undefined,
): boolean {
  if (outer.some((g) => g.kind === 'all')) return true;
  switch (inner.kind) {
    case 'all':
      return false;
    case 'campaign':
      return outer.some((g) => g.kind === 'campaign' && g.campaignId === inner.campaignId);
    case 'unit': {
      if (inner.campaignId === undefined) {
        return outer.some(
          (g) => g.kind === 'unit' && g.campaignId === undefined && g.unitId === inner.unitId,
        );
      }
      const hierarchy = hierarchyOf(inner.campaignId);
      if (!hierarchy) return false;
      return grantsCoverUnit(outer, inner.campaignId, inner.unitId, hierarchy);
    }
  }
}
