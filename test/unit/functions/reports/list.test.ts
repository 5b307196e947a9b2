/** GET /v1/campaigns/{campaignId}/reports: listing within the caller's subtree, and reading only that subtree. */
import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../../../functions/reports.js';
import { MAX_LISTED_REPORTS, ReportList, summaryOf } from '../../../../shared/schemas/reports.js';
import { anHttpEvent, type EventOptions } from '../../../support/builders.js';
import {
  aReportsHandler,
  aUnitReport,
  CAMPAIGN,
  COMMUNE_12001,
  COMMUNE_12002,
  DISTRICT_323,
  json,
  MemoryReportStore,
  NATIONAL,
  PERIODS,
  PROVINCE_33,
  problemOf,
  reportsApi,
} from '../../../support/reports-api.js';

function aListRequest(options: { query?: Record<string, string>; claims?: EventOptions['claims'] } = {}) {
  return anHttpEvent({
    method: 'GET',
    path: `/v1/campaigns/${CAMPAIGN}/reports`,
    routeKey: ROUTES.list,
    pathParameters: { campaignId: CAMPAIGN },
    ...(options.query && { queryStringParameters: options.query }),
    claims: options.claims === undefined ? PROVINCE_33 : options.claims,
  });
}
const idsOf = (body: string | undefined) => ReportList.parse(json(body)).reports.map((r) => r.reportId);

