/**
 * The topology: every function, what triggers it, which tables it may touch and how.
 * This single declaration drives the CDK stack (infra/stack.ts) and the local runtime
 * (infra/local/), so a route or a grant cannot exist in one and not the other.
 */
import { type TableKey, tableDefinitions } from '../shared/store/tables.js';
import { type FunctionDeclaration, jwtRoute } from './topology-types.js';

export * from './topology-types.js';

export const functions: readonly FunctionDeclaration[] = [
  {
    name: 'CampaignAdmin',
    entry: 'functions/campaign-admin.ts',
    description: 'PUT /v1/campaigns/{campaignId}: validate and import a campaign file (scope admin)',
    routes: [jwtRoute('PUT', '/v1/campaigns/{campaignId}', 'admin')],
    tables: { campaign: { actions: ['GetItem', 'Query', 'PutItem', 'BatchWriteItem', 'UpdateItem'] } },
    memoryMb: 1024,
    timeoutSeconds: 29,
  },
  {
    name: 'Intake',
    entry: 'functions/intake.ts',
    description: 'POST /v1/intake-events: store intake events exactly once (scope intake:write)',
    routes: [jwtRoute('POST', '/v1/intake-events', 'intake:write')],
    // GetItem/BatchGetItem: a correction is checked against the stored event it corrects.
    tables: { campaign: 'read', intakeEvents: { actions: ['PutItem', 'GetItem', 'BatchGetItem'] } },
    memoryMb: 512,
    timeoutSeconds: 10,
  },
  {
    name: 'Rollup',
    entry: 'functions/rollup.ts',
    description:
      'IntakeEvents stream → totals per unit, day, kind, channel and group, up the hierarchy, exactly once',
    routes: [],
    stream: {
      table: 'intakeEvents',
      // Up to 1,000 records over up to 1 s (the window is whole seconds): a leader sees a new number
      // about 1.3 s after the post (Lambda polls a shard ~4 times a second, then the window, then one
      // round of writes), and at the national peak (1,000 events/s, ~4 shards) a batch still holds a
      // second of a shard's events, each DAY item it touches written once: the root's about 4 times a
      // second, and ~2.1 writes per event, which keeps the cost under $2 per million events. A 2 s
      // window would aggregate more (~1.85 writes per event) but could not show a number within 2 s
      // (bench/README.md shows both).
      batchSize: 1000,
      maxBatchingWindowSeconds: 1,
      retryAttempts: 10,
      // Stream records live 24 h; past that they are gone anyway, so give up (to the on-failure queue) at 24 h.
      maxRecordAgeSeconds: 86_400,
      bisectBatchOnError: true,
      // One batch per shard at a time keeps each shard's records in order (the watermarks rely on it).
      parallelizationFactor: 1,
      // Only to get `shardId` in each event (functions/rollup.ts refuses an event without it): the
      // watermarks are kept per shard. The window's state is unused; 60 s is arbitrary, any 1-900 works.
      tumblingWindowSeconds: 60,
    },
    tables: { campaign: { actions: ['UpdateItem'], leadingKeys: ['C#*#U#*'] } },
    memoryMb: 1024,
    timeoutSeconds: 60,
  },
  {
    name: 'Progress',
    entry: 'functions/progress.ts',
    description:
      'GET progress, children and daily series of a unit, from the totals items (scope progress:read)',
    routes: [
      jwtRoute('GET', '/v1/campaigns/{campaignId}/units/{unitId}/progress', 'progress:read'),
      jwtRoute('GET', '/v1/campaigns/{campaignId}/units/{unitId}/children', 'progress:read'),
      jwtRoute('GET', '/v1/campaigns/{campaignId}/units/{unitId}/daily', 'progress:read'),
    ],
    tables: { campaign: 'read' },
    memoryMb: 512,
    timeoutSeconds: 10,
  },
  {
    name: 'Corrections',
    entry: 'functions/corrections.ts',
    description: "Audit of a unit's corrections: who corrected what, when and why (scope progress:read)",
    routes: [jwtRoute('GET', '/v1/campaigns/{campaignId}/units/{unitId}/corrections', 'progress:read')],
    tables: { campaign: 'read', intakeEvents: { actions: ['Query'] } },
    memoryMb: 512,
    timeoutSeconds: 10,
  },
  {
    name: 'Campaigns',
    entry: 'functions/campaigns.ts',
    description:
      "The dashboard's reads: the caller's campaigns, a campaign's settings, unit search, level history (scope progress:read)",
    routes: [
      jwtRoute('GET', '/v1/campaigns', 'progress:read'),
      jwtRoute('GET', '/v1/campaigns/{campaignId}', 'progress:read'),
      jwtRoute('GET', '/v1/campaigns/{campaignId}/units', 'progress:read'),
      jwtRoute('GET', '/v1/campaigns/{campaignId}/units/{unitId}/risk-history', 'progress:read'),
    ],
    tables: { campaign: 'read' },
    memoryMb: 512,
    timeoutSeconds: 10,
  },
  {
    name: 'Risk',
    entry: 'functions/risk.ts',
    description: 'Evaluates pace and deadline risk of every unit, keeps levels, sends leader alerts (SNS)',
    routes: [],
    schedules: ['riskHourly', 'riskDaily'],
    tables: {
      campaign: {
        actions: [
          'GetItem',
          'BatchGetItem',
          'Query',
          'BatchWriteItem',
          'PutItem',
          'UpdateItem',
          'DeleteItem',
        ],
      },
    },
    alerts: 'publish',
    dashboardLinks: true,
    memoryMb: 1024,
    timeoutSeconds: 300,
  },
  {
    name: 'Recipients',
    entry: 'functions/recipients.ts',
    description: "Leaders' registry (scope admin), each leader an SNS subscription with a filter policy",
    routes: [
      jwtRoute('POST', '/v1/campaigns/{campaignId}/recipients', 'admin'),
      jwtRoute('GET', '/v1/campaigns/{campaignId}/recipients', 'admin'),
      jwtRoute('PUT', '/v1/campaigns/{campaignId}/recipients/{recipientId}', 'admin'),
      jwtRoute('DELETE', '/v1/campaigns/{campaignId}/recipients/{recipientId}', 'admin'),
    ],
    tables: { campaign: { actions: ['GetItem', 'Query', 'PutItem', 'DeleteItem'] } },
    alerts: 'subscribe',
    memoryMb: 512,
    timeoutSeconds: 15,
  },
  {
    name: 'Silences',
    entry: 'functions/silences.ts',
    description: 'Silences: mute a unit and its subtree until a time, with a reason (scope admin)',
    routes: [
      jwtRoute('POST', '/v1/campaigns/{campaignId}/silences', 'admin'),
      jwtRoute('GET', '/v1/campaigns/{campaignId}/silences', 'admin'),
      jwtRoute('DELETE', '/v1/campaigns/{campaignId}/silences/{silenceId}', 'admin'),
    ],
    tables: { campaign: { actions: ['GetItem', 'Query', 'PutItem', 'DeleteItem'] } },
    memoryMb: 256,
    timeoutSeconds: 10,
  },
  {
    name: 'UnitAlerts',
    entry: 'functions/alerts.ts',
    description:
      "A unit's alerts feed, and leaders' acknowledgements that pause repeats (scope progress:read)",
    routes: [
      jwtRoute('POST', '/v1/campaigns/{campaignId}/units/{unitId}/acknowledgements', 'progress:read'),
      jwtRoute(
        'DELETE',
        '/v1/campaigns/{campaignId}/units/{unitId}/acknowledgements/{acknowledgementId}',
        'progress:read',
      ),
      jwtRoute('GET', '/v1/campaigns/{campaignId}/units/{unitId}/alerts', 'progress:read'),
    ],
    // Acknowledgements: a transaction of two puts, withdrawal an update; the feed reads.
    tables: { campaign: { actions: ['GetItem', 'Query', 'PutItem', 'UpdateItem'] } },
    memoryMb: 512,
    timeoutSeconds: 10,
  },
  {
    name: 'Reorganise',
    entry: 'functions/reorganise.ts',
    description:
      'Reorganisation passes every 5 minutes: moves history to the new hierarchy exactly once, declares convergence',
    routes: [],
    schedules: ['reorganise'],
    // GetItem/Query: the migration state, campaigns and DAY items; UpdateItem: the state, and the
    // DAY items a transfer changes (TransactWriteItems is authorised per UpdateItem).
    tables: { campaign: { actions: ['GetItem', 'Query', 'UpdateItem'] } },
    memoryMb: 512,
    timeoutSeconds: 300,
  },
  {
    name: 'Report',
    entry: 'functions/report.ts',
    description:
      'Weekly and final reports for every unit with leaders: stored, and summarised to them by e-mail',
    routes: [],
    schedules: ['weeklyReport', 'finalReportCheck'],
    // The outbox: recording (put), marking sent (delete the pending item, put the feed copy, update),
    // and the SMS budget counter (update).
    tables: {
      campaign: { actions: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'] },
      // Query: the corrections of the period (IntakeEvents' correctionsByCampaign index).
      intakeEvents: { actions: ['Query'] },
    },
    alerts: 'publish',
    memoryMb: 1024,
    timeoutSeconds: 300,
  },
  {
    name: 'Reports',
    entry: 'functions/reports.ts',
    description: 'GET reports of a unit (JSON, or CSV with Accept: text/csv), scope progress:read',
    routes: [
      jwtRoute('GET', '/v1/campaigns/{campaignId}/reports', 'progress:read'),
      jwtRoute('GET', '/v1/campaigns/{campaignId}/reports/{reportId}', 'progress:read'),
    ],
    tables: { campaign: 'read' },
    memoryMb: 512,
    timeoutSeconds: 10,
  },
  {
    name: 'IdentityAdmin',
    entry: 'functions/identity-admin.ts',
    description: 'Users and machine clients registry (scope admin): only grants the caller’s own cover',
    routes: [
      jwtRoute('POST', '/v1/users', 'admin'),
      jwtRoute('GET', '/v1/users', 'admin'),
      jwtRoute('PUT', '/v1/users/{email}', 'admin'),
      jwtRoute('POST', '/v1/users/{email}/disable', 'admin'),
      jwtRoute('POST', '/v1/users/{email}/enable', 'admin'),
      jwtRoute('DELETE', '/v1/users/{email}', 'admin'),
      jwtRoute('POST', '/v1/clients', 'admin'),
      jwtRoute('GET', '/v1/clients', 'admin'),
      jwtRoute('DELETE', '/v1/clients/{clientId}', 'admin'),
    ],
    tables: { campaign: { actions: ['GetItem', 'Query', 'PutItem', 'DeleteItem'] } },
    identity: 'manage',
    memoryMb: 512,
    timeoutSeconds: 15,
  },
  {
    name: 'PreToken',
    entry: 'functions/pre-token.ts',
    description:
      'Cognito pre-token-generation trigger (V3): units and bare scopes from the registry into access tokens',
    routes: [],
    tables: { campaign: 'read' },
    identity: 'preTokenTrigger',
    // Cognito waits at most 5 s for a trigger.
    memoryMb: 512,
    timeoutSeconds: 5,
  },
  {
    name: 'OpenApi',
    entry: 'functions/openapi.ts',
    description: 'GET /v1/openapi.json: the OpenAPI document generated from the zod schemas',
    routes: [{ method: 'GET', path: '/v1/openapi.json', auth: 'none' }],
    tables: {},
    memoryMb: 256,
    timeoutSeconds: 5,
  },
];

export const tables = tableDefinitions;

/** The environment variables a function receives for its tables: { CAMPAIGN_TABLE: <name> }. */
export function tableEnvironment(
  fn: FunctionDeclaration,
  physicalName: (table: TableKey) => string,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of Object.keys(fn.tables) as TableKey[]) {
    env[tables[key].envVar] = physicalName(key);
  }
  return env;
}
