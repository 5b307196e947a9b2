/**
 * The vocabulary of the topology (infra/topology.ts): a function's declaration, its routes, stream
 * trigger, schedules and table access. Both the CDK stack and the local runtime read declarations
 * of these types.
 */
import type { TableKey } from '../shared/store/tables.js';
import type { ScheduleName } from './config/schedules.js';

/**
 * The DynamoDB actions a function's code calls on a table, and nothing more (no Scan anywhere).
 * A TransactWriteItems call needs the action of each of its items (PutItem, UpdateItem, DeleteItem,
 * ConditionCheckItem); BatchWriteItem covers both its puts and its deletes.
 */
export type DynamoAction =
  | 'GetItem'
  | 'BatchGetItem'
  | 'Query'
  | 'PutItem'
  | 'UpdateItem'
  | 'DeleteItem'
  | 'BatchWriteItem'
  | 'ConditionCheckItem';

/**
 * A function's access to one table: its actions, and optionally the partition keys it may touch
 * (`dynamodb:LeadingKeys`, StringLike patterns) where the key layout allows (shared/store/keys.ts).
 * `read` is shorthand for GetItem, BatchGetItem and Query.
 */
export type TableAccess =
  | 'read'
  | { readonly actions: readonly DynamoAction[]; readonly leadingKeys?: readonly string[] };

export const READ_ACTIONS: readonly DynamoAction[] = ['GetItem', 'BatchGetItem', 'Query'];

/** The actions an access names. */
export const actionsOf = (access: TableAccess): readonly DynamoAction[] =>
  access === 'read' ? READ_ACTIONS : access.actions;

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** A scope a route may require: the bare names of the `scope` claim. */
export type RouteScope = 'intake:write' | 'progress:read' | 'admin';

/**
 * 'jwt': the JWT authorizer verifies the token first, and the token's `scope` must hold one of
 * `scopes` (API Gateway's `authorizationScopes`; the local gateway checks the same); 'none': public.
 */
export type HttpRoute = {
  readonly method: HttpMethod;
  /** API Gateway path syntax: /v1/campaigns/{campaignId} */
  readonly path: string;
} & (
  | { readonly auth: 'jwt'; readonly scopes: readonly [RouteScope, ...RouteScope[]] }
  | { readonly auth: 'none' }
);

/** A route behind the JWT authorizer whose token must carry `scope` (each guarded route names one). */
export const jwtRoute = (method: HttpMethod, path: string, scope: RouteScope): HttpRoute => ({
  method,
  path,
  auth: 'jwt',
  scopes: [scope],
});

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
  /** Gets DASHBOARD_URL (stage config `dashboardUrl`; locally the local base URL): its messages link to unit pages. */
  readonly dashboardLinks?: boolean;
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
