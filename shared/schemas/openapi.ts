/**
 * The OpenAPI 3.1 document, generated from the zod schemas (never written by hand).
 * Each route added to the API adds its operation here.
 */
import * as z from 'zod';
import {
  AcknowledgementInput,
  AcknowledgementRecord,
  AlertsFeed,
  FEED_DEFAULT_DAYS,
  FEED_MAX_DAYS,
} from './alerts.js';
import { CampaignFile } from './campaign.js';
import { CorrectionsResponse, MAX_CORRECTIONS_PER_PAGE } from './corrections.js';
import {
  CampaignDetail,
  CampaignList,
  MAX_SEARCH_LIMIT,
  RiskHistoryResponse,
  UnitSearchResponse,
} from './dashboard.js';
import { ClientInput, ClientView, UserInput, UserView } from './identity.js';
import {
  CorrectionEvent,
  IntakeEvent,
  IntakeFailedResult,
  IntakeResponse,
  MAX_EVENTS_PER_REQUEST,
} from './intake.js';
import { ChildrenResponse, DailyResponse, MAX_DAILY_RANGE_DAYS, ProgressResponse } from './progress.js';
import {
  Recipient,
  RecipientInput,
  RecipientList,
  SilenceInput,
  SilenceList,
  SilenceRecord,
} from './recipients.js';
import { MAX_LISTED_REPORTS, ReportList, UnitReport } from './reports.js';

const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

const ImportSummary = z.object({
  campaignId: z.string(),
  campaign: z.enum(['created', 'updated', 'unchanged']),
  units: z.object({
    created: z.number().int(),
    updated: z.number().int(),
    removed: z.number().int(),
    unchanged: z.number().int(),
  }),
  changes: z.array(z.string()),
  warnings: z.array(z.object({ path: z.string(), message: z.string() })),
});

const schema = (s: z.ZodType, io: 'input' | 'output' = 'output') =>
  z.toJSONSchema(s, { io, target: 'draft-2020-12' });
const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

/** The parameters and error answers the three read routes share. */
const unitPathParameters = [
  { name: 'campaignId', in: 'path', required: true, schema: { type: 'string' } },
  { name: 'unitId', in: 'path', required: true, schema: { type: 'string' } },
];
const asOfParameter = {
  name: 'asOf',
  in: 'query',
  required: false,
  schema: { type: 'string', format: 'date-time' },
  description:
    'ISO 8601 with an offset (encode "+" as %2B). The figures as they stood then: totals through the local ' +
    'day of asOf in the campaign time zone, which is also "today". Default: now. At most a day ahead of now.',
};
const dateParameter = (name: 'from' | 'to', description: string) => ({
  name,
  in: 'query',
  required: false,
  schema: { type: 'string', format: 'date' },
  description,
});
const readErrors = {
  '400': problem('A query parameter is invalid (unknown parameter, bad date or asOf); `errors` lists each'),
  '401': problem('Missing or invalid token'),
  '403': problem("The token lacks scope progress:read, or the unit is outside the token's units"),
  '404': problem('No such campaign or unit'),
};
const readOperation = (summary: string, description: string, response: string, parameters: unknown[]) => ({
  get: {
    summary,
    description,
    parameters: [...unitPathParameters, ...parameters],
    responses: {
      '200': {
        description: 'OK',
        content: { 'application/json': { schema: { $ref: `#/components/schemas/${response}` } } },
      },
      ...readErrors,
    },
  },
});

const campaignIdParameter = { name: 'campaignId', in: 'path', required: true, schema: { type: 'string' } };
const json = (ref: string, description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } },
});
const adminErrors = {
  '401': problem('Missing or invalid token'),
  '403': problem("The token lacks scope admin, or the unit is outside the token's units"),
};

/**
 * Every operation's operationId (a client generator's method name). An operation not listed here
 * gets one made from its method and path, so none is ever without.
 */
