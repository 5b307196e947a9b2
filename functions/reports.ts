/**
 * Weekly and final reports over HTTP (scope progress:read; a report's unit must be inside the caller's
 * `units`, a unit granting its subtree). One function, chosen by `event.routeKey`:
 *
 * - GET /v1/campaigns/{campaignId}/reports[?unitId=&period=] → { campaignId, reports: ReportSummary[] },
 *   the reports of units inside the caller's subtree; `unitId` one unit's own reports, `period` one
 *   week (`2021-W14`) or `final`.
 * - GET /v1/campaigns/{campaignId}/reports/{reportId}[?lang=vi|en] → the report as JSON, or with
 *   `Accept: text/csv` its children as CSV (UTF-8 with a BOM, so that Excel shows Vietnamese names),
 *   as an attachment named `bao-cao-<unitId>-<period>.csv` (`report-…` with lang=en).
 *
 * Which reports a caller may read, and what each route reads: shared/services/reports.ts.
 *
 * The CSV body is a string: the Lambda runtime serialises the result as JSON, which keeps U+FEFF as
 * it is (JSON.stringify escapes only quotes, backslashes and control characters), and API Gateway
 * (like the local gateway) sends a body without isBase64Encoded as UTF-8.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { z } from 'zod';
import { type Caller, callerWithScope } from '../shared/auth/claims.js';
import { requireGrantIn } from '../shared/auth/scope.js';
import { CatalogCache } from '../shared/catalog/catalog-cache.js';
import type { CatalogView } from '../shared/domain/intake.js';
import type { UnitReport } from '../shared/domain/report.js';
import { reportToCsv } from '../shared/domain/report-render.js';
import { type HttpHandler, httpRouter } from '../shared/http/handler.js';
import { optionalQueryParameters, pathParameter, queryParameters } from '../shared/http/params.js';
import { badRequest, forbidden, HttpProblem, jsonResponse, notFound } from '../shared/http/problem.js';
import { orProblem } from '../shared/http/registry-problem.js';
import { jsonRoute } from '../shared/http/router.js';
import { createLogger } from '../shared/observability/logger.js';
import type { ReportList, ReportQuery } from '../shared/schemas/reports.js';
import { MAX_LISTED_REPORTS } from '../shared/schemas/values.js';
import { canReadReports, ReportAccess } from '../shared/services/reports.js';
import { DynamoCampaignStore } from '../shared/store/campaign-store.js';
import { campaignTableFromEnv } from '../shared/store/client.js';
import { DynamoReportStore, type ReportReader } from '../shared/store/report-store.js';

export const ROUTES = {
  list: 'GET /v1/campaigns/{campaignId}/reports',
  get: 'GET /v1/campaigns/{campaignId}/reports/{reportId}',
} as const;

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';
const BOM = '\uFEFF';

export type CsvLanguage = z.output<typeof ReportQuery>['lang'];
/** The report's children as CSV, header first (shared/domain/report-render.ts `reportToCsv`). */
export type CsvRenderer = (report: UnitReport, lang: CsvLanguage) => string;

export interface ReportsDeps {
  readonly catalog: Pick<CatalogCache, 'get'>;
  readonly reports: ReportReader;
  readonly renderCsv: CsvRenderer;
}

const logger = createLogger('reports');

/**
 * The schemas (and the reportId rule they register) are loaded only by a route that needs them: the
 * report's route, and the list's when it has a query string. A list without one needs no zod.
 */
const schemas = () => import('../shared/schemas/reports.js');

type Representation = 'json' | 'csv';
const MEDIA_TYPES: Record<Representation, string> = { json: 'application/json', csv: 'text/csv' };

/**
 * Content negotiation (RFC 9110 §12.5.1) between JSON and CSV: the highest q wins, the most specific
 * matching range decides each type's q, a tie (and no Accept header) goes to JSON. null when the
 * client accepts neither.
 */
export function negotiate(accept: string | undefined): Representation | null {
  if (accept === undefined || accept.trim() === '') return 'json';
  const ranges = accept.split(',').flatMap((part) => {
    const [range = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    if (!range.includes('/')) return [];
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    return Number.isFinite(q) ? [{ range, q }] : [];
  });
  const qualityOf = (mediaType: string): number => {
    const [type] = mediaType.split('/');
    const match =
      ranges.find((r) => r.range === mediaType) ??
      ranges.find((r) => r.range === `${type}/*`) ??
      ranges.find((r) => r.range === '*/*');
    return match?.q ?? 0;
  };
  const json = qualityOf(MEDIA_TYPES.json);
  const csv = qualityOf(MEDIA_TYPES.csv);
  if (json <= 0 && csv <= 0) return null;
  return csv > json ? 'csv' : 'json';
}

function headerOf(event: APIGatewayProxyEventV2, name: string): string | undefined {
  const headers = event.headers ?? {};
  return headers[name] ?? Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
}

/** `bao-cao-33-2021-W13.csv`; `report-33-2021-W13.csv` in English. Unit ids are [A-Za-z0-9._-], safe here. */
export const csvFileName = (report: UnitReport, lang: CsvLanguage) =>
  `${lang === 'en' ? 'report' : 'bao-cao'}-${report.unit.id}-${report.period.id}.csv`;

function csvResponse(body: string, fileName: string): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: 200,
    headers: {
      'content-type': CSV_CONTENT_TYPE,
      'content-disposition': `attachment; filename="${fileName}"`,
      vary: 'accept',
    },
    // Excel reads a CSV as UTF-8 only with a BOM: make sure it is there, whatever the renderer does.
    body: body.startsWith(BOM) ? body : `${BOM}${body}`,
  };
}

