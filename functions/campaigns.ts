/**
 * The dashboard's read routes besides progress (scope progress:read; only units inside the caller's
 * grants and their subtrees):
 * - GET /v1/campaigns: the campaigns where the caller holds a unit (all of them with `*`);
 * - GET /v1/campaigns/{campaignId}: the campaign's settings and the caller's top units there;
 * - GET /v1/campaigns/{campaignId}/units?q=&limit=: units matching a name (case and diacritics
 *   ignored) or an id prefix, each with its ancestors' names;
 * - GET /v1/campaigns/{campaignId}/units/{unitId}/risk-history[?asOf=]: the unit's level changes.
 *
 * Reads: the catalogue from memory (CatalogCache; the campaign list reads each campaign's catalogue
 * through it), and for risk-history one Query of the unit's LEVEL# items.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { type Caller, callerWithScope } from '../shared/auth/claims.js';
import { requireGrantIn, requireUnitInScope } from '../shared/auth/scope.js';
import { CatalogCache } from '../shared/catalog/catalog-cache.js';
import { unitsGrantedIn } from '../shared/domain/grants.js';
import type { CatalogView } from '../shared/domain/intake.js';
import { type Granted, lastDeadline, searchUnits, topUnits } from '../shared/domain/unit-search.js';
import { type HttpHandler, httpRouter } from '../shared/http/handler.js';
import {
  noQueryParameters,
  pathParameter,
  plainQueryParameters,
  queryParameters,
} from '../shared/http/params.js';
import { notFound } from '../shared/http/problem.js';
import { jsonRoute } from '../shared/http/router.js';
import { createLogger } from '../shared/observability/logger.js';
import type {
  CampaignDetail,
  CampaignList,
  RiskHistoryResponse,
  UnitSearchResponse,
} from '../shared/schemas/dashboard.js';
import type { RiskLevel } from '../shared/schemas/progress.js';
import { DynamoCampaignStore } from '../shared/store/campaign-store.js';
import { campaignTableFromEnv } from '../shared/store/client.js';
import { DynamoRiskStore } from '../shared/store/risk-store.js';
import { mapConcurrent } from '../shared/util/concurrency.js';

export const ROUTES = {
  list: 'GET /v1/campaigns',
  detail: 'GET /v1/campaigns/{campaignId}',
  search: 'GET /v1/campaigns/{campaignId}/units',
  riskHistory: 'GET /v1/campaigns/{campaignId}/units/{unitId}/risk-history',
} as const;

export interface CampaignsDeps {
  readonly catalog: Pick<CatalogCache, 'get'>;
  readonly campaigns: { listCampaigns(): Promise<{ id: string }[]> };
  readonly riskHistory: {
    history(campaignId: string, unitId: string): Promise<{ level: RiskLevel; since: string }[]>;
  };
}

const logger = createLogger('campaigns');

/** The units the caller holds in one campaign (each with its subtree), from its grants. */
export const grantedIn = (caller: Caller, campaignId: string): Granted =>
  unitsGrantedIn(caller.grants, campaignId);

/**
 * The schemas are loaded only by a route that needs them: the search's query string (always one), or
 * a risk-history query the plain rules refuse (for its messages); the other routes need no zod.
 */
const schemas = () => import('../shared/schemas/dashboard.js');

