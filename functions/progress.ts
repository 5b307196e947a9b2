/**
 * GET progress, children and daily series of a unit (scope progress:read; the unit must be inside
 * the caller's `units`). One function serves the three routes, chosen by `event.routeKey`.
 *
 * Reads: the catalogue from memory (CatalogCache), then
 * - progress: the unit's TOTAL item and one Query of its DAY items (the last 14 days, which hold the
 *   7 complete days pace observes, or from the start when a sub-target's deadline has passed);
 * - children: the children's TOTAL items, their DAY items of today, and of each of the (up to) 7 days
 *   before today that pace observes: one BatchGetItem round per item kind (100 keys per request),
 *   all rounds in parallel: 9 rounds, so 9 requests for up to 100 children, 18 for 200, never one
 *   request per child. A missing DAY item costs a read unit as a present one does: ~100 × 9 × 0.5 =
 *   450 read request units for 100 children (eventually consistent, items under 4 KB). A Query per
 *   child would cost fewer units but 100 requests and their latency.
 * - daily: one Query of the unit's DAY items in the range.
 * With `?asOf=` the figures are those through asOf's local day, summed from DAY items (a TOTAL item
 * holds only the present), so children then cost one Query per child.
 *
 * Pace and risk (shared/domain/risk.ts) are evaluated by the request itself, at asOf or now; only
 * `risk.since` comes from the risk job's stored state (`riskStates`, one batch for all units read),
 * and is null without it.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { z } from 'zod';
import { type Caller, callerFrom, requireScope } from '../shared/auth/claims.js';
import { requireUnitInScope } from '../shared/auth/scope.js';
import { CatalogCache } from '../shared/catalog/catalog-cache.js';
import { parseEnv, requireVar } from '../shared/config/env.js';
import { localDate } from '../shared/domain/calendar.js';
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
import { observationWindow, type RiskStateSnapshot, windowDays } from '../shared/domain/risk.js';
import { emptyTotals } from '../shared/domain/totals.js';
import { type HttpHandler, httpHandler, pathParameter } from '../shared/http/handler.js';
import { badRequest, HttpProblem, jsonResponse, notFound } from '../shared/http/problem.js';
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
import { DynamoRiskStore } from '../shared/store/risk-store.js';
import { DynamoTotalsStore, type TotalsReader } from '../shared/store/totals-store.js';
import { mapConcurrent } from '../shared/util/concurrency.js';

/** Queries in flight when asOf makes children read their days: a province's ~10 districts in one round. */
const DAYS_CONCURRENCY = 16;

export const ROUTES = {
  progress: 'GET /v1/campaigns/{campaignId}/units/{unitId}/progress',
  children: 'GET /v1/campaigns/{campaignId}/units/{unitId}/children',
  daily: 'GET /v1/campaigns/{campaignId}/units/{unitId}/daily',
} as const;

/**
 * The risk job's stored level per unit and since when it holds (its RISK items). Only `risk.since`
 * needs it: the level itself is evaluated by the request.
 */
export interface RiskStateSource {
  get(campaignId: string, unitIds: readonly string[]): Promise<Map<string, RiskStateSnapshot>>;
}

export interface ProgressDeps {
  readonly catalog: Pick<CatalogCache, 'get'>;
  readonly totals: TotalsReader;
  /** Absent: every `risk.since` is null. */
  readonly riskStates?: RiskStateSource;
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

export function makeHandler({
  catalog,
  totals,
  riskStates,
  clock = () => new Date(),
}: ProgressDeps): HttpHandler {
  /** The stored risk states of units (none without a source, or without units). */
  async function storedRisk(campaignId: string, unitIds: readonly string[]) {
    if (!riskStates || unitIds.length === 0) return new Map<string, RiskStateSnapshot>();
    return riskStates.get(campaignId, unitIds);
  }

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
    requireUnitInScope(view.hierarchy, view.campaign.id, unitId, caller);
    return {
      view,
      unit,
      historical: asOfText !== undefined,
      at: {
        campaignId,
        today: localDate(asOf, view.campaign.timeZone),
        asOf: asOf.toISOString(),
        calendar: view.campaign,
      },
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
    const [figures, stored] = await Promise.all([
      unitFigures(request),
      storedRisk(request.at.campaignId, [request.unit.id]),
    ]);
    return progressOf(request.unit, figures, request.at, stored.get(request.unit.id));
  }

  /**
   * Children now: their TOTAL items, today's DAY items, and the DAY items of each day pace observes,
   * one batch per item kind for all children, the rounds in parallel.
   */
  async function currentChildFigures(campaignId: string, units: readonly Unit[], at: Evaluation) {
    const ids = units.map((u) => u.id);
    const window = observationWindow(at.today, at.calendar.startDate);
    const observed = window ? windowDays(window) : [];
    const [running, todays, ...days] = await Promise.all([
      totals.getTotals(campaignId, ids),
      totals.getTotals(campaignId, ids, at.today),
      ...observed.map((day) => totals.getTotals(campaignId, ids, day)),
    ]);
    return units.map((unit) => ({
      unit,
      figures: {
        totals: running.get(unit.id) ?? emptyTotals(),
        days: null,
        today: todays?.get(unit.id) ?? emptyTotals(),
        paceDays: observed.map((day, i) => ({ day, totals: days[i]?.get(unit.id) ?? emptyTotals() })),
      } satisfies UnitFigures,
    }));
  }

  async function children(event: APIGatewayProxyEventV2, caller: Caller): Promise<ChildrenResponse> {
    const query = parseQuery(ProgressQuery, event);
    const request = await resolve(event, caller, query.asOf);
    const { campaignId, today, asOf } = request.at;
    const units = request.view.hierarchy.childrenOf(request.unit.id);

    // A leaf reads nothing.
    if (units.length === 0) return { campaignId, unitId: request.unit.id, asOf, children: [] };
    const reading: Promise<{ unit: Unit; figures: UnitFigures }[]> = request.historical
      ? mapConcurrent(units, DAYS_CONCURRENCY, async (unit) => ({
          unit,
          figures: await historicalFigures(campaignId, unit.id, today),
        }))
      : currentChildFigures(campaignId, units, request.at);
    const [read, stored] = await Promise.all([
      reading,
      storedRisk(
        campaignId,
        units.map((u) => u.id),
      ),
    ]);
    const summaries = read.map(({ unit, figures }) =>
      childSummaryOf(unit, figures, request.at, stored.get(unit.id)),
    );
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
const riskStore = new DynamoRiskStore(db, campaignTable);
export const handler = makeHandler({
  catalog: new CatalogCache(new DynamoCampaignStore(db, campaignTable), env.CATALOG_CACHE_SECONDS * 1000),
  totals: new DynamoTotalsStore(db, campaignTable),
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
