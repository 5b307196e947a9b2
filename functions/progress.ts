/**
 * GET progress, children and daily series of a unit (scope progress:read; the unit must be inside
 * the caller's `units`). One function serves the three routes, chosen by `event.routeKey`.
 *
 * Reads: the catalogue from memory (CatalogCache), then
 * - progress: the unit's TOTAL item and one Query of its DAY items (the last 14 days, or from the
 *   start when a sub-target's deadline has passed);
 * - children: the children's TOTAL items in one BatchGetItem (100 keys per request), never one
 *   request per child;
 * - daily: one Query of the unit's DAY items in the range.
 * With `?asOf=` the figures are those through asOf's local day, summed from DAY items (a TOTAL item
 * holds only the present), so children then cost one Query per child.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { z } from 'zod';
import { type Caller, callerFrom, requireScope } from '../shared/auth/claims.js';
import { CatalogCache } from '../shared/catalog/catalog-cache.js';
import { parseEnv, requireVar } from '../shared/config/env.js';
import { localDate } from '../shared/domain/calendar.js';
import { isWithinScope } from '../shared/domain/hierarchy.js';
import type { CatalogView } from '../shared/domain/intake.js';
import {
  childSummaryOf,
  dailyRange,
  dailySeries,
  daysToRead,
  type Evaluation,
  progressOf,
  sumDays,
  type UnitFigures,
  worstFirst,
} from '../shared/domain/progress.js';
import { emptyTotals, type Totals } from '../shared/domain/totals.js';
import { type HttpHandler, httpHandler, pathParameter } from '../shared/http/handler.js';
import { badRequest, forbidden, HttpProblem, jsonResponse, notFound } from '../shared/http/problem.js';
import { createLogger } from '../shared/observability/logger.js';
import type { Unit } from '../shared/schemas/campaign.js';
import {
  type ChildrenResponse,
  DailyQuery,
  type DailyResponse,
  MAX_AS_OF_SKEW_MS,
  ProgressQuery,
} from '../shared/schemas/progress.js';
import { DynamoCampaignStore } from '../shared/store/campaign-store.js';
import { createDocumentClient } from '../shared/store/client.js';
import { DynamoTotalsStore, type TotalsReader } from '../shared/store/totals-store.js';
import { mapConcurrent } from '../shared/util/concurrency.js';

/** Queries in flight when asOf makes children read their days: a province's ~10 districts in one round. */
const DAYS_CONCURRENCY = 16;

export const ROUTES = {
  progress: 'GET /v1/campaigns/{campaignId}/units/{unitId}/progress',
  children: 'GET /v1/campaigns/{campaignId}/units/{unitId}/children',
  daily: 'GET /v1/campaigns/{campaignId}/units/{unitId}/daily',
} as const;

export interface ProgressDeps {
  readonly catalog: Pick<CatalogCache, 'get'>;
  readonly totals: TotalsReader;
  readonly clock?: () => Date;
}

const logger = createLogger('progress');

/** The request's unit, checked: the campaign and unit exist, and the caller may read it. */
interface UnitRequest {
  readonly view: CatalogView;
  readonly unit: Unit;
  readonly at: Evaluation;
  /** Whether asOf was given: totals then come from DAY items. */
  readonly historical: boolean;
}

function parseQuery<T>(schema: z.ZodType<T>, event: APIGatewayProxyEventV2): T {
  const parsed = schema.safeParse(event.queryStringParameters ?? {});
  if (parsed.success) return parsed.data;
  throw badRequest(
    'The query string is not valid',
    parsed.error.issues.map((issue) => {
      const key =
        issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue.path.map(String).join('.');
      const message = issue.code === 'unrecognized_keys' ? 'is not a known query parameter' : issue.message;
      return { path: key || '(query)', message };
    }),
  );
}

