/**
 * The topology: every function, what triggers it, which tables it may touch and how.
 * This single declaration drives the CDK stack (infra/stack.ts) and the local runtime
 * (infra/local/), so a route or a grant cannot exist in one and not the other.
 */
import { type TableKey, tableDefinitions } from '../shared/store/tables.js';
import type { ScheduleName } from './config/schedules.js';

/**
 * - read: GetItem, Query, BatchGetItem…
 * - readWrite: read plus every write
 * - put: PutItem only (conditional inserts: the intake function may neither read, update nor delete events)
 */
export type TableAccess = 'read' | 'readWrite' | 'put';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface HttpRoute {
  readonly method: HttpMethod;
  /** API Gateway path syntax: /v1/campaigns/{campaignId} */
  readonly path: string;
  /** 'jwt': the JWT authorizer verifies the token first; 'none': public. */
  readonly auth: 'jwt' | 'none';
}

/**
 * A DynamoDB stream trigger, with Lambda's event source mapping settings. The local stream poller
 * applies the same numbers (batch size, window, retries, bisect, record age, on-failure file).
 */
export interface StreamTrigger {
  readonly table: TableKey;
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds: number;
  /** Retries of a failing batch (or of its failed suffix) before it goes to the on-failure destination. */
  readonly retryAttempts: number;
  readonly maxRecordAgeSeconds: number;
  readonly bisectBatchOnError: boolean;
  readonly parallelizationFactor: number;
  /**
   * Lambda's tumbling window, in seconds (1 to 900). Set only so that Lambda puts `shardId` in
   * every event: a stream event carries the shard only when the mapping has a tumbling window.
   * The window's `state` is not used (the handler returns it empty).
   */
  readonly tumblingWindowSeconds?: number;
}

export interface FunctionDeclaration {
  /** Logical name: CDK construct id and local log prefix. */
  readonly name: string;
  /** Entry file, relative to the repository root; it exports `handler`. */
  readonly entry: string;
  readonly description: string;
  readonly routes: readonly HttpRoute[];
  readonly stream?: StreamTrigger;
  /** Scheduled runs: names of rules in infra/config/schedules.ts (stage config may override them). */
  readonly schedules?: readonly ScheduleName[];
  /**
   * What the function may do with the alerts topic: `publish` (jobs) or `subscribe` (the recipients
   * registry keeps each leader's SNS subscription). Comes with ALERTS_TOPIC_ARN in its environment.
   */
  readonly alerts?: 'publish' | 'subscribe';
  /**
   * What the function does with the identity provider (stage setting `identity: cognito`):
   * `manage` (the users and clients registry: admin calls on the user pool, USER_POOL_ID and
   * RESOURCE_SERVER_ID in its environment) or `preTokenTrigger` (the user pool's
   * pre-token-generation trigger). With `identity: external` such functions are not deployed.
   */
  readonly identity?: 'manage' | 'preTokenTrigger';
  readonly tables: Partial<Record<TableKey, TableAccess>>;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
}