describe('GET /v1/campaigns/{campaignId}/reports', () => {
  const api = reportsApi();

  it('lists the reports of the whole subtree for the province, units in tree order, then periods', async () => {
    // Act
    const response = await api.handler(aListRequest());
    // Assert
    expect(response.statusCode).toBe(200);
    expect(response.headers?.['content-type']).toMatch(/^application\/json/);
    const body = ReportList.parse(json(response.body));
    expect(body.campaignId).toBe(CAMPAIGN);
    expect(body.reports.map((r) => r.reportId)).toEqual([
      '33:2021-W13',
      '33:2021-W14',
      '33:final',
      '323:2021-W13',
      '323:2021-W14',
      '324:2021-W13',
      '324:2021-W14',
      '12001:2021-W13',
      '12001:2021-W14',
      '12002:2021-W13',
      '12002:2021-W14',
      '12101:2021-W13',
      '12101:2021-W14',
    ]);
    expect(body.reports[0]).toEqual({
      reportId: '33:2021-W13',
      unitId: '33',
      unitName: 'Tỉnh Hưng Yên',
      period: PERIODS['2021-W13'],
      generatedAt: '2021-04-12T00:00:00.000Z',
      atEnd: { total: 40, percent: 4, level: 'at_risk' },
    });
  });

  it.each([
    ['a district', DISTRICT_323, ['323:2021-W14', '12001:2021-W14', '12002:2021-W14']],
    ['a commune', COMMUNE_12001, ['12001:2021-W14']],
  ])(
    "gives %s only its subtree's reports, reading only its units' (not the campaign's)",
    async (_, claims, expected) => {
      // Act
      const response = await api.handler(aListRequest({ claims, query: { period: '2021-W14' } }));
      // Assert
      expect(idsOf(response.body)).toEqual(expected);
      expect(api.store.reads).toEqual([
        {
          method: 'listForUnits',
          args: [CAMPAIGN, expected.map((id) => id.split(':')[0]), { period: '2021-W14' }],
        },
      ]);
    },
  );

  it('gives a national token (*) every report, also of units the catalogue no longer has', async () => {
    // Act
    const response = await api.handler(aListRequest({ claims: NATIONAL, query: { period: '2021-W13' } }));
    // Assert
    const ids = idsOf(response.body);
    expect(ids).toHaveLength(7);
    expect(ids.at(-1)).toBe('12999:2021-W13');
    expect(api.store.reads).toEqual([
      { method: 'list', args: [CAMPAIGN, { period: '2021-W13', limit: MAX_LISTED_REPORTS + 1 }] },
    ]);
  });

  it("filters by unit: that unit's own reports, and by period too", async () => {
    // Act
    const byUnit = await api.handler(aListRequest({ claims: DISTRICT_323, query: { unitId: '12002' } }));
    const both = await api.handler(
      aListRequest({ claims: DISTRICT_323, query: { unitId: '323', period: '2021-W13' } }),
    );
    // Assert
    expect(idsOf(byUnit.body)).toEqual(['12002:2021-W13', '12002:2021-W14']);
    expect(idsOf(both.body)).toEqual(['323:2021-W13']);
  });

  it('lists the final reports with period=final', async () => {
    // Act
    const response = await api.handler(aListRequest({ query: { period: 'final' } }));
    // Assert
    expect(idsOf(response.body)).toEqual(['33:final']);
  });

  it('answers an empty list when the subtree has no reports yet', async () => {
    // Arrange
    const empty = aReportsHandler(new MemoryReportStore());
    // Act
    const response = await empty(aListRequest({ claims: COMMUNE_12002 }));
    // Assert
    expect(response.statusCode).toBe(200);
    expect(json(response.body)).toEqual({ campaignId: CAMPAIGN, reports: [] });
  });

  it.each([
    ['a sibling commune', COMMUNE_12002, '12001'],
    ['the parent district', COMMUNE_12001, '323'],
    ['another district', DISTRICT_323, '324'],
  ])('refuses unitId of %s with 403, reading nothing', async (_, claims, unitId) => {
    // Act
    const response = await api.handler(aListRequest({ claims, query: { unitId } }));
    // Assert
    expect(response.statusCode).toBe(403);
    expect(response.headers?.['content-type']).toBe('application/problem+json');
    expect(problemOf(response.body).detail).toContain(`"${unitId}"`);
    expect(api.store.reads).toEqual([]);
  });

  it.each([
    ['2021-W54', 'not a week'],
    ['2021-w14', 'lowercase w'],
    ['2021-14', 'no W'],
    ['2021-W53', '2021 has 52 weeks'],
    ['Final', 'capitalised'],
    ['', 'empty'],
  ])('refuses period=%s (%s) with 400 naming the parameter', async (period) => {
    // Act
    const response = await api.handler(aListRequest({ query: { period } }));
    // Assert
    expect(response.statusCode).toBe(400);
    const problem = problemOf(response.body);
    expect(problem.type).toBe('urn:problem:validation');
    expect(problem.errors?.[0]?.path).toBe('period');
    expect(api.store.reads).toEqual([]);
  });

  it('accepts week 53 of a year that has one (2020)', async () => {
    // Act
    const response = await api.handler(aListRequest({ query: { period: '2020-W53' } }));
    // Assert
    expect(response.statusCode).toBe(200);
  });

  it('refuses an unknown query parameter with 400, an unknown unit with 403 (scope before existence) and an unknown campaign with 404', async () => {
    // Act
    const misspelt = await api.handler(aListRequest({ query: { perod: '2021-W14' } }));
    const unknownUnit = await api.handler(aListRequest({ query: { unitId: '99999' } }));
    const unknownCampaign = await api.handler(
      anHttpEvent({
        method: 'GET',
        routeKey: ROUTES.list,
        pathParameters: { campaignId: 'cccd-2099-none' },
        claims: PROVINCE_33,
      }),
    );
    // Assert
    expect(misspelt.statusCode).toBe(400);
    expect(problemOf(misspelt.body).errors).toEqual([
      { path: 'perod', message: 'is not a known query parameter' },
    ]);
    expect(unknownUnit.statusCode).toBe(403);
    expect(unknownCampaign.statusCode).toBe(404);
  });

  it(`refuses a list of more than ${MAX_LISTED_REPORTS} reports with 400, advising unitId or period`, async () => {
    // Arrange: a store that answers too many summaries
    const many = Array.from({ length: MAX_LISTED_REPORTS + 1 }, () =>
      summaryOf(aUnitReport('33', '2021-W14')),
    );
    const flooded = aReportsHandler({
      get: async () => null,
      list: async () => many,
      listForUnits: async () => many,
    });
    // Act
    const response = await flooded(aListRequest());
    // Assert
    expect(response.statusCode).toBe(400);
    expect(problemOf(response.body).errors?.[0]?.message).toMatch(/unitId or period/);
  });

  it.each([
    ['*', NATIONAL],
    ['the root', PROVINCE_33],
  ])(
    `reads no more than ${MAX_LISTED_REPORTS + 1} summaries for a holder of %s, however many are stored (400)`,
    async (_, claims) => {
      // Arrange: 25,000 stored; the reader answers at most the limit it is given, and counts what it answers
      const stored = summaryOf(aUnitReport('12001', '2021-W14'));
      let read = 0;
      const reader = async (_campaignId: string, filter: { limit?: number } = {}) => {
        const answer = Array.from({ length: Math.min(25_000, filter.limit ?? 25_000) }, () => stored);
        read += answer.length;
        return answer;
      };
      const handler = aReportsHandler({ get: async () => null, list: reader, listForUnits: async () => [] });
      // Act
      const response = await handler(aListRequest({ claims }));
      // Assert
      expect(response.statusCode).toBe(400);
      expect(problemOf(response.body).detail).toBe(
        `More than ${MAX_LISTED_REPORTS} reports match; a list holds at most ${MAX_LISTED_REPORTS}`,
      );
      expect(read).toBeLessThanOrEqual(MAX_LISTED_REPORTS + 1);
    },
  );

  it('needs progress:read and a token', async () => {
    // Act
    const noScope = await api.handler(
      aListRequest({ claims: { sub: 'x', scope: 'intake:write', units: ['33'] } }),
    );
    const noToken = await api.handler(aListRequest({ claims: null }));
    // Assert
    expect(noScope.statusCode).toBe(403);
    expect(noToken.statusCode).toBe(401);
  });
});
