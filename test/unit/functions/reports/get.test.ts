/** GET /v1/campaigns/{campaignId}/reports/{reportId}: one report as JSON or CSV by the Accept header, and the errors. */
import { describe, expect, it } from 'vitest';
import { CSV_CONTENT_TYPE, ROUTES } from '../../../../functions/reports.js';
import { reportToCsv } from '../../../../shared/domain/report-render.js';
import { UnitReport } from '../../../../shared/schemas/reports.js';
import { anHttpEvent, type EventOptions } from '../../../support/builders.js';
import {
  aReportsHandler,
  aUnitReport,
  CAMPAIGN,
  COMMUNE_12001,
  COMMUNE_12002,
  DISTRICT_323,
  json,
  NATIONAL,
  PROVINCE_33,
  problemOf,
  reportsApi,
} from '../../../support/reports-api.js';

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

describe('GET /v1/campaigns/{campaignId}/reports/{reportId}', () => {
  const api = reportsApi();
  const report = aUnitReport('33', '2021-W13');

  it('answers the report as JSON by default', async () => {
    // Act
    const response = await api.handler(aReportRequest('33:2021-W13'));
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
    const response = await api.handler(aReportRequest('33:2021-W13', { accept }));
    // Assert
    expect(response.headers?.['content-type']).toBe('application/json; charset=utf-8');
  });

  it('answers CSV for Accept: text/csv: BOM first, Vietnamese headers, one row per child, as an attachment', async () => {
    // Act
    const response = await api.handler(aReportRequest('33:2021-W13', { accept: 'text/csv' }));
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
      const response = await api.handler(aReportRequest('33:2021-W13', { accept }));
      // Assert
      expect(response.headers?.['content-type']).toBe(CSV_CONTENT_TYPE);
    },
  );

  it('answers CSV with English headers and file name for lang=en', async () => {
    // Act
    const response = await api.handler(
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
    const plain = aReportsHandler(api.store, {
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
    const response = await api.handler(aReportRequest('33:2021-W13', { accept: 'text/csv' }));
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
    const response = await api.handler(aReportRequest(reportId, { claims }));
    // Assert
    expect(response.statusCode).toBe(403);
    expect(api.store.reads).toEqual([]);
  });

  it("lets a commune read its own report, and a district its communes'", async () => {
    // Act
    const own = await api.handler(aReportRequest('12001:2021-W14', { claims: COMMUNE_12001 }));
    const below = await api.handler(aReportRequest('12002:2021-W13', { claims: DISTRICT_323 }));
    // Assert
    expect(own.statusCode).toBe(200);
    expect(below.statusCode).toBe(200);
  });

  it.each([
    ['an unknown report', '324:final', CAMPAIGN],
    ['an unknown campaign', '33:2021-W13', 'cccd-2099-none'],
  ])('answers 404 for %s', async (_, reportId, campaignId) => {
    // Act
    const response = await api.handler(aReportRequest(reportId, { campaignId }));
    // Assert
    expect(response.statusCode).toBe(404);
    expect(problemOf(response.body).type).toBe('urn:problem:not-found');
  });

  it.each([
    ['a malformed report id', 'not-a-report'],
    ['a week that does not exist', '33:2021-W53'],
  ])('answers 400 for %s, before reading anything', async (_, reportId) => {
    // Act
    const response = await api.handler(aReportRequest(reportId));
    // Assert
    expect(response.statusCode).toBe(400);
    expect(problemOf(response.body).errors?.[0]?.path).toBe('reportId');
  });

  it('answers 406 when the client accepts neither JSON nor CSV, and 400 for a bad lang', async () => {
    // Act
    const png = await api.handler(aReportRequest('33:2021-W13', { accept: 'image/png' }));
    const badLang = await api.handler(aReportRequest('33:2021-W13', { query: { lang: 'fr' } }));
    // Assert
    expect(png.statusCode).toBe(406);
    expect(problemOf(png.body).detail).toMatch(/application\/json or text\/csv/);
    expect(badLang.statusCode).toBe(400);
    expect(problemOf(badLang.body).errors?.[0]?.path).toBe('lang');
  });

  it('answers 403 for a unit the campaign does not have, and 404 only to a grant of the whole campaign', async () => {
    // Act
    const province = await api.handler(aReportRequest('99999:2021-W13', { claims: PROVINCE_33 }));
    const national = await api.handler(aReportRequest('99999:2021-W13', { claims: NATIONAL }));
    // Assert
    expect(province.statusCode).toBe(403);
    expect(national.statusCode).toBe(404);
  });

  it('needs progress:read', async () => {
    // Act
    const response = await api.handler(
      aReportRequest('33:2021-W13', { claims: { sub: 'x', scope: 'admin', units: ['*'] } }),
    );
    // Assert
    expect(response.statusCode).toBe(403);
  });
});