const OPERATION_IDS: Readonly<Record<string, string>> = {
  'PUT /v1/campaigns/{campaignId}': 'putCampaign',
  'GET /v1/campaigns': 'listCampaigns',
  'GET /v1/campaigns/{campaignId}': 'getCampaign',
  'GET /v1/campaigns/{campaignId}/units': 'searchUnits',
  'GET /v1/campaigns/{campaignId}/units/{unitId}/risk-history': 'getUnitRiskHistory',
  'GET /v1/campaigns/{campaignId}/units/{unitId}/alerts': 'listUnitAlerts',
  'POST /v1/intake-events': 'postIntakeEvents',
  'GET /v1/campaigns/{campaignId}/units/{unitId}/progress': 'getUnitProgress',
  'GET /v1/campaigns/{campaignId}/units/{unitId}/children': 'listUnitChildren',
  'GET /v1/campaigns/{campaignId}/units/{unitId}/daily': 'getUnitDaily',
  'GET /v1/campaigns/{campaignId}/units/{unitId}/corrections': 'listUnitCorrections',
  'POST /v1/campaigns/{campaignId}/recipients': 'addRecipient',
  'GET /v1/campaigns/{campaignId}/recipients': 'listRecipients',
  'PUT /v1/campaigns/{campaignId}/recipients/{recipientId}': 'replaceRecipient',
  'DELETE /v1/campaigns/{campaignId}/recipients/{recipientId}': 'removeRecipient',
  'POST /v1/campaigns/{campaignId}/silences': 'addSilence',
  'GET /v1/campaigns/{campaignId}/silences': 'listSilences',
  'DELETE /v1/campaigns/{campaignId}/silences/{silenceId}': 'endSilence',
  'GET /v1/campaigns/{campaignId}/reports': 'listReports',
  'GET /v1/campaigns/{campaignId}/reports/{reportId}': 'getReport',
  'GET /v1/openapi.json': 'getOpenApiDocument',
};

/** `get /v1/campaigns/{campaignId}/units/{unitId}/corrections` → getCampaignsUnitsCorrections. */
function derivedOperationId(method: string, path: string): string {
  const words = path
    .split('/')
    .filter((s) => s && s !== 'v1' && !s.startsWith('{'))
    .flatMap((s) => s.split(/[^A-Za-z0-9]+/))
    .filter(Boolean)
    .map((w) => w[0]?.toUpperCase() + w.slice(1));
  return method.toLowerCase() + words.join('');
}

function withOperationIds(paths: Record<string, Record<string, Record<string, unknown>>>) {
  for (const [path, operations] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      operation.operationId ??=
        OPERATION_IDS[`${method.toUpperCase()} ${path}`] ?? derivedOperationId(method, path);
    }
  }
  return paths;
}

export interface OpenApiOptions {
  /** The API's base URL for `servers` (the local URL, or the stage's API URL). Default: relative "/". */
  readonly serverUrl?: string;
}

