/**
 * The reports API with an in-memory store and catalogue: listing within the caller's subtree (and
 * reading only that subtree), one report as JSON or CSV by the Accept header, and the errors.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import { CSV_CONTENT_TYPE, makeHandler, negotiate, ROUTES } from '../../../functions/reports.js';
import { createGateway } from '../../../infra/local/gateway.js';
import {
  buildReport,
  type ReportPeriod as DomainReportPeriod,
  type UnitReport as DomainUnitReport,
  weekPeriod,
} from '../../../shared/domain/report.js';
import { reportToCsv } from '../../../shared/domain/report-render.js';
import {
  MAX_LISTED_REPORTS,
  ReportList,
  type ReportPeriod,
  type ReportSummary,
  summaryOf,
  UnitReport,
} from '../../../shared/schemas/reports.js';
import type { ReportFilter, ReportReader, ReportStore } from '../../../shared/store/report-store.js';
import { aBearerToken, anHttpEvent, aReport, type EventOptions } from '../../support/builders.js';
import { aCatalogView, fixedCatalog } from '../../support/catalog.js';

const CAMPAIGN = 'cccd-2021-test';
const COMMUNE_12001 = { sub: 'xa-12001', scope: 'progress:read', units: ['12001'] };
const COMMUNE_12002 = { sub: 'xa-12002', scope: 'progress:read', units: ['12002'] };
const DISTRICT_323 = { sub: 'huyen-323', scope: 'progress:read', units: ['323'] };
const PROVINCE_33 = { sub: 'tinh-33', scope: 'progress:read', units: ['33'] };
const NATIONAL = { sub: 'bo-cong-an', scope: 'progress:read', units: ['*'] };

const view = aCatalogView();

const PERIODS: Record<string, ReportPeriod> = {
  '2021-W13': { kind: 'week', id: '2021-W13', from: '2021-03-29', to: '2021-04-04' },
  '2021-W14': { kind: 'week', id: '2021-W14', from: '2021-04-05', to: '2021-04-11' },
  final: { kind: 'final', id: 'final', from: '2021-03-01', to: '2021-06-18' },
};

/** A report of a unit of the test campaign (33 → 323, 324 → communes), its children with figures. */
function aUnitReport(
  unitId: string,
  periodId: string,
  overrides: Partial<DomainUnitReport> = {},
): DomainUnitReport {
  const unit = view.hierarchy.get(unitId);
  const period = PERIODS[periodId];
  if (!period) throw new Error(`no test period ${periodId}`);
  const children = unit ? view.hierarchy.childrenOf(unitId) : [];
  return aReport({
    reportId: `${unitId}:${periodId}`,
    campaignId: CAMPAIGN,
    campaignName: view.campaign.name,
    unit: {
      id: unitId,
      name: unit?.name ?? `Đơn vị ${unitId}`,
      level: unit?.level ?? 'commune',
      parentId: unit?.parentId ?? null,
    },
    period,
    generatedAt: '2021-04-12T00:00:00.000Z',
    target: unit?.target ?? 100,
    deadline: '2021-06-18',
    atStart: { total: 10, percent: 1, level: 'critical' },
    atEnd: { total: 40, percent: 4, level: 'at_risk' },
    received: 30,
    dailyAverage: 4.29,
    requiredDailyRate: 12.5,
    levelChanged: true,
    subTargets: [],
    children: children.map((c, i) => ({
      unitId: c.id,
      name: c.name,
      received: 10 + i,
      total: 20 + i,
      target: c.target,
      percent: Number((((20 + i) / c.target) * 100).toFixed(2)),
      level: 'at_risk',
    })),
    best: children.map((c) => c.id),
    worst: children.map((c) => c.id).reverse(),
    notes: [],
    ...overrides,
  });
}

