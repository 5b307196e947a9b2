/**
 * The OpenAPI 3.1 document, generated from the zod schemas (never written by hand).
 * Each route added to the API adds its operation to its group's file in ./openapi/ (one per route
 * group, in the document's order); this file holds the components and assembles the paths.
 */
import * as z from 'zod';
import { AcknowledgementInput, AcknowledgementRecord, AlertsFeed } from './alerts.js';
import { CampaignFile } from './campaign.js';
import { CorrectionsResponse } from './corrections.js';
import { CampaignDetail, CampaignList, RiskHistoryResponse, UnitSearchResponse } from './dashboard.js';
import { ClientInput, ClientView, UserInput, UserView } from './identity.js';
import { CorrectionEvent, IntakeEvent, IntakeFailedResult, IntakeResponse } from './intake.js';
import { alertPaths } from './openapi/alerts.js';
import { campaignPaths } from './openapi/campaigns.js';
import { identityPaths } from './openapi/identity.js';
import { intakePaths } from './openapi/intake.js';
import { progressPaths } from './openapi/progress.js';
import { registryPaths } from './openapi/registry.js';
import { reportPaths } from './openapi/reports.js';
import { ChildrenResponse, DailyResponse, ProgressResponse } from './progress.js';
import {
  Recipient,
  RecipientInput,
  RecipientList,
  SilenceInput,
  SilenceList,
  SilenceRecord,
} from './recipients.js';
import { ReportList, UnitReport } from './reports.js';

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
      ...campaignPaths(),
      ...intakePaths(),
      ...progressPaths(),
      ...registryPaths(),
      ...reportPaths(),
      ...alertPaths(),
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