export function buildOpenApiDocument(options: OpenApiOptions = {}): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    servers: [
      options.serverUrl
        ? { url: options.serverUrl, description: 'This API' }
        : { url: '/', description: 'The host that served this document' },
    ],
    info: {
      title: 'Quota campaign API',
      version: '1.0.0',
      description: 'Intake, progress and administration of quota campaigns with hard deadlines.',
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: {
        Problem: schema(Problem),
        CampaignFile: schema(CampaignFile, 'input'),
        ImportSummary: schema(ImportSummary),
        IntakeEvent: schema(IntakeEvent, 'input'),
        CorrectionEvent: schema(CorrectionEvent, 'input'),
        CorrectionsResponse: schema(CorrectionsResponse),
        IntakeResponse: schema(IntakeResponse),
        IntakeFailedResult: schema(IntakeFailedResult),
        ProgressResponse: schema(ProgressResponse),
        ChildrenResponse: schema(ChildrenResponse),
        DailyResponse: schema(DailyResponse),
        RecipientInput: schema(RecipientInput, 'input'),
        Recipient: schema(Recipient),
        RecipientList: schema(RecipientList),
        SilenceInput: schema(SilenceInput, 'input'),
        Silence: schema(SilenceRecord),
        SilenceList: schema(SilenceList),
        ReportList: schema(ReportList),
        CampaignList: schema(CampaignList),
        CampaignDetail: schema(CampaignDetail),
        UnitSearchResponse: schema(UnitSearchResponse),
        RiskHistoryResponse: schema(RiskHistoryResponse),
        UnitReport: schema(UnitReport),
        AcknowledgementInput: schema(AcknowledgementInput, 'input'),
        Acknowledgement: schema(AcknowledgementRecord),
        AlertsFeed: schema(AlertsFeed),
        UserInput: schema(UserInput, 'input'),
        User: schema(UserView),
        UserCreated: schema(z.object({ user: UserView, oneTimePassword: z.string().optional() })),
        UserList: schema(z.object({ users: z.array(UserView) })),
        UserGrants: schema(z.object({ units: z.array(z.string()), scope: z.string() }), 'input'),
        ClientInput: schema(ClientInput, 'input'),
        ClientCreated: schema(z.object({ client: ClientView, clientSecret: z.string() })),
        ClientList: schema(z.object({ clients: z.array(ClientView) })),
      },
    },
    security: [{ bearer: [] }],
    paths: withOperationIds({
      '/v1/campaigns': {
        get: {
          summary: 'The campaigns where the token holds a unit, newest first (scope progress:read)',
          description:
            'Each with its root, start, last deadline and the top units the token holds there (each with its ' +
            'subtree; the root with `*` or `<campaignId>:*`). Campaigns where it holds nothing are not listed.',
          responses: {
            '200': json('CampaignList', 'OK'),
            '400': problem('Unknown query parameter'),
            '401': problem('Missing or invalid token'),
            '403': problem('The token lacks scope progress:read'),
          },
        },
      },
      '/v1/campaigns/{campaignId}/units': {
        get: {
          summary: 'Find units by name or code (scope progress:read; units inside the token’s grants)',
          description:
            'Names match ignoring case and Vietnamese diacritics, every word of q in any order ("thi tran" finds ' +
            '"Thị trấn Như Quỳnh"); ids match by prefix. Tree order (higher levels first), each with the names of ' +
            'its ancestors, root first.',
          parameters: [
            campaignIdParameter,
            {
              name: 'q',
              in: 'query',
              required: true,
              schema: { type: 'string', minLength: 1, maxLength: 100 },
            },
            {
              name: 'limit',
              in: 'query',
              required: false,
              schema: { type: 'integer', minimum: 1, maximum: MAX_SEARCH_LIMIT, default: 20 },
            },
          ],
          responses: {
            '200': json('UnitSearchResponse', 'OK'),
            '400': problem('q missing or empty, limit out of range, or an unknown query parameter'),
            '401': problem('Missing or invalid token'),
            '403': problem('The token lacks scope progress:read'),
            '404': problem('No such campaign'),
          },
        },
      },
      '/v1/campaigns/{campaignId}/units/{unitId}/risk-history': readOperation(
        "A unit's level changes, oldest first (scope progress:read)",
        'Each change the risk job stored: when the new level was first seen, the level before (null for the ' +
          'first) and after. With asOf, only the changes up to then.',
        'RiskHistoryResponse',
        [asOfParameter],
      ),
      '/v1/campaigns/{campaignId}': {
        get: {
          summary: "A campaign's settings and the token's top units in it (scope progress:read)",
          parameters: [campaignIdParameter],
          responses: {
            '200': json('CampaignDetail', 'OK'),
            '401': problem('Missing or invalid token'),
            '403': problem('The token lacks scope progress:read'),
            '404': problem('No such campaign, or none of its units is granted to the token'),
          },
        },
        put: {
          summary: 'Load or update a campaign and its units (scope admin)',
          parameters: [
            { name: 'campaignId', in: 'path', required: true, schema: { type: 'string' } },
            {
              name: 'allowRemoval',
              in: 'query',
              required: false,
              schema: { type: 'boolean' },
              description: 'Delete stored units the file no longer lists',
            },
            {
              name: 'dryRun',
              in: 'query',
              required: false,
              schema: { type: 'boolean' },
              description:
                'Only the plan (with, for moves and merges, each affected unit total before and after); nothing is written',
            },
          ],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/CampaignFile' } } },
          },
          responses: {
            '200': {
              description: 'Updated (or unchanged)',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/ImportSummary' } } },
            },
            '201': {
              description: 'Created',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/ImportSummary' } } },
            },
            '400': problem('The file has errors; `errors` lists every one'),
            '401': problem('Missing or invalid token'),
            '403': problem('The token lacks scope admin or the campaign root'),
            '409': problem('The import would remove units and allowRemoval was not set'),
            '413': problem('The body is too large'),
          },
        },
      },
      '/v1/intake-events': {
        post: {
          summary: `Record intake events (scope intake:write): one event, or { events } of 1 to ${MAX_EVENTS_PER_REQUEST}`,
          description:
            'The client-generated eventId is the idempotency key: re-sending an event is always safe. ' +
            'Each event gets a result, in order: accepted, duplicate (already stored, identical), ' +
            'conflict (already stored with another payload; nothing changes) or rejected (with the reason). ' +
            'A correction (`corrects`: the eventId of an accepted event; `count` 0..1000, 0 voids; `reason`) travels ' +
            "the same way: it must name a stored event of the same unit in the caller's units, not a correction, within " +
            "the campaign's correctionWindowDays; kind, channel and group are the corrected event's. The totals move by " +
            'the new count minus the count in force (the latest correction by occurredAt), exactly once.',
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  oneOf: [
                    { $ref: '#/components/schemas/IntakeEvent' },
                    { $ref: '#/components/schemas/CorrectionEvent' },
                    {
                      type: 'object',
                      required: ['events'],
                      properties: {
                        events: {
                          type: 'array',
                          minItems: 1,
                          maxItems: MAX_EVENTS_PER_REQUEST,
                          items: {
                            oneOf: [
                              { $ref: '#/components/schemas/IntakeEvent' },
                              { $ref: '#/components/schemas/CorrectionEvent' },
                            ],
                          },
                        },
                      },
                    },
                  ],
                },
              },
            },
          },
          responses: {
            '200': {
              description: 'One result per event, in order',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/IntakeResponse' } } },
            },
            '400': problem('The body is not an event or a batch of 1 to 100 events'),
            '401': problem('Missing or invalid token'),
            '403': problem('The token lacks scope intake:write'),
            '413': problem('The body is over 256 KB'),
            '503': {
              description:
                'Storage was unavailable for some events (Retry-After header). The body is problem+json with ' +
                '`results`: events with status `failed` were not stored and must be sent again with the same eventId.',
              content: {
                'application/problem+json': {
                  schema: {
                    allOf: [
                      { $ref: '#/components/schemas/Problem' },
                      {
                        type: 'object',
                        properties: {
                          results: {
                            type: 'array',
                            items: { $ref: '#/components/schemas/IntakeFailedResult' },
                          },
                        },
                      },
                    ],
                  },
                },
              },
            },
          },
        },
      },
      '/v1/campaigns/{campaignId}/units/{unitId}/progress': readOperation(
        'Progress of a unit (scope progress:read)',
        'Target, total, percent (two decimals; 100 when the target is 0), remaining, counts by kind, channel ' +
          'and group, today and the last 14 local days (zeros filled), sub-targets (intake of the group on days ' +
          'up to the sub-target deadline). Pace and risk fields are present and null until evaluated.',
        'ProgressResponse',
        [asOfParameter],
      ),
      '/v1/campaigns/{campaignId}/units/{unitId}/children': readOperation(
        "Summaries of a unit's children, worst first (scope progress:read)",
        'Lowest percent first, ties by unit id. Without asOf the summaries come from the running totals, so ' +
          '`today.count` and the totals of sub-targets whose deadline has passed are null; with asOf they are filled. ' +
          'Each child carries its last 14 days (`last14Days`, for sparklines).',
        'ChildrenResponse',
        [asOfParameter],
      ),
      '/v1/campaigns/{campaignId}/units/{unitId}/daily': readOperation(
        'Daily series of a unit (scope progress:read)',
        `Every local day from \`from\` through \`to\` (at most ${MAX_DAILY_RANGE_DAYS} days), zeros filled; days ` +
          'after today (or after the local day of asOf) are 0.',
        'DailyResponse',
        [
          dateParameter('from', 'YYYY-MM-DD; default: the campaign start date'),
          dateParameter('to', 'YYYY-MM-DD; default: today (the local day of asOf, or of now)'),
          asOfParameter,
        ],
      ),
      '/v1/campaigns/{campaignId}/units/{unitId}/corrections': readOperation(
        'Corrections of a unit and the units below it (scope progress:read)',
        'Who corrected which event, when and why, received from `from` through `to` (local days of receivedAt; ' +
          `at most ${MAX_DAILY_RANGE_DAYS} days), oldest first, at most ${MAX_CORRECTIONS_PER_PAGE} per answer: ` +
          "`next`, passed as `cursor`, gives the rest. `day` is the corrected event's local day; `from` is the count " +
          'in force before the correction (null until rolled up).',
        'CorrectionsResponse',
        [
          dateParameter('from', 'YYYY-MM-DD; default: the campaign start date'),
          dateParameter('to', 'YYYY-MM-DD; default: today'),
          {
            name: 'cursor',
            in: 'query',
            required: false,
            schema: { type: 'string' },
            description: 'The `next` of the previous answer',
          },
        ],
      ),
      '/v1/campaigns/{campaignId}/recipients': {
        post: {
          summary: "Register a leader of a unit (scope admin; the unit inside the token's units)",
          description:
            'Each channel (sms, email) becomes an SNS subscription on the alerts topic with a filter policy on ' +
            'campaignId, scope (the unit), lang, channel and severity. A Vietnamese number may be written ' +
            '0912345678 (stored as +84912345678). An e-mail address receives nothing until the leader confirms ' +
            'the subscription (`notes` says so). Within a campaign a number or address belongs to one recipient (409 otherwise); several campaigns may register it.',
          parameters: [campaignIdParameter],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/RecipientInput' } } },
          },
          responses: {
            '201': json('Recipient', 'Registered (with `notes` when there is something to know)'),
            '400': problem(
              'Invalid recipient, or a unit the campaign does not have; `errors` lists each problem',
            ),
            ...adminErrors,
            '404': problem('No such campaign'),
            '409': problem('The number or address is already registered'),
            '502': problem('SNS failed'),
          },
        },
        get: {
          summary: "List the leaders (scope admin; those inside the token's units)",
          parameters: [
            campaignIdParameter,
            {
              name: 'unitId',
              in: 'query',
              required: false,
              schema: { type: 'string' },
              description: 'One unit only',
            },
          ],
          responses: {
            '200': json('RecipientList', 'OK'),
            '400': problem('Unknown query parameter'),
            ...adminErrors,
            '404': problem('No such campaign or unit'),
          },
        },
      },
      '/v1/campaigns/{campaignId}/recipients/{recipientId}': {
        put: {
          summary:
            'Replace a leader (same id): unit, name, channels, language, minimum severity (scope admin)',
          parameters: [
            campaignIdParameter,
            { name: 'recipientId', in: 'path', required: true, schema: { type: 'string' } },
          ],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/RecipientInput' } } },
          },
          responses: {
            '200': json('Recipient', 'Replaced'),
            '400': problem('Invalid recipient'),
            ...adminErrors,
            '404': problem('No such campaign or recipient'),
            '409': problem('The number or address is already registered, or the recipient changed meanwhile'),
            '502': problem('SNS failed part-way; the same request again completes it'),
          },
        },
        delete: {
          summary: 'Remove a leader and its SNS subscriptions (scope admin)',
          parameters: [
            campaignIdParameter,
            { name: 'recipientId', in: 'path', required: true, schema: { type: 'string' } },
          ],
          responses: {
            '204': { description: 'Removed' },
            ...adminErrors,
            '404': problem('No such campaign or recipient'),
            '502': problem('SNS failed; nothing was removed'),
          },
        },
      },
      '/v1/campaigns/{campaignId}/silences': {
        post: {
          summary:
            "Mute a unit and its subtree until a time, with a reason (scope admin; the unit inside the token's units)",
          parameters: [campaignIdParameter],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/SilenceInput' } } },
          },
          responses: {
            '201': json('Silence', 'Silenced'),
            '400': problem(
              'Invalid silence (until not in the future, unknown unit…); `errors` lists each problem',
            ),
            ...adminErrors,
            '404': problem('No such campaign'),
          },
        },
        get: {
          summary: "The active silences, soonest ending first (scope admin; those inside the token's units)",
          parameters: [campaignIdParameter],
          responses: { '200': json('SilenceList', 'OK'), ...adminErrors, '404': problem('No such campaign') },
        },
      },
      '/v1/campaigns/{campaignId}/silences/{silenceId}': {
        delete: {
          summary: 'End a silence now (scope admin)',
          parameters: [
            campaignIdParameter,
            { name: 'silenceId', in: 'path', required: true, schema: { type: 'string' } },
          ],
          responses: { '204': { description: 'Ended' }, ...adminErrors, '404': problem('No such silence') },
        },
      },
      '/v1/campaigns/{campaignId}/reports': {
        get: {
          summary:
            "List weekly and final reports (scope progress:read; those of units inside the token's units)",
          description:
            'Summaries (unit, period, when generated, where the unit stood at the end of the period), units in ' +
            'tree order (parents first), then periods in order (weeks, then final). A list holds at most ' +
            `${MAX_LISTED_REPORTS.toLocaleString('en')} summaries; narrow a larger one by unit or period.`,
          parameters: [
            campaignIdParameter,
            {
              name: 'unitId',
              in: 'query',
              required: false,
              schema: { type: 'string' },
              description: "One unit's own reports (403 outside the token's units)",
            },
            {
              name: 'period',
              in: 'query',
              required: false,
              schema: { type: 'string', pattern: '^(\\d{4}-W\\d{2}|final)$' },
              description: 'One period: an ISO week such as 2021-W14, or final (the whole campaign)',
            },
          ],
          responses: {
            '200': json('ReportList', 'OK'),
            '400': problem(
              'Unknown query parameter, a period not written YYYY-Www or final, or too many reports',
            ),
            '401': problem('Missing or invalid token'),
            '403': problem("The token lacks scope progress:read, or unitId is outside the token's units"),
            '404': problem('No such campaign or unit'),
          },
        },
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
            {
              name: 'reportId',
              in: 'path',
              required: true,
              schema: { type: 'string' },
              description: '<unitId>:<period>, e.g. 33:2021-W14 or 33:final (":" may be sent as %3A)',
            },
            {
              name: 'lang',
              in: 'query',
              required: false,
              schema: { type: 'string', enum: ['vi', 'en'], default: 'vi' },
              description: 'Language of the CSV headers, level names and file name',
            },
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
      '/v1/campaigns/{campaignId}/units/{unitId}/acknowledgements': {
        post: {
          operationId: 'acknowledgeUnit',
          summary:
            "Acknowledge a unit's alerts: pauses the repeats of the unit and its sub-targets, for all its leaders, " +
            'until the level worsens or `until` passes (default 3 days, at most 30); escalation still happens ' +
            "(scope progress:read; the unit inside the token's units)",
          parameters: unitPathParameters,
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: { $ref: '#/components/schemas/AcknowledgementInput' } },
            },
          },
          responses: {
            '201': json('Acknowledgement', 'Acknowledged'),
            ...readErrors,
            '400': problem('Invalid body (until not in the future or too far); `errors` lists each problem'),
          },
        },
      },
      '/v1/campaigns/{campaignId}/units/{unitId}/acknowledgements/{acknowledgementId}': {
        delete: {
          operationId: 'withdrawAcknowledgement',
          summary: 'Withdraw an acknowledgement (its author, or scope admin); the feed keeps both',
          parameters: [
            ...unitPathParameters,
            { name: 'acknowledgementId', in: 'path', required: true, schema: { type: 'string' } },
          ],
          responses: {
            '200': json('Acknowledgement', 'Withdrawn'),
            ...readErrors,
            '409': problem('Already withdrawn'),
          },
        },
      },
      '/v1/campaigns/{campaignId}/units/{unitId}/alerts': {
        get: {
          operationId: 'getUnitAlerts',
          summary:
            "What was delivered about the unit or to its leaders, and what was done about it, newest first (scope progress:read; the unit inside the token's units)",
          description:
            'kind: alert, report, notice (deliveries: one per leader and channel, endpoint masked unless the token has admin), ' +
            'acknowledgement, acknowledgement_withdrawn, silence (on the unit or an ancestor), sms_budget (80 % notice, cap reached).',
          parameters: [
            ...unitPathParameters,
            dateParameter('from', `First local day (default: ${FEED_DEFAULT_DAYS} days before to)`),
            dateParameter(
              'to',
              `Last local day, inclusive (default: today); at most ${FEED_MAX_DAYS} days in all`,
            ),
          ],
          responses: { '200': json('AlertsFeed', 'OK'), ...readErrors },
        },
      },
      ...identityPaths(),
      '/v1/openapi.json': {
        get: {
          summary: 'This document',
          security: [],
          responses: { '200': { description: 'OpenAPI 3.1 document' } },
        },
      },
    }),
  };
}