/** JSON that says it varies with Accept (the same URL also answers CSV), so caches keep both apart. */
function jsonVaryingResponse(body: unknown): APIGatewayProxyStructuredResultV2 {
  const response = jsonResponse(200, body);
  return { ...response, headers: { ...response.headers, vary: 'accept' } };
}

/** 403 for a unit the caller may not read, before any 404, so that existence is told only to a grant holder. */
function requireReadable(view: CatalogView, unitId: string, caller: Caller): void {
  if (!canReadReports(view, unitId, caller.grants)) {
    throw forbidden(`Unit "${unitId}" is outside the units this token grants`);
  }
}

export function makeHandler({ catalog, reports, renderCsv }: ReportsDeps): HttpHandler {
  const access = new ReportAccess({ catalog, reports });

  /** The campaign's catalogue; 403 before 404 when the caller holds nothing in it. */
  async function campaignView(campaignId: string, caller: Caller): Promise<CatalogView> {
    requireGrantIn(campaignId, caller);
    return orProblem(access.view(campaignId));
  }

  async function list(event: APIGatewayProxyEventV2, caller: Caller): Promise<ReportList> {
    const campaignId = pathParameter(event, 'campaignId');
    const { unitId, period } = await optionalQueryParameters(
      event,
      async () => (await schemas()).ReportListQuery,
    );
    const view = await campaignView(campaignId, caller);
    if (unitId !== undefined) requireReadable(view, unitId, caller);
    // One past the most a list holds is read at most, whatever is stored (docs/ARCHITECTURE.md §5).
    const { reports: visible, complete } = await access.list(
      view,
      caller.grants,
      { unitId, period },
      MAX_LISTED_REPORTS + 1,
    );
    if (!complete || visible.length > MAX_LISTED_REPORTS) {
      const count = complete ? `${visible.length}` : `More than ${MAX_LISTED_REPORTS}`;
      throw badRequest(`${count} reports match; a list holds at most ${MAX_LISTED_REPORTS}`, [
        { path: '(query)', message: 'add unitId or period to narrow the list' },
      ]);
    }
    return { campaignId, reports: visible };
  }

  async function get(
    event: APIGatewayProxyEventV2,
    caller: Caller,
  ): Promise<APIGatewayProxyStructuredResultV2> {
    const { parseReportId, ReportQuery } = await schemas();
    const campaignId = pathParameter(event, 'campaignId');
    const reportId = pathParameter(event, 'reportId');
    const { lang } = queryParameters(event, ReportQuery);
    const representation = negotiate(headerOf(event, 'accept'));
    if (representation === null) {
      throw new HttpProblem({
        status: 406,
        type: 'urn:problem:not-acceptable',
        title: 'Not acceptable',
        detail: 'A report is available as application/json or text/csv',
      });
    }
    const id = parseReportId(reportId);
    if (!id) {
      throw notFound(`"${reportId}" is not a report id (<unitId>:<period>, e.g. 33:2021-W14 or 33:final)`);
    }
    const view = await campaignView(campaignId, caller);
    // Checked on the id before reading, so a sibling's report is not even read.
    requireReadable(view, id.unitId, caller);
    const report = await access.get(campaignId, reportId);
    if (!report) throw notFound(`No report ${reportId} in campaign ${campaignId}`);
    if (representation === 'csv') return csvResponse(renderCsv(report, lang), csvFileName(report, lang));
    return jsonVaryingResponse(report);
  }

  return httpRouter(logger, {
    routes: ROUTES,
    before: (event) => callerWithScope(event, 'progress:read'),
    handlers: { list: jsonRoute(list), get },
  });
}

const { env, db, table } = await campaignTableFromEnv();
export const handler = makeHandler({
  catalog: new CatalogCache(new DynamoCampaignStore(db, table), env.CATALOG_CACHE_SECONDS * 1000),
  reports: new DynamoReportStore(db, table),
  renderCsv: reportToCsv,
});
