/** The three read routes of functions/progress.ts as the tests call them (test/unit/functions/progress/): requests, tokens, the seeded totals and the handler over them. */
import { beforeEach, expect } from 'vitest';
import { makeHandler, type RiskStateSource, ROUTES } from '../../functions/progress.js';
import type { RiskStateSnapshot } from '../../shared/domain/risk.js';
import { anHttpEvent, type EventOptions } from './builders.js';
import { aCatalogView, fixedCatalog } from './catalog.js';
import { MemoryTotalsStore, someTotals } from './memory-totals.js';

export const CAMPAIGN = 'cccd-2021-test';
/** 00:30 on 14 March in Hà Nội (UTC+7) while it is still the 13th in UTC: "today" is 2021-03-14. */
export const NOW = new Date('2021-03-13T17:30:00Z');
export const DISTRICT_323 = { sub: 'huyen-323', scope: 'progress:read', units: ['323'] };
export const PROVINCE_33 = { sub: 'tinh-33', scope: 'progress:read', units: ['33'] };

export type Route = keyof typeof ROUTES;

/** A GET of one of the three read routes, as API Gateway hands it to the function. */
export function aReadRequest(
  route: Route,
  unitId: string,
  options: { query?: Record<string, string>; claims?: EventOptions['claims']; campaignId?: string } = {},
) {
  const campaignId = options.campaignId ?? CAMPAIGN;
  return anHttpEvent({
    method: 'GET',
    path: `/v1/campaigns/${campaignId}/units/${unitId}/${route}`,
    routeKey: ROUTES[route],
    pathParameters: { campaignId, unitId },
    ...(options.query && { queryStringParameters: options.query }),
    claims: options.claims === undefined ? PROVINCE_33 : options.claims,
  });
}

export const json = (body: string | undefined): unknown => JSON.parse(body ?? 'null');

/** The risk job's stored states, as its store would hand them over; records what was asked. */
export function storedStates(states: Record<string, RiskStateSnapshot>) {
  const asked: { campaignId: string; unitIds: string[] }[] = [];
  const source: RiskStateSource = {
    get: async (campaignId, unitIds) => {
      asked.push({ campaignId, unitIds: [...unitIds] });
      return new Map(unitIds.flatMap((id) => (states[id] ? [[id, states[id]] as const] : [])));
    },
  };
  return { source, asked };
}

/** The days the read tests start from: communes 12001 and 12002, districts 323 and 324. */
export function seededTotals(): MemoryTotalsStore {
  return new MemoryTotalsStore()
    .addDay(CAMPAIGN, '12001', '2021-03-01', someTotals(5))
    .addDay(CAMPAIGN, '12001', '2021-03-10', someTotals(3, { group: 'official', channel: 'mobile' }))
    .addDay(CAMPAIGN, '12001', '2021-03-14', someTotals(2, { kind: 'renewal' }))
    .addDay(CAMPAIGN, '12002', '2021-03-12', someTotals(90))
    .addDay(CAMPAIGN, '323', '2021-03-12', someTotals(300))
    .addDay(CAMPAIGN, '324', '2021-03-12', someTotals(36))
    .addDay(CAMPAIGN, '324', '2021-03-14', someTotals(4));
}

export type ProgressHandler = ReturnType<typeof makeHandler>;

/** The progress function over the test campaign and `totals`, at NOW unless told; with the risk job's states when given. */
export function aProgressHandler(
  totals: MemoryTotalsStore,
  options: { riskStates?: RiskStateSource; now?: Date } = {},
): ProgressHandler {
  const { riskStates, now = NOW } = options;
  return makeHandler({
    catalog: fixedCatalog(aCatalogView()),
    totals,
    ...(riskStates && { riskStates }),
    clock: () => now,
  });
}

/** Before each test of the calling describe block: the seeded totals and a handler over them, behind one stable object. */
export function progressApi(): { totals: MemoryTotalsStore; handler: ProgressHandler } {
  const api = {} as { totals: MemoryTotalsStore; handler: ProgressHandler };
  beforeEach(() => {
    api.totals = seededTotals();
    api.handler = aProgressHandler(api.totals);
  });
  return api;
}

/** The handler read DAY items only: one Query per unit, over its whole history, and no running totals. */
export function expectDayQueriesOnly(totals: MemoryTotalsStore, unitIds: readonly string[]): void {
  expect(totals.reads.getDays).toEqual(
    unitIds.map((unitId) => ({ campaignId: CAMPAIGN, unitId, from: undefined, to: undefined })),
  );
  expect(totals.reads.getTotals).toHaveLength(0);
}