/** An in-memory ReportStore and ReportReader that records what it is asked to read. */
class MemoryReportStore implements ReportStore, ReportReader {
  readonly reports = new Map<string, DomainUnitReport>();
  readonly reads: { method: 'get' | 'list' | 'listForUnits'; args: unknown[] }[] = [];

  constructor(...reports: DomainUnitReport[]) {
    for (const r of reports) this.reports.set(`${r.campaignId}|${r.reportId}`, r);
  }

  async put(report: DomainUnitReport) {
    const key = `${report.campaignId}|${report.reportId}`;
    const before = this.reports.get(key);
    this.reports.set(key, report);
    return before ? 'replaced' : 'created';
  }
  async get(campaignId: string, reportId: string) {
    this.reads.push({ method: 'get', args: [campaignId, reportId] });
    return this.reports.get(`${campaignId}|${reportId}`) ?? null;
  }
  async list(campaignId: string, filter: ReportFilter = {}) {
    this.reads.push({ method: 'list', args: [campaignId, filter] });
    return this.matching(
      campaignId,
      (r) =>
        [filter.unitId ?? r.unit.id, filter.period ?? r.period.id].join() === [r.unit.id, r.period.id].join(),
    );
  }
  async listForUnits(campaignId: string, unitIds: readonly string[], filter: { period?: string } = {}) {
    this.reads.push({ method: 'listForUnits', args: [campaignId, [...unitIds], filter] });
    return this.matching(
      campaignId,
      (r) => unitIds.includes(r.unit.id) && (filter.period ?? r.period.id) === r.period.id,
    );
  }
  private matching(campaignId: string, keep: (r: DomainUnitReport) => boolean): ReportSummary[] {
    return [...this.reports.values()].filter((r) => r.campaignId === campaignId && keep(r)).map(summaryOf);
  }
}

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

function aReportRequest(
  reportId: string,
  options: {
    accept?: string;
    query?: Record<string, string>;
    claims?: EventOptions['claims'];
    campaignId?: string;
  } = {},
) {
  const campaignId = options.campaignId ?? CAMPAIGN;
  const event = anHttpEvent({
    method: 'GET',
    path: `/v1/campaigns/${campaignId}/reports/${encodeURIComponent(reportId)}`,
    routeKey: ROUTES.get,
    pathParameters: { campaignId, reportId: encodeURIComponent(reportId) },
    ...(options.query && { queryStringParameters: options.query }),
    claims: options.claims === undefined ? PROVINCE_33 : options.claims,
  });
  if (options.accept !== undefined) event.headers.accept = options.accept;
  return event;
}

const json = (body: string | undefined): unknown => JSON.parse(body ?? 'null');
const problemOf = (body: string | undefined) =>
  json(body) as {
    type: string;
    status: number;
    detail?: string;
    errors?: { path: string; message: string }[];
  };
const idsOf = (body: string | undefined) => ReportList.parse(json(body)).reports.map((r) => r.reportId);

/** Every test report: the units' weekly reports of W13 and W14, the province's final one. */
function everyReport() {
  const units = ['33', '323', '324', '12001', '12002', '12101'];
  return [
    ...units.flatMap((id) => [aUnitReport(id, '2021-W14'), aUnitReport(id, '2021-W13')]),
    aUnitReport('33', 'final'),
    // A unit removed from the catalogue since its report was made.
    aUnitReport('12999', '2021-W13'),
  ];
}