export function makeHandler({ catalog, totals, clock = () => new Date() }: ProgressDeps): HttpHandler {
  async function resolve(
    event: APIGatewayProxyEventV2,
    caller: Caller,
    asOfText: string | undefined,
  ): Promise<UnitRequest> {
    const campaignId = pathParameter(event, 'campaignId');
    const unitId = pathParameter(event, 'unitId');

    const now = clock();
    const asOf = asOfText === undefined ? now : new Date(asOfText);
    if (asOf.getTime() > now.getTime() + MAX_AS_OF_SKEW_MS) {
      throw badRequest('asOf is in the future', [
        { path: 'asOf', message: `must not be later than now (${now.toISOString()})` },
      ]);
    }

    const view = await catalog.get(campaignId);
    if (!view) throw notFound(`No campaign "${campaignId}"`);
    const unit = view.hierarchy.get(unitId);
    if (!unit) throw notFound(`Campaign "${campaignId}" has no unit "${unitId}"`);
    if (!isWithinScope(view.hierarchy, unitId, caller.units)) {
      throw forbidden(`Unit "${unitId}" is outside the units this token grants`);
    }
    return {
      view,
      unit,
      historical: asOfText !== undefined,
      at: { campaignId, today: localDate(asOf, view.campaign.timeZone), asOf: asOf.toISOString() },
    };
  }

  /** The figures as they stood through `today` (asOf's local day): every DAY item up to it, summed. */
  async function historicalFigures(campaignId: string, unitId: string, today: string) {
    const days = await totals.getDays(campaignId, unitId, undefined, today);
    return { totals: sumDays(days, today), days };
  }

  /** A unit's figures now (its TOTAL item, and the DAY items `daysToRead` names), or as of asOf. */
  async function unitFigures(request: UnitRequest) {
    const { campaignId, today } = request.at;
    const { unit } = request;
    if (request.historical) return historicalFigures(campaignId, unit.id, today);
    const range = daysToRead(unit, today);
    const [running, days] = await Promise.all([
      totals.getTotals(campaignId, [unit.id]),
      totals.getDays(campaignId, unit.id, range.from, range.to),
    ]);
    return { totals: running.get(unit.id) ?? emptyTotals(), days };
  }

  async function progress(event: APIGatewayProxyEventV2, caller: Caller) {
    const query = parseQuery(ProgressQuery, event);
    const request = await resolve(event, caller, query.asOf);
    const figures = await unitFigures(request);
    return progressOf(request.unit, figures, request.at);
  }

  async function children(event: APIGatewayProxyEventV2, caller: Caller): Promise<ChildrenResponse> {
    const query = parseQuery(ProgressQuery, event);
    const request = await resolve(event, caller, query.asOf);
    const { campaignId, today, asOf } = request.at;
    const units = request.view.hierarchy.childrenOf(request.unit.id);

    let read: { unit: Unit; figures: UnitFigures }[];
    if (request.historical) {
      read = await mapConcurrent(units, DAYS_CONCURRENCY, async (unit) => ({
        unit,
        figures: await historicalFigures(campaignId, unit.id, today),
      }));
    } else {
      // Two BatchGetItem rounds for all children (skipped for a leaf): their TOTAL and today's DAY items.
      const ids = units.map((u) => u.id);
      const [running, todays] =
        units.length === 0
          ? [new Map<string, Totals>(), new Map<string, Totals>()]
          : await Promise.all([totals.getTotals(campaignId, ids), totals.getTotals(campaignId, ids, today)]);
      read = units.map((unit) => ({
        unit,
        figures: {
          totals: running.get(unit.id) ?? emptyTotals(),
          days: null,
          today: todays.get(unit.id) ?? emptyTotals(),
        },
      }));
    }
    const summaries = read.map(({ unit, figures }) => childSummaryOf(unit, figures, today));
    return { campaignId, unitId: request.unit.id, asOf, children: worstFirst(summaries) };
  }

  async function daily(event: APIGatewayProxyEventV2, caller: Caller): Promise<DailyResponse> {
    const query = parseQuery(DailyQuery, event);
    const request = await resolve(event, caller, query.asOf);
    const { campaignId, today, asOf } = request.at;
    const range = dailyRange(query, { startDate: request.view.campaign.startDate, today });
    if (!range.ok) throw badRequest('The date range is not valid', range.errors);
    const days =
      range.readThrough === null
        ? []
        : await totals.getDays(campaignId, request.unit.id, range.from, range.readThrough);
    return {
      campaignId,
      unitId: request.unit.id,
      from: range.from,
      to: range.to,
      asOf,
      days: dailySeries(range.from, range.to, days),
    };
  }

  const routes: Record<string, (event: APIGatewayProxyEventV2, caller: Caller) => Promise<unknown>> = {
    [ROUTES.progress]: progress,
    [ROUTES.children]: children,
    [ROUTES.daily]: daily,
  };

  return httpHandler(logger, async (event) => {
    const route = routes[event.routeKey];
    if (!route) {
      throw new HttpProblem({ status: 404, title: 'Not found', detail: `No route ${event.routeKey}` });
    }
    const caller = callerFrom(event);
    requireScope(caller, 'progress:read');
    return jsonResponse(200, await route(event, caller));
  });
}

const env = parseEnv();
const db = createDocumentClient(env.DYNAMODB_ENDPOINT ? { endpoint: env.DYNAMODB_ENDPOINT } : {});
const campaignTable = requireVar(env, 'CAMPAIGN_TABLE');
export const handler = makeHandler({
  catalog: new CatalogCache(new DynamoCampaignStore(db, campaignTable), env.CATALOG_CACHE_SECONDS * 1000),
  totals: new DynamoTotalsStore(db, campaignTable),
});
