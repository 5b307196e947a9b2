/**
 * The store the local system keeps under .local/ and the environment its functions read, as in
 * Lambda: DynamoDB Local's endpoint, the local stand-ins' files, and each function's table names.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { TableKey } from '../../../shared/store/tables.js';
import { functions, tableEnvironment, tables } from '../../topology.js';
import type { LocalPaths } from '../paths.js';

/** Local table names are the logical names: the Campaign table is "Campaign". */
export const localTableName = (key: TableKey) => tables[key].logicalName;

/** Every table's local name, by key. */
export function localTableNames(): Record<TableKey, string> {
  return Object.fromEntries(
    (Object.keys(tables) as TableKey[]).map((key) => [key, localTableName(key)]),
  ) as Record<TableKey, string>;
}

/** Deletes everything the local system keeps, except its signing key (tokens handed out stay valid). */
export async function clearLocalState(paths: LocalPaths): Promise<void> {
  await rm(paths.db, { recursive: true, force: true });
  await rm(paths.streams, { recursive: true, force: true });
  await rm(paths.alerts, { force: true });
  await rm(paths.streamFailures, { force: true });
  await rm(join(paths.dir, 'demo.json'), { force: true });
}

/** The functions read their configuration from the environment, as in Lambda: set it for all of them. */
export function setFunctionEnvironment(paths: LocalPaths, dynamoEndpoint: string): void {
  Object.assign(process.env, {
    AWS_REGION: 'local',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    DYNAMODB_ENDPOINT: dynamoEndpoint,
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    // CloudWatch EMF lines mean nothing on a laptop.
    POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'true',
    // Where the roll-up sets aside poison records: the same file as the stream's on-failure destination.
    ROLLUP_FAILURE_FILE: paths.streamFailures,
    // The SNS stand-in: messages delivered to the registry's recipients are written here.
    LOCAL_ALERTS_FILE: paths.alerts,
    // The local identity provider's directory (one-time passwords, client secrets): the admin routes use it.
    LOCAL_IDENTITY_KEYS_DIR: paths.keys,
  });
  for (const fn of functions) Object.assign(process.env, tableEnvironment(fn, localTableName));
}
