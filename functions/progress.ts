/**
 * GET progress, children and daily series of a unit (scope progress:read; the unit must be inside
 * the caller's `units`). One function serves the three routes (shared/http/router.ts): each parses
 * its query and path, checks the caller, and calls the read plan (shared/services/progress.ts, which
 * says what each route reads and costs).
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { type Caller, callerWithScope } from '../shared/auth/claims.js';
import { requireGrantIn, requireUnitInScope } from '../shared/auth/scope.js';
import { CatalogCache } from '../shared/catalog/catalog-cache.js';
import { type HttpHandler, httpRouter } from '../shared/http/handler.js';
import { asOfInstant, dateRange, pathParameter, plainQueryParameters } from '../shared/http/params.js';
import { orProblem } from '../shared/http/registry-problem.js';
import { jsonRoute } from '../shared/http/router.js';
import { createLogger } from '../shared/observability/logger.js';
import type { DailyQuery, ProgressQuery } from '../shared/schemas/progress.js';
import { ProgressReads, type RiskStateSource, reorganisingUnits } from '../shared/services/progress.js';
import { DynamoCampaignStore } from '../shared/store/campaign-store.js';
import { campaignTableFromEnv } from '../shared/store/client.js';
import { DynamoMigrationStore } from '../shared/store/migration-store.js';
import { DynamoRiskStore } from '../shared/store/risk-store.js';
import { DynamoTotalsStore, type TotalsReader } from '../shared/store/totals-store.js';

export type { RiskStateSource } from '../shared/services/progress.js';

export const ROUTES = {
  progress: 'GET /v1/campaigns/{campaignId}/units/{unitId}/progress',
  children: 'GET /v1/campaigns/{campaignId}/units/{unitId}/children',
  daily: 'GET /v1/campaigns/{campaignId}/units/{unitId}/daily',
} as const;

export interface ProgressDeps {
  readonly catalog: Pick<CatalogCache, 'get'>;
  readonly totals: TotalsReader;
  /** Absent: every `risk.since` is null. */
  readonly riskStates?: RiskStateSource;
  /** Units whose totals a reorganisation still changes (shared/services/progress.ts); absent: none. */
  readonly reorganising?: (campaignId: string) => Promise<ReadonlySet<string>>;
  readonly clock?: () => Date;
}

const logger = createLogger('progress');

/**
 * The routes' query strings, read by plain rules (shared/http/params.ts `plainQueryParameters`): the
 * schemas, and zod with them, load only for a query the rules refuse, to say why (bench: coldstart).
 */
const progressQuery = (event: APIGatewayProxyEventV2): Promise<ProgressQuery> =>
  plainQueryParameters(event, { asOf: 'asOf' }, async () => (await schemas()).ProgressQuery);
const dailyQuery = (event: APIGatewayProxyEventV2): Promise<DailyQuery> =>
  plainQueryParameters(
    event,
    { from: 'date', to: 'date', asOf: 'asOf' },
    async () => (await schemas()).DailyQuery,
  );
const schemas = () => import('../shared/schemas/progress.js');

export function makeHandler({ clock = () => new Date(), ...deps }: ProgressDeps): HttpHandler {
  const reads = new ProgressReads(deps);

  /** The request's unit, checked: 403 before 404, so who holds nothing here learns nothing of what exists. */
  function unitOf(event: APIGatewayProxyEventV2, caller: Caller, asOfText: string | undefined) {
    const campaignId = pathParameter(event, 'campaignId');
    const unitId = pathParameter(event, 'unitId');
    const instant = asOfInstant(asOfText, clock());
    requireGrantIn(campaignId, caller);
    return orProblem(
      reads.unit(campaignId, unitId, { instant, historical: asOfText !== undefined }, (view) =>
        requireUnitInScope(view.hierarchy, view.campaign.id, unitId, caller),
      ),
    );
  }

  return httpRouter(logger, {
    routes: ROUTES,
    before: (event) => callerWithScope(event, 'progress:read'),
    handlers: {
      progress: jsonRoute<Caller>(async (event, caller) => {
        const query = await progressQuery(event);
        return reads.progress(await unitOf(event, caller, query.asOf));
      }),
      children: jsonRoute<Caller>(async (event, caller) => {
        const query = await progressQuery(event);
        return reads.children(await unitOf(event, caller, query.asOf));
      }),
      daily: jsonRoute<Caller>(async (event, caller) => {
        const query = await dailyQuery(event);
        const request = await unitOf(event, caller, query.asOf);
        const range = dateRange(query, {
          startDate: request.view.campaign.startDate,
          today: request.at.today,
        });
        return reads.daily(request, range);
      }),
    },
  });
}

const { env, db, table } = await campaignTableFromEnv();
const riskStore = new DynamoRiskStore(db, table);
export const handler = makeHandler({
  reorganising: reorganisingUnits(new DynamoMigrationStore(db, table)),
  catalog: new CatalogCache(new DynamoCampaignStore(db, table), env.CATALOG_CACHE_SECONDS * 1000),
  totals: new DynamoTotalsStore(db, table),
  // The risk job's stored levels give `risk.since`.
  riskStates: {
    get: async (campaignId, unitIds) =>
      new Map(
        [...(await riskStore.getStates(campaignId, unitIds))].map(([id, s]) => [
          id,
          { level: s.level, since: s.since },
        ]),
      ),
  },
});
