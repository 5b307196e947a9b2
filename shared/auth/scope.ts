import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { grantsCoverUnit, unitsGrantedIn } from '../domain/grants.js';
import type { Hierarchy } from '../domain/hierarchy.js';
import { pathParameter } from '../http/params.js';
import { forbidden } from '../http/problem.js';
import { type Caller, callerWithScope, type Scope } from './claims.js';

/** 403 problem unless the unit, as stored, lies inside what the caller's grants give in this campaign. */
export function requireUnitInScope(
  hierarchy: Hierarchy,
  campaignId: string,
  unitId: string,
  caller: Caller,
): void {
  if (!grantsCoverUnit(caller.grants, campaignId, unitId, hierarchy)) {
    throw forbidden(`Unit "${unitId}" is outside the units this token grants`);
  }
}

/** The records of units the caller's grants cover, as stored: what a list shows this caller. */
export function withinGrants<T extends { readonly unitId: string }>(
  records: readonly T[],
  hierarchy: Hierarchy,
  campaignId: string,
  caller: Caller,
): T[] {
  return records.filter((r) => grantsCoverUnit(caller.grants, campaignId, r.unitId, hierarchy));
}

/**
 * 403 problem unless the caller holds something in this campaign: checked before the campaign is
 * read, so that a caller without a grant there cannot tell which campaigns exist (403 before 404).
 */
export function requireGrantIn(campaignId: string, caller: Caller): void {
  const granted = unitsGrantedIn(caller.grants, campaignId);
  if (granted !== 'all' && granted.size === 0) {
    throw forbidden(`This token grants nothing in campaign "${campaignId}"`);
  }
}

/**
 * The caller, holding `scope` and something in the path's campaign (403 before 404: who holds
 * nothing in the campaign learns nothing of it): the `before` step of the campaign admin routers.
 */
export function callerInCampaign(
  event: APIGatewayProxyEventV2,
  scope: Scope,
): { readonly caller: Caller; readonly campaignId: string } {
  const caller = callerWithScope(event, scope);
  const campaignId = pathParameter(event, 'campaignId');
  requireGrantIn(campaignId, caller);
  return { caller, campaignId };
}