export const functions: readonly FunctionDeclaration[] = [
  {
    name: 'CampaignAdmin',
    entry: 'functions/campaign-admin.ts',
    description: 'PUT /v1/campaigns/{campaignId}: validate and import a campaign file (scope admin)',
    routes: [{ method: 'PUT', path: '/v1/campaigns/{campaignId}', auth: 'jwt' }],
    tables: { campaign: 'readWrite' },
    memoryMb: 1024,
    timeoutSeconds: 29,
  },
  {
    name: 'Intake',
    entry: 'functions/intake.ts',
    description: 'POST /v1/intake-events: store intake events exactly once (scope intake:write)',
    routes: [{ method: 'POST', path: '/v1/intake-events', auth: 'jwt' }],
    tables: { campaign: 'read', intakeEvents: 'put' },
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
      // Up to 1,000 records over up to 2 s: at national peak (1,000 events/s) a batch holds about two
      // seconds of a shard's events, and each totals item it touches is written once per batch, so the
      // root item sees about one write per shard every 2 s, while a leader still sees a new number
      // within seconds.
      batchSize: 1000,
      maxBatchingWindowSeconds: 2,
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
    tables: { campaign: 'readWrite' },
    memoryMb: 1024,
    timeoutSeconds: 60,
  },
  {
    name: 'Progress',
    entry: 'functions/progress.ts',
    description:
      'GET progress, children and daily series of a unit, from the totals items (scope progress:read)',
    routes: [
      { method: 'GET', path: '/v1/campaigns/{campaignId}/units/{unitId}/progress', auth: 'jwt' },
      { method: 'GET', path: '/v1/campaigns/{campaignId}/units/{unitId}/children', auth: 'jwt' },
      { method: 'GET', path: '/v1/campaigns/{campaignId}/units/{unitId}/daily', auth: 'jwt' },
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
    tables: { campaign: 'readWrite' },
    alerts: 'publish',
    memoryMb: 1024,
    timeoutSeconds: 300,
  },
  {
    name: 'Recipients',
    entry: 'functions/recipients.ts',
    description: "Leaders' registry (scope admin), each leader an SNS subscription with a filter policy",
    routes: [
      { method: 'POST', path: '/v1/campaigns/{campaignId}/recipients', auth: 'jwt' },
      { method: 'GET', path: '/v1/campaigns/{campaignId}/recipients', auth: 'jwt' },
      { method: 'PUT', path: '/v1/campaigns/{campaignId}/recipients/{recipientId}', auth: 'jwt' },
      { method: 'DELETE', path: '/v1/campaigns/{campaignId}/recipients/{recipientId}', auth: 'jwt' },
    ],
    tables: { campaign: 'readWrite' },
    alerts: 'subscribe',
    memoryMb: 512,
    timeoutSeconds: 15,
  },
  {
    name: 'Silences',
    entry: 'functions/silences.ts',
    description: 'Silences: mute a unit and its subtree until a time, with a reason (scope admin)',
    routes: [
      { method: 'POST', path: '/v1/campaigns/{campaignId}/silences', auth: 'jwt' },
      { method: 'GET', path: '/v1/campaigns/{campaignId}/silences', auth: 'jwt' },
      { method: 'DELETE', path: '/v1/campaigns/{campaignId}/silences/{silenceId}', auth: 'jwt' },
    ],
    tables: { campaign: 'readWrite' },
    memoryMb: 256,
    timeoutSeconds: 10,
  },
  {
    name: 'Report',
    entry: 'functions/report.ts',
    description:
      'Weekly and final reports for every unit with leaders: stored, and summarised to them by e-mail',
    routes: [],
    schedules: ['weeklyReport', 'finalReportCheck'],
    tables: { campaign: 'readWrite' },
    alerts: 'publish',
    memoryMb: 1024,
    timeoutSeconds: 300,
  },
  {
    name: 'Reports',
    entry: 'functions/reports.ts',
    description: 'GET reports of a unit (JSON, or CSV with Accept: text/csv), scope progress:read',
    routes: [
      { method: 'GET', path: '/v1/campaigns/{campaignId}/reports', auth: 'jwt' },
      { method: 'GET', path: '/v1/campaigns/{campaignId}/reports/{reportId}', auth: 'jwt' },
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
      { method: 'POST', path: '/v1/users', auth: 'jwt' },
      { method: 'GET', path: '/v1/users', auth: 'jwt' },
      { method: 'PUT', path: '/v1/users/{email}', auth: 'jwt' },
      { method: 'POST', path: '/v1/users/{email}/disable', auth: 'jwt' },
      { method: 'POST', path: '/v1/users/{email}/enable', auth: 'jwt' },
      { method: 'DELETE', path: '/v1/users/{email}', auth: 'jwt' },
      { method: 'POST', path: '/v1/clients', auth: 'jwt' },
      { method: 'GET', path: '/v1/clients', auth: 'jwt' },
      { method: 'DELETE', path: '/v1/clients/{clientId}', auth: 'jwt' },
    ],
    tables: { campaign: 'readWrite' },
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
