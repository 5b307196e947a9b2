/**
 * GET progress, children and daily series of a unit (scope progress:read; the unit must be inside
 * the caller's `units`). One function serves the three routes, chosen by `event.routeKey`.
 *
 * Reads: the catalogue from memory (CatalogCache), then one Query of DAY items per unit shown (the
 * unit, or each child, concurrently): a unit's running total is not stored but summed from its DAY
 * items (shared/store/totals-store.ts), so the total, today, the last 14 days, the 7 days pace
 * observes and the sub-targets all come from that one read, and a total never includes a batch its
 * daily series lacks. About 100 DAY items of under 1 KB by the end of a campaign: one 1 MB page,
 * about 12 read units (eventually consistent), where the previous TOTAL item cost half a unit.
 * - progress: the unit's Query; children: one Query per child (16 in flight), which also gives each
 *   child's last 14 days for the dashboard's sparklines; daily: one Query of the range.
 * With `?asOf=` the figures are those through asOf's local day: the same Queries, bounded there.
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
  type Evaluation,
  progressOf,
  sumDays,
  type UnitFigures,
  worstFirst,
} from '../shared/domain/progress.js';
import type { RiskStateSnapshot } from '../shared/domain/risk.js';
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
import { DynamoMigrationStore } from '../shared/store/migration-store.js';
import { DynamoRiskStore } from '../shared/store/risk-store.js';
import { DynamoTotalsStore, type TotalsReader } from '../shared/store/totals-store.js';
import { mapConcurrent } from '../shared/util/concurrency.js';

/** Queries in flight for children: a province's ~10 districts in one round. */
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
  /** Units whose totals a reorganisation still changes (shared/store/migration-store.ts); absent: none. */
  readonly reorganising?: (campaignId: string) => Promise<ReadonlySet<string>>;
  readonly clock?: () => Date;
}

const logger = createLogger('progress');

/** The units of a reorganisation that has not converged; asked at most every 2 s per campaign. */
export function reorganisingUnits(
  migrations: Pick<DynamoMigrationStore, 'get'>,
  now: () => number = Date.now,
): (campaignId: string) => Promise<ReadonlySet<string>> {
  const cache = new Map<string, { at: number; units: Promise<ReadonlySet<string>> }>();
  return (campaignId) => {
    const hit = cache.get(campaignId);
    if (hit && now() - hit.at < 2_000) return hit.units;
    const units = migrations
      .get(campaignId)
      .then((s): ReadonlySet<string> => (s && s.status !== 'converged' ? new Set(s.affected) : new Set()));
    cache.set(campaignId, { at: now(), units });
    units.catch(() => cache.delete(campaignId));
    return units;
  };
}

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
  reorganising,
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

  /**
   * A unit's figures: its DAY items (all of them now, or through asOf's local day) and their sum.
   * One Query: the total is exactly the sum of the days it returns.
   */
  async function figuresOf(campaignId: string, unitId: string, through: string | undefined) {
    const days = await totals.getDays(campaignId, unitId, undefined, through);
    return { totals: sumDays(days), days };
  }

  /** A unit's figures now, or as of asOf (then through its local day). */
  async function unitFigures(request: UnitRequest) {
    return figuresOf(
      request.at.campaignId,
      request.unit.id,
      request.historical ? request.at.today : undefined,
    );
  }

  async function progress(event: APIGatewayProxyEventV2, caller: Caller) {
    const query = queryParameters(event, ProgressQuery);
    const request = await resolve(event, caller, query.asOf);
    const [figures, stored, moving] = await Promise.all([
      unitFigures(request),
      storedRisk(request.at.campaignId, [request.unit.id]),
      reorganising ? reorganising(request.at.campaignId) : new Set<string>(),
    ]);
    return {
      ...progressOf(request.unit, figures, request.at, stored.get(request.unit.id)),
      ...(moving.has(request.unit.id) && { reorganising: true as const }),
      ...(request.unit.mergedInto !== undefined && { mergedInto: request.unit.mergedInto }),
    };
  }

  /** Each child's last 14 days for the sparklines, from the DAY items already read (days before the start are 0). */
  function childRecentDays(figures: UnitFigures, today: string): DayCount[] {
    const counts = new Map((figures.days ?? []).map((d) => [d.day, d.totals.count]));
    return Array.from({ length: RECENT_DAYS }, (_, i) => {
      const day = addDays(today, i - (RECENT_DAYS - 1));
      return { day, count: counts.get(day) ?? 0 };
    });
  }

  async function children(event: APIGatewayProxyEventV2, caller: Caller): Promise<ChildrenResponse> {
    const query = queryParameters(event, ProgressQuery);
    const request = await resolve(event, caller, query.asOf);
    const { campaignId, today, asOf } = request.at;
    const units = request.view.hierarchy.childrenOf(request.unit.id);

    // A leaf reads nothing.
    if (units.length === 0) return { campaignId, unitId: request.unit.id, asOf, children: [] };
    const reading: Promise<{ unit: Unit; figures: UnitFigures }[]> = mapConcurrent(
      units,
      DAYS_CONCURRENCY,
      async (unit) => ({
        unit,
        figures: await figuresOf(campaignId, unit.id, request.historical ? today : undefined),
      }),
    );
    const [read, stored] = await Promise.all([
      reading,
      storedRisk(
        campaignId,
        units.map((u) => u.id),
      ),
    ]);
    const summaries = read.map(({ unit, figures }) => ({
      ...childSummaryOf(unit, figures, request.at, stored.get(unit.id)),
      last14Days: childRecentDays(figures, today),
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
const migrations = new DynamoMigrationStore(db, campaignTable);
export const handler = makeHandler({
  reorganising: reorganisingUnits(migrations),
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