describe('GET /v1/campaigns/{campaignId}/reports', () => {
  let store: MemoryReportStore;
  let handler: ReturnType<typeof makeHandler>;
  beforeEach(() => {
    store = new MemoryReportStore(...everyReport());
    handler = makeHandler({ catalog: fixedCatalog(view), reports: store, renderCsv: reportToCsv });
  });

  it('lists the reports of the whole subtree for the province, units in tree order, then periods', async () => {
    // Act
    const response = await handler(aListRequest());
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
      const response = await handler(aListRequest({ claims, query: { period: '2021-W14' } }));
      // Assert
      expect(idsOf(response.body)).toEqual(expected);
      expect(store.reads).toEqual([
        {
          method: 'listForUnits',
          args: [CAMPAIGN, expected.map((id) => id.split(':')[0]), { period: '2021-W14' }],
        },
      ]);
    },
  );

  it('gives a national token (*) every report, also of units the catalogue no longer has', async () => {
    // Act
    const response = await handler(aListRequest({ claims: NATIONAL, query: { period: '2021-W13' } }));
    // Assert
    const ids = idsOf(response.body);
    expect(ids).toHaveLength(7);
    expect(ids.at(-1)).toBe('12999:2021-W13');
    expect(store.reads).toEqual([{ method: 'list', args: [CAMPAIGN, { period: '2021-W13' }] }]);
  });

  it("filters by unit: that unit's own reports, and by period too", async () => {
    // Act
    const byUnit = await handler(aListRequest({ claims: DISTRICT_323, query: { unitId: '12002' } }));
    const both = await handler(
      aListRequest({ claims: DISTRICT_323, query: { unitId: '323', period: '2021-W13' } }),
    );
    // Assert
    expect(idsOf(byUnit.body)).toEqual(['12002:2021-W13', '12002:2021-W14']);
    expect(idsOf(both.body)).toEqual(['323:2021-W13']);
  });

  it('lists the final reports with period=final', async () => {
    // Act
    const response = await handler(aListRequest({ query: { period: 'final' } }));
    // Assert
    expect(idsOf(response.body)).toEqual(['33:final']);
  });

  it('answers an empty list when the subtree has no reports yet', async () => {
    // Arrange
    const empty = makeHandler({
      catalog: fixedCatalog(view),
      reports: new MemoryReportStore(),
      renderCsv: reportToCsv,
    });
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
    const response = await handler(aListRequest({ claims, query: { unitId } }));
    // Assert
    expect(response.statusCode).toBe(403);
    expect(response.headers?.['content-type']).toBe('application/problem+json');
    expect(problemOf(response.body).detail).toContain(`"${unitId}"`);
    expect(store.reads).toEqual([]);
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
    const response = await handler(aListRequest({ query: { period } }));
    // Assert
    expect(response.statusCode).toBe(400);
    const problem = problemOf(response.body);
    expect(problem.type).toBe('urn:problem:validation');
    expect(problem.errors?.[0]?.path).toBe('period');
    expect(store.reads).toEqual([]);
  });

  it('accepts week 53 of a year that has one (2020)', async () => {
    // Act
    const response = await handler(aListRequest({ query: { period: '2020-W53' } }));
    // Assert
    expect(response.statusCode).toBe(200);
  });

  it('refuses an unknown query parameter with 400, an unknown unit with 403 (scope before existence) and an unknown campaign with 404', async () => {
    // Act
    const misspelt = await handler(aListRequest({ query: { perod: '2021-W14' } }));
    const unknownUnit = await handler(aListRequest({ query: { unitId: '99999' } }));
    const unknownCampaign = await handler(
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
    const flooded = makeHandler({
      catalog: fixedCatalog(view),
      reports: { get: async () => null, list: async () => many, listForUnits: async () => many },
      renderCsv: reportToCsv,
    });
    // Act
    const response = await flooded(aListRequest());
    // Assert
    expect(response.statusCode).toBe(400);
    expect(problemOf(response.body).errors?.[0]?.message).toMatch(/unitId or period/);
  });

  it('needs progress:read and a token', async () => {
    // Act
    const noScope = await handler(
      aListRequest({ claims: { sub: 'x', scope: 'intake:write', units: ['33'] } }),
    );
    const noToken = await handler(aListRequest({ claims: null }));
    // Assert
    expect(noScope.statusCode).toBe(403);
    expect(noToken.statusCode).toBe(401);
  });
});

describe('GET /v1/campaigns/{campaignId}/reports/{reportId}', () => {
  let store: MemoryReportStore;
  let handler: ReturnType<typeof makeHandler>;
  const report = aUnitReport('33', '2021-W13');
  beforeEach(() => {
    store = new MemoryReportStore(...everyReport());
    handler = makeHandler({ catalog: fixedCatalog(view), reports: store, renderCsv: reportToCsv });
  });

  it('answers the report as JSON by default', async () => {
    // Act
    const response = await handler(aReportRequest('33:2021-W13'));
    // Assert
    expect(response.statusCode).toBe(200);
    expect(response.headers?.['content-type']).toBe('application/json; charset=utf-8');
    expect(response.headers?.vary).toBe('accept');
    expect(UnitReport.parse(json(response.body))).toEqual(report);
  });

  it.each([
    ['application/json'],
    ['*/*'],
    ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'],
    ['text/csv;q=0.5, application/json'],
  ])('answers JSON for Accept: %s', async (accept) => {
    // Act
    const response = await handler(aReportRequest('33:2021-W13', { accept }));
    // Assert
    expect(response.headers?.['content-type']).toBe('application/json; charset=utf-8');
  });

  it('answers CSV for Accept: text/csv: BOM first, Vietnamese headers, one row per child, as an attachment', async () => {
    // Act
    const response = await handler(aReportRequest('33:2021-W13', { accept: 'text/csv' }));
    // Assert
    expect(response.statusCode).toBe(200);
    expect(response.headers).toEqual({
      'content-type': CSV_CONTENT_TYPE,
      'content-disposition': 'attachment; filename="bao-cao-33-2021-W13.csv"',
      vary: 'accept',
    });
    const body = response.body ?? '';
    expect(body.codePointAt(0)).toBe(0xfeff);
    expect(body).toBe(reportToCsv(report, 'vi'));
    const lines = body.slice(1).split('\r\n').filter(Boolean);
    expect(lines[0]).toMatch(/^Mã đơn vị,Tên đơn vị,/);
    expect(lines).toHaveLength(1 + report.children.length);
    expect(lines[1]).toMatch(/^323,Huyện Văn Lâm,10,20,600,/);
  });

  it.each([['text/csv; charset=utf-8'], ['TEXT/CSV'], ['application/json;q=0.1, text/csv'], ['text/*']])(
    'answers CSV for Accept: %s',
    async (accept) => {
      // Act
      const response = await handler(aReportRequest('33:2021-W13', { accept }));
      // Assert
      expect(response.headers?.['content-type']).toBe(CSV_CONTENT_TYPE);
    },
  );

  it('answers CSV with English headers and file name for lang=en', async () => {
    // Act
    const response = await handler(
      aReportRequest('33:2021-W13', { accept: 'text/csv', query: { lang: 'en' } }),
    );
    // Assert
    expect(response.headers?.['content-disposition']).toBe('attachment; filename="report-33-2021-W13.csv"');
    expect(response.body?.codePointAt(0)).toBe(0xfeff);
    expect(response.body?.slice(1)).toMatch(/^Unit ID,Name,Received in period,/);
  });

  it('passes lang to the renderer, and adds the BOM should a renderer leave it out', async () => {
    // Arrange
    const rendered: string[] = [];
    const plain = makeHandler({
      catalog: fixedCatalog(view),
      reports: store,
      renderCsv: (r, lang) => {
        rendered.push(`${r.reportId} ${lang}`);
        return 'a,b\r\n';
      },
    });
    // Act
    const vi = await plain(aReportRequest('323:2021-W14', { accept: 'text/csv' }));
    const en = await plain(aReportRequest('323:2021-W14', { accept: 'text/csv', query: { lang: 'en' } }));
    // Assert
    expect(rendered).toEqual(['323:2021-W14 vi', '323:2021-W14 en']);
    expect(vi.body).toBe('\uFEFFa,b\r\n');
    expect(en.body).toBe('\uFEFFa,b\r\n');
  });

  it('keeps the BOM through the JSON serialisation of the Lambda result', async () => {
    // Act: the Lambda runtime sends the result to API Gateway as JSON
    const response = await handler(aReportRequest('33:2021-W13', { accept: 'text/csv' }));
    const serialised = JSON.stringify(response);
    // Assert
    expect(serialised).toContain('"body":"\uFEFF');
    const received = JSON.parse(serialised) as { body: string };
    expect(received.body.codePointAt(0)).toBe(0xfeff);
    expect(Buffer.from(received.body, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });

  it.each([
    ['a sibling commune', COMMUNE_12002, '12001:2021-W14'],
    ['a commune, its district', COMMUNE_12001, '323:2021-W14'],
    ['a district, the province', DISTRICT_323, '33:2021-W13'],
  ])("refuses %s's report with 403, without reading it", async (_, claims, reportId) => {
    // Act
    const response = await handler(aReportRequest(reportId, { claims }));
    // Assert
    expect(response.statusCode).toBe(403);
    expect(store.reads).toEqual([]);
  });

  it("lets a commune read its own report, and a district its communes'", async () => {
    // Act
    const own = await handler(aReportRequest('12001:2021-W14', { claims: COMMUNE_12001 }));
    const below = await handler(aReportRequest('12002:2021-W13', { claims: DISTRICT_323 }));
    // Assert
    expect(own.statusCode).toBe(200);
    expect(below.statusCode).toBe(200);
  });

  it.each([
    ['an unknown report', '324:final', CAMPAIGN],
    ['an unknown campaign', '33:2021-W13', 'cccd-2099-none'],
  ])('answers 404 for %s', async (_, reportId, campaignId) => {
    // Act
    const response = await handler(aReportRequest(reportId, { campaignId }));
    // Assert
    expect(response.statusCode).toBe(404);
    expect(problemOf(response.body).type).toBe('urn:problem:not-found');
  });

  it.each([
    ['a malformed report id', 'not-a-report'],
    ['a week that does not exist', '33:2021-W53'],
  ])('answers 400 for %s, before reading anything', async (_, reportId) => {
    // Act
    const response = await handler(aReportRequest(reportId));
    // Assert
    expect(response.statusCode).toBe(400);
    expect(problemOf(response.body).errors?.[0]?.path).toBe('reportId');
  });

  it('answers 406 when the client accepts neither JSON nor CSV, and 400 for a bad lang', async () => {
    // Act
    const png = await handler(aReportRequest('33:2021-W13', { accept: 'image/png' }));
    const badLang = await handler(aReportRequest('33:2021-W13', { query: { lang: 'fr' } }));
    // Assert
    expect(png.statusCode).toBe(406);
    expect(problemOf(png.body).detail).toMatch(/application\/json or text\/csv/);
    expect(badLang.statusCode).toBe(400);
    expect(problemOf(badLang.body).errors?.[0]?.path).toBe('lang');
  });

  it('answers 403 for a unit the campaign does not have, and 404 only to a grant of the whole campaign', async () => {
    // Act
    const province = await handler(aReportRequest('99999:2021-W13', { claims: PROVINCE_33 }));
    const national = await handler(aReportRequest('99999:2021-W13', { claims: NATIONAL }));
    // Assert
    expect(province.statusCode).toBe(403);
    expect(national.statusCode).toBe(404);
  });

  it('needs progress:read', async () => {
    // Act
    const response = await handler(
      aReportRequest('33:2021-W13', { claims: { sub: 'x', scope: 'admin', units: ['*'] } }),
    );
    // Assert
    expect(response.statusCode).toBe(403);
  });

  describe('through the local gateway, over HTTP', () => {
    let server: Server;
    let base: string;
    beforeAll(async () => {
      const local = makeHandler({
        catalog: fixedCatalog(view),
        reports: new MemoryReportStore(report),
        renderCsv: reportToCsv,
      });
      server = createGateway({
        verify: async () => ({ sub: 'tinh-33', scope: 'progress:read', units: ['33'] }),
        routes: [
          {
            method: 'GET',
            path: '/v1/campaigns/{campaignId}/reports/{reportId}',
            auth: 'jwt',
            scopes: ['progress:read'],
            functionName: 'Reports',
            handler: local,
          },
        ],
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));

    it('sends the CSV with its BOM as the first three bytes, and the headers', async () => {
      // Act
      const response = await fetch(`${base}/v1/campaigns/${CAMPAIGN}/reports/33%3A2021-W13`, {
        headers: {
          authorization: `Bearer ${aBearerToken({ sub: 'tinh-33', scope: 'progress:read', units: ['33'] })}`,
          accept: 'text/csv',
        },
      });
      const bytes = Buffer.from(await response.arrayBuffer());
      // Assert
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(CSV_CONTENT_TYPE);
      expect(response.headers.get('content-disposition')).toBe(
        'attachment; filename="bao-cao-33-2021-W13.csv"',
      );
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(bytes.toString('utf8')).toBe(reportToCsv(report, 'vi'));
    });
  });
});

describe('negotiate()', () => {
  it.each([
    [undefined, 'json'],
    ['', 'json'],
    ['application/json, text/csv', 'json'],
    ['text/csv, application/json', 'json'],
    ['text/csv;q=0.9, application/json;q=0.8', 'csv'],
    ['application/*;q=0.2, text/csv;q=0.3', 'csv'],
    ['text/csv;q=0, */*', 'json'],
    ['application/json;q=0, text/csv;q=0', null],
    ['application/xml', null],
  ] as const)('Accept: %s → %s', (accept, expected) => {
    expect(negotiate(accept)).toBe(expected);
  });
});

describe('the UnitReport schema', () => {
  type DeepReadonly<T> = T extends readonly (infer U)[]
    ? readonly DeepReadonly<U>[]
    : T extends object
      ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
      : T;

  it('is the contract type of shared/domain/report.ts (type-level)', () => {
    expectTypeOf<DeepReadonly<z.output<typeof UnitReport>>>().toEqualTypeOf<DeepReadonly<DomainUnitReport>>();
    expectTypeOf<DeepReadonly<ReportPeriod>>().toEqualTypeOf<DeepReadonly<DomainReportPeriod>>();
    // And each way assignable as written (the contract's readonly is the only difference).
    expectTypeOf<z.output<typeof UnitReport>>().toExtend<DomainUnitReport>();
  });

  it('accepts what the report job builds', () => {
    // Arrange
    const province = view.hierarchy.get('33');
    if (!province) throw new Error('no province');
    const built = buildReport({
      campaign: view.campaign,
      unit: province,
      children: view.hierarchy.childrenOf('33'),
      days: new Map([
        ['33', [{ day: '2021-03-30', count: 12, byGroup: { official: 2 } }]],
        ['323', [{ day: '2021-03-30', count: 12, byGroup: { official: 2 } }]],
      ]),
      period: weekPeriod('2021-W13'),
      generatedAt: new Date('2021-04-05T00:00:00Z'),
    });
    // Act
    const parsed = UnitReport.safeParse(built);
    // Assert
    expect(parsed.error?.issues ?? []).toEqual([]);
    expect(parsed.data).toEqual(built);
  });

  it('keeps the summary to the unit, period, time and standing at the end', () => {
    // Act
    const summary = summaryOf(aUnitReport('323', '2021-W14'));
    // Assert
    expect(summary).toEqual({
      reportId: '323:2021-W14',
      unitId: '323',
      unitName: 'Huyện Văn Lâm',
      period: PERIODS['2021-W14'],
      generatedAt: '2021-04-12T00:00:00.000Z',
      atEnd: { total: 40, percent: 4, level: 'at_risk' },
    });
  });
});
