/**
 * Identity rules, pure: what goes into an access token for a registered user or machine client
 * (one function for the Cognito trigger and the local identity provider, so both issue the same
 * claims), and what an administrator may give (only grants its own grants cover).
 */

import { type Grant, grantCoversGrant, parseGrant } from './grants.js';
import type { Hierarchy } from './hierarchy.js';

export const IDENTITY_SCOPES = ['intake:write', 'progress:read', 'admin'] as const;
export type IdentityScope = (typeof IDENTITY_SCOPES)[number];

/**
 * The API as a Cognito resource server: clients ask for `quota-campaign-api/progress:read`; the
 * tokens carry the bare names (the Cognito trigger and the local provider write them).
 */
export const RESOURCE_SERVER_IDENTIFIER = 'quota-campaign-api';
export const resourceServerScopes = () => IDENTITY_SCOPES.map((s) => `${RESOURCE_SERVER_IDENTIFIER}/${s}`);

/** What the registry keeps of every principal, person or machine client. */
export interface PrincipalFields {
  readonly name: string;
  /** Grants as written in tokens: `*`, `<campaignId>:*`, `<campaignId>:<unitId>`, `<unitId>`. */
  readonly units: readonly string[];
  readonly scopes: readonly IdentityScope[];
  readonly createdAt: string;
  readonly createdBy: string;
}

/** A person who signs in (dashboard, admin tools). `email` is the sign-in name, stored lowercase. */
export interface UserRecord extends PrincipalFields {
  readonly kind: 'user';
  readonly email: string;
  /** The token's `sub`: Cognito's user sub in AWS, a random UUID locally. */
  readonly sub: string;
  readonly disabled: boolean;
  readonly updatedAt: string;
  /** Local identity provider only: argon2id hash (PHC string) of the password. */
  readonly passwordHash?: string;
}

/** A machine client (an intake app on a district's tablets): client credentials. */
export interface ClientRecord extends PrincipalFields {
  readonly kind: 'client';
  readonly clientId: string;
}

export type Principal = UserRecord | ClientRecord;

/** The claims an access token carries besides the standard ones (§ tokens in docs/ARCHITECTURE.md). */
export interface AccessClaims {
  /** Bare scope names, space separated, in a fixed order. */
  readonly scope: string;
  /** The grants, an array (never one joined string). */
  readonly units: readonly string[];
}

export type ClaimsDecision =
  | { readonly issue: true; readonly claims: AccessClaims }
  | { readonly issue: false; readonly reason: string };

/**
 * The claims of a token for `principal` as stored in the registry, or why no token is issued:
 * not registered, disabled, or registered without any scope or grant.
 */
export function accessTokenClaims(principal: Principal | undefined): ClaimsDecision {
  if (!principal) return { issue: false, reason: 'not in the users and clients registry' };
  if (principal.kind === 'user' && principal.disabled)
    return { issue: false, reason: 'the user is disabled' };
  const scopes = IDENTITY_SCOPES.filter((s) => principal.scopes.includes(s));
  const units = [...new Set(principal.units)].filter((u) => parseGrant(u) !== undefined);
  if (scopes.length === 0 || units.length === 0) {
    return { issue: false, reason: 'registered without any scope or unit' };
  }
  return { issue: true, claims: { scope: scopes.join(' '), units } };
}

export interface GrantProblem {
  readonly path: string;
  readonly message: string;
}

/**
 * Problems with giving `units` and `scopes` (as typed by an administrator) when the giver holds
 * `giverGrants` and `giverScopes`: each element must parse, name a stored campaign and unit, and
 * be covered by the giver's own grants; each scope must exist and be one the giver holds.
 * Empty when everything may be given.
 */
export function grantProblems(
  input: { readonly units: readonly string[]; readonly scopes: readonly string[] },
  giver: { readonly grants: readonly Grant[]; readonly scopes: ReadonlySet<string> },
  hierarchyOf: (campaignId: string) => Hierarchy | undefined,
  knownUnit: (unitId: string) => boolean,
): GrantProblem[] {
  const problems: GrantProblem[] = [];
  if (input.units.length === 0) problems.push({ path: 'units', message: 'give at least one unit (or *)' });
  input.units.forEach((element, i) => {
    const path = `units.${i}`;
    const grant = parseGrant(element);
    if (!grant) {
      problems.push({
        path,
        message: `"${element}" is not a grant: use *, <campaignId>:*, <campaignId>:<unitId> or <unitId>`,
      });
      return;
    }
    if (grant.kind === 'campaign' || (grant.kind === 'unit' && grant.campaignId !== undefined)) {
      const hierarchy = hierarchyOf(grant.campaignId as string);
      if (!hierarchy) {
        problems.push({ path, message: `unknown campaign "${grant.campaignId}"` });
        return;
      }
      if (grant.kind === 'unit' && !hierarchy.has(grant.unitId)) {
        problems.push({ path, message: `unknown unit "${grant.unitId}" in campaign ${grant.campaignId}` });
        return;
      }
    } else if (grant.kind === 'unit' && !knownUnit(grant.unitId)) {
      problems.push({ path, message: `unknown unit "${grant.unitId}" (in no campaign)` });
      return;
    }
    if (!grantCoversGrant(giver.grants, grant, hierarchyOf)) {
      problems.push({ path, message: `"${element}" goes beyond your own grants` });
    }
  });
  if (input.scopes.length === 0) problems.push({ path: 'scope', message: 'give at least one scope' });
  input.scopes.forEach((scope, i) => {
    if (!(IDENTITY_SCOPES as readonly string[]).includes(scope)) {
      problems.push({
        path: `scope.${i}`,
        message: `unknown scope "${scope}": use ${IDENTITY_SCOPES.join(', ')}`,
      });
    } else if (!giver.scopes.has(scope)) {
      problems.push({ path: `scope.${i}`, message: `"${scope}" is a scope you do not hold` });
    }
  });
  return problems;
}

/** Whether the giver may change or remove a principal: its grants must cover every one of the principal's. */
export function mayManage(
  giverGrants: readonly Grant[],
  principal: Pick<Principal, 'units'>,
  hierarchyOf: (campaignId: string) => Hierarchy | undefined,
): boolean {
  return principal.units.every((element) => {
    const grant = parseGrant(element);
    return grant === undefined || grantCoversGrant(giverGrants, grant, hierarchyOf);
  });
}
