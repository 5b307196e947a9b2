import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { grantsCoverUnit, unitsGrantedIn } from '../domain/grants.js';
import type { Hierarchy } from '../domain/hierarchy.js';
import type { CatalogView } from '../domain/intake.js';
import { type HttpHandler, httpRouter } from '../http/handler.js';
import { pathParameter } from '../http/params.js';
import { forbidden, notFound } from '../http/problem.js';
import { orProblem } from '../http/registry-problem.js';
import type { RouteHandler, RouteKey } from '../http/router.js';
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

/** A service of one campaign's records (shared/services): a record by id, and the campaign's catalogue. */
export interface CampaignRecordReader<R extends { readonly unitId: string }> {
  get(campaignId: string, id: string): Promise<R | null>;
  view(campaignId: string): Promise<CatalogView>;
}

/**
 * The stored record `id` and the campaign's catalogue, once the record's unit as stored lies inside
 * the caller's grants: 404 problem when there is no such record, 403 when it lies outside.
 */
export async function recordInScope<R extends { readonly unitId: string }>(
  records: CampaignRecordReader<R>,
  noun: string,
  campaignId: string,
  id: string,
  caller: Caller,
): Promise<{ readonly record: R; readonly view: CatalogView }> {
  const record = await records.get(campaignId, id);
  if (!record) throw notFound(`No ${noun} ${id} in campaign ${campaignId}`);
  return { record, view: await unitInScope(records, campaignId, record.unitId, caller) };
}

/** The campaign's catalogue, once the unit, as stored, lies inside the caller's grants (403 otherwise). */
export async function unitInScope(
  records: Pick<CampaignRecordReader<never>, 'view'>,
  campaignId: string,
  unitId: string,
  caller: Caller,
): Promise<CatalogView> {
  const view = await orProblem(records.view(campaignId));
  requireUnitInScope(view.hierarchy, campaignId, unitId, caller);
  return view;
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
export function callerInCampaign(event: APIGatewayProxyEventV2, scope: Scope): CallerInCampaign {
  const caller = callerWithScope(event, scope);
  const campaignId = pathParameter(event, 'campaignId');
  requireGrantIn(campaignId, caller);
  return { caller, campaignId };
}

export interface CallerInCampaign {
  readonly caller: Caller;
  readonly campaignId: string;
}

/**
 * The router of a campaign's admin records (recipients, silences): every route needs the admin scope
 * and a grant in the path's campaign, checked before anything is read; each handler gets both.
 */
export function campaignAdminRouter<N extends string>(
  logger: Logger,
  routes: Readonly<Record<N, RouteKey>>,
  handlers: Readonly<Record<N, RouteHandler<CallerInCampaign>>>,
): HttpHandler {
  return httpRouter(logger, { routes, before: (event) => callerInCampaign(event, 'admin'), handlers });
}
