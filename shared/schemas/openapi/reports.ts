/** Weekly and final reports (functions/reports.ts). */
import { MAX_LISTED_REPORTS } from '../reports.js';
import { campaignIdParameter, getOperation, pathParameter, problem, queryParameter } from './common.js';

export function reportPaths(): Record<string, unknown> {
  return {
    '/v1/campaigns/{campaignId}/reports': {
      get: getOperation({
        summary:
          "List weekly and final reports (scope progress:read; those of units inside the token's units)",
        description:
          'Summaries (unit, period, when generated, where the unit stood at the end of the period), units in ' +
          'tree order (parents first), then periods in order (weeks, then final). A list holds at most ' +
          `${MAX_LISTED_REPORTS.toLocaleString('en')} summaries; narrow a larger one by unit or period.`,
        parameters: [
          campaignIdParameter,
          queryParameter('unitId', { description: "One unit's own reports (403 outside the token's units)" }),
          queryParameter('period', {
            schema: { type: 'string', pattern: '^(\\d{4}-W\\d{2}|final)$' },
            description: 'One period: an ISO week such as 2021-W14, or final (the whole campaign)',
          }),
        ],
        response: 'ReportList',
        errors: {
          '400': problem(
            'Unknown query parameter, a period not written YYYY-Www or final, or too many reports',
          ),
          '401': problem('Missing or invalid token'),
          '403': problem("The token lacks scope progress:read, or unitId is outside the token's units"),
          '404': problem('No such campaign or unit'),
        },
      }),
    },
    '/v1/campaigns/{campaignId}/reports/{reportId}': {
      get: {
        summary: "A unit's report for one period, as JSON or CSV (scope progress:read)",
        description:
          'JSON by default. With `Accept: text/csv`: one row per child (header first, CRLF line ends), UTF-8 ' +
          'with a byte order mark so that spreadsheets show Vietnamese names, as an attachment named ' +
          'bao-cao-<unitId>-<period>.csv (report-<unitId>-<period>.csv with lang=en).',
        parameters: [
          campaignIdParameter,
          pathParameter('reportId', {
            description: '<unitId>:<period>, e.g. 33:2021-W14 or 33:final (":" may be sent as %3A)',
          }),
          queryParameter('lang', {
            schema: { type: 'string', enum: ['vi', 'en'], default: 'vi' },
            description: 'Language of the CSV headers, level names and file name',
          }),
        ],
        responses: {
          '200': {
            description: 'The report',
            headers: {
              'Content-Disposition': {
                description: 'CSV only: attachment; filename="bao-cao-33-2021-W14.csv"',
                schema: { type: 'string' },
              },
            },
            content: {
              'application/json': { schema: { $ref: '#/components/schemas/UnitReport' } },
              'text/csv': { schema: { type: 'string' } },
            },
          },
          '400': problem('Unknown query parameter, or lang not vi or en'),
          '401': problem('Missing or invalid token'),
          '403': problem(
            "The token lacks scope progress:read, or the report's unit is outside the token's units",
          ),
          '404': problem('No such campaign or report'),
          '406': problem('The Accept header allows neither application/json nor text/csv'),
        },
      },
    },
  };
}