/** The users and clients registry (functions/identity-admin.ts). */
function identityPaths(): Record<string, unknown> {
  const email = { name: 'email', in: 'path', required: true, schema: { type: 'string', format: 'email' } };
  const body = (ref: string) => ({
    required: true,
    content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } },
  });
  const refused = problem(
    'Invalid input: malformed e-mail, unknown campaign, unit or scope, a grant or scope beyond your own; `errors` lists each',
  );
  const manageErrors = {
    '400': problem('Invalid input, or the user holds grants your own do not cover; `errors` lists each'),
    ...adminErrors,
    '404': problem('No such user'),
    '502': problem('Cognito failed'),
  };
  const userAction = (summary: string) => ({
    post: { summary, parameters: [email], responses: { '200': json('User', 'Done'), ...manageErrors } },
  });
  return {
    '/v1/users': {
      post: {
        summary: 'Register a person (scope admin; only grants and scopes your own cover)',
        description:
          'Locally the answer carries a one-time password; in AWS Cognito e-mails the person an invitation. ' +
          '`units` are grants: *, <campaignId>:*, <campaignId>:<unitId> or <unitId>.',
        requestBody: body('UserInput'),
        responses: {
          '201': json('UserCreated', 'Registered'),
          '400': refused,
          ...adminErrors,
          '409': problem('A user with this e-mail exists'),
          '502': problem('Cognito failed'),
        },
      },
      get: {
        summary: 'The users whose grants your own cover (scope admin)',
        responses: { '200': json('UserList', 'OK'), ...adminErrors },
      },
    },
    '/v1/users/{email}': {
      put: {
        summary: "Replace a user's grants and scopes, effective at its next token (scope admin)",
        parameters: [email],
        requestBody: body('UserGrants'),
        responses: { '200': json('User', 'Replaced'), ...manageErrors, '409': problem('Changed meanwhile') },
      },
      delete: {
        summary: 'Remove a user (scope admin)',
        parameters: [email],
        responses: { '204': { description: 'Removed' }, ...manageErrors },
      },
    },
    '/v1/users/{email}/disable': userAction('Disable a user: no new token, refresh included (scope admin)'),
    '/v1/users/{email}/enable': userAction('Enable a user again (scope admin)'),
    '/v1/clients': {
      post: {
        summary:
          'Register a machine client (client credentials); the secret is in this answer only (scope admin)',
        requestBody: body('ClientInput'),
        responses: {
          '201': json('ClientCreated', 'Registered'),
          '400': refused,
          ...adminErrors,
          '502': problem('Cognito failed'),
        },
      },
      get: {
        summary: 'The machine clients whose grants your own cover (scope admin)',
        responses: { '200': json('ClientList', 'OK'), ...adminErrors },
      },
    },
    '/v1/clients/{clientId}': {
      delete: {
        summary: 'Remove a machine client: it gets no new token (scope admin)',
        parameters: [{ name: 'clientId', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '204': { description: 'Removed' }, ...manageErrors },
      },
    },
  };
}