export function makeHandler({ catalog, campaigns, riskHistory }: CampaignsDeps): HttpHandler {
  async function viewOf(campaignId: string): Promise<CatalogView> {
    const view = await catalog.get(campaignId);
    if (!view) throw notFound(`No campaign "${campaignId}"`);
    return view;
  }

  /** Top units the caller holds that exist in the campaign (a grant of an unknown unit grants nothing). */
  const topsOf = (view: CatalogView, granted: Granted) =>
    topUnits(view.hierarchy, granted).filter((id) => view.hierarchy.has(id));

  async function list(event: APIGatewayProxyEventV2, caller: Caller): Promise<CampaignList> {
    noQueryParameters(event);
    const all = await campaigns.listCampaigns();
    const views = await mapConcurrent(all, 8, (c) => catalog.get(c.id));
    const result: CampaignList['campaigns'] = [];
    for (const view of views) {
      if (!view) continue;
      const tops = topsOf(view, grantedIn(caller, view.campaign.id));
      if (tops.length === 0) continue;
      result.push({
        id: view.campaign.id,
        name: view.campaign.name,
        rootUnitId: view.hierarchy.root.id,
        startDate: view.campaign.startDate,
        lastDeadline: lastDeadline(view.hierarchy),
        grantedUnits: tops,
      });
    }
    result.sort((a, b) => b.startDate.localeCompare(a.startDate) || a.id.localeCompare(b.id));
    return { campaigns: result };
  }

  async function detail(event: APIGatewayProxyEventV2, caller: Caller): Promise<CampaignDetail> {
    noQueryParameters(event);
    const campaignId = pathParameter(event, 'campaignId');
    // A campaign where the caller holds nothing is, to that caller, not there at all: answered before
    // anything is read, so no token makes this route read (and cache) any campaign id it names.
    const granted = grantedIn(caller, campaignId);
    if (granted !== 'all' && granted.size === 0) throw notFound(`No campaign "${campaignId}"`);
    const view = await viewOf(campaignId);
    const tops = topsOf(view, granted);
    if (tops.length === 0) throw notFound(`No campaign "${campaignId}"`);
    return {
      campaign: view.campaign,
      rootUnitId: view.hierarchy.root.id,
      lastDeadline: lastDeadline(view.hierarchy),
      topUnits: tops.map((id) => {
        const u = view.hierarchy.get(id);
        if (!u) throw new Error(`unit ${id} vanished`);
        return {
          id: u.id,
          name: u.name,
          level: u.level,
          parentId: u.parentId,
          target: u.target,
          deadline: u.deadline,
        };
      }),
    };
  }

  async function search(event: APIGatewayProxyEventV2, caller: Caller): Promise<UnitSearchResponse> {
    const query = queryParameters(event, (await schemas()).UnitSearchQuery);
    const campaignId = pathParameter(event, 'campaignId');
    requireGrantIn(campaignId, caller);
    const view = await viewOf(campaignId);
    return { units: searchUnits(view.hierarchy, grantedIn(caller, campaignId), query.q, query.limit) };
  }

  async function history(event: APIGatewayProxyEventV2, caller: Caller): Promise<RiskHistoryResponse> {
    const query = await plainQueryParameters(
      event,
      { asOf: 'asOf' },
      async () => (await schemas()).RiskHistoryQuery,
    );
    const campaignId = pathParameter(event, 'campaignId');
    const unitId = pathParameter(event, 'unitId');
    requireGrantIn(campaignId, caller);
    const view = await viewOf(campaignId);
    // Scope before existence: an unknown unit is told only to a grant of the whole campaign.
    requireUnitInScope(view.hierarchy, campaignId, unitId, caller);
    if (!view.hierarchy.has(unitId)) throw notFound(`Campaign "${campaignId}" has no unit "${unitId}"`);
    const until = query.asOf === undefined ? Number.POSITIVE_INFINITY : Date.parse(query.asOf);
    const levels = (await riskHistory.history(campaignId, unitId))
      .filter((c) => Date.parse(c.since) <= until)
      .sort((a, b) => Date.parse(a.since) - Date.parse(b.since));
    return {
      campaignId,
      unitId,
      changes: levels.map((c, i) => ({ at: c.since, from: levels[i - 1]?.level ?? null, to: c.level })),
    };
  }

  return httpRouter(logger, {
    routes: ROUTES,
    handlers: {
      list: jsonRoute(list),
      detail: jsonRoute(detail),
      search: jsonRoute(search),
      riskHistory: jsonRoute(history),
    },
    before: (event) => callerWithScope(event, 'progress:read'),
  });
}

const { env, db, table } = await campaignTableFromEnv();
const campaignStore = new DynamoCampaignStore(db, table);
export const handler = makeHandler({
  catalog: new CatalogCache(campaignStore, env.CATALOG_CACHE_SECONDS * 1000),
  campaigns: campaignStore,
  riskHistory: new DynamoRiskStore(db, table),
});
