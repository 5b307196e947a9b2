/**
 * The topology: every function, what triggers it, which tables it may touch and how.
 * This single declaration drives the CDK stack (infra/stack.ts) and the local runtime
 * (infra/local/), so a route or a grant cannot exist in one and not the other.
 */
import { type TableKey, tableDefinitions } from '../shared/store/tables.js';

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

export interface FunctionDeclaration {
  /** Logical name: CDK construct id and local log prefix. */
  readonly name: string;
  /** Entry file, relative to the repository root; it exports `handler`. */
  readonly entry: string;
  readonly description: string;
  readonly routes: readonly HttpRoute[];
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
