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
 *   request per child. The dashboard's sparklines (`last14Days`) add one round per older day since
 *   the start (up to 6 more). A missing DAY item costs a read unit as a present one does: ~100 × 9 × 0.5 =
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
import { type Caller, callerFrom, requireScope } from '../shared/auth/claims.js';
import { requireGrantIn, requireUnitInScope } from '../shared/auth/scope.js';
import { CatalogCache } from '../shared/catalog/catalog-cache.js';
import { parseEnv, requireVar } from '../shared/config/env.js';
import { addDays, localDate } from '../shared/domain/calendar.js';
import type { CatalogView } from '../shared/domain/intake.js';
import {
  childSummaryOf,
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
import { type HttpHandler, httpHandler } from '../shared/http/handler.js';
import { asOfInstant, dateRange, pathParameter, queryParameters } from '../shared/http/params.js';
import { HttpProblem, jsonResponse, notFound } from '../shared/http/problem.js';
import { createLogger } from '../shared/observability/logger.js';
import type { Unit } from '../shared/schemas/campaign.js';
import {
  type ChildrenResponse,
  DailyQuery,
  type DailyResponse,
  type DayCount,
  ProgressQuery,
  RECENT_DAYS,
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

    const asOf = asOfInstant(asOfText, clock());

    // 403 before 404: who holds nothing here learns nothing of what exists.
    requireGrantIn(campaignId, caller);
    const view = await catalog.get(campaignId);
    if (!view) throw notFound(`No campaign "${campaignId}"`);
    requireUnitInScope(view.hierarchy, view.campaign.id, unitId, caller);
    const unit = view.hierarchy.get(unitId);
    if (!unit) throw notFound(`Campaign "${campaignId}" has no unit "${unitId}"`);
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
    const query = queryParameters(event, ProgressQuery);
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

  /**
   * Each child's last 14 days for the sparklines: what was read already (today, the days pace
   * observes, or every day with asOf) plus one batch per day still missing (the older 6 or 7).
   */
  async function childRecentDays(
    campaignId: string,
    read: readonly { unit: Unit; figures: UnitFigures }[],
    today: string,
    startDate: string,
  ): Promise<Map<string, DayCount[]>> {
    const wanted = Array.from({ length: RECENT_DAYS }, (_, i) => addDays(today, i - (RECENT_DAYS - 1)));
    const known = new Map<string, Map<string, number>>();
    for (const { unit, figures } of read) {
      const counts = new Map<string, number>();
      for (const d of figures.days ?? []) counts.set(d.day, d.totals.count);
      for (const d of figures.paceDays ?? []) counts.set(d.day, d.totals.count);
      if (figures.today) counts.set(today, figures.today.count);
      known.set(unit.id, counts);
    }
    const historical = read.every(({ figures }) => figures.days !== null);
    // Days before the campaign started hold nothing: they are 0 without a read.
    const missing = historical
      ? []
      : wanted.filter((day) => day >= startDate && !known.get(read[0]?.unit.id ?? '')?.has(day));
    const ids = read.map(({ unit }) => unit.id);
    const batches = await Promise.all(missing.map((day) => totals.getTotals(campaignId, ids, day)));
    missing.forEach((day, i) => {
      for (const id of ids) known.get(id)?.set(day, batches[i]?.get(id)?.count ?? 0);
    });
    return new Map(
      ids.map((id) => [id, wanted.map((day) => ({ day, count: known.get(id)?.get(day) ?? 0 }))]),
    );
  }

  async function children(event: APIGatewayProxyEventV2, caller: Caller): Promise<ChildrenResponse> {
    const query = queryParameters(event, ProgressQuery);
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
    const recent = await childRecentDays(campaignId, read, today, request.view.campaign.startDate);
    const summaries = read.map(({ unit, figures }) => ({
      ...childSummaryOf(unit, figures, request.at, stored.get(unit.id)),
      last14Days: recent.get(unit.id) ?? [],
    }));
    return { campaignId, unitId: request.unit.id, asOf, children: worstFirst(summaries) };
  }

  async function daily(event: APIGatewayProxyEventV2, caller: Caller): Promise<DailyResponse> {
    const query = queryParameters(event, DailyQuery);
    const request = await resolve(event, caller, query.asOf);
    const { campaignId, today, asOf } = request.at;
    const range = dateRange(query, { startDate: request.view.campaign.startDate, today });
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
