/** Helpers for integration tests against DynamoDB Local. */
import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, inject } from 'vitest';
import { createTableInput, ensureTables } from '../../infra/local/tables.js';
import { createDocumentClient, localClientConfig } from '../../shared/store/client.js';
import type { TableDefinition } from '../../shared/store/tables.js';

/** Counts the requests a client sends, by low-level command name (QueryCommand, BatchWriteItemCommand…). */
export interface RequestCounter {
  readonly counts: Map<string, number>;
  total(): number;
  get(command: string): number;
  reset(): void;
}

export function countRequests(client: DynamoDBDocumentClient): RequestCounter {
  const counts = new Map<string, number>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? 'unknown';
      counts.set(name, (counts.get(name) ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: 'countRequests' },
  );
  return {
    counts,
    total: () => [...counts.values()].reduce((a, b) => a + b, 0),
    get: (command) => counts.get(command) ?? 0,
    reset: () => counts.clear(),
  };
}

export interface TestTable {
  readonly name: string;
  readonly db: DynamoDBDocumentClient;
  drop(): Promise<void>;
}

/** A fresh table built from a real table definition, with a unique name. */
export async function createTestTable(def: TableDefinition): Promise<TestTable> {
  const endpoint = inject('dynamoEndpoint');
  const name = `${def.logicalName}-${randomUUID().slice(0, 8)}`;
  const client = new DynamoDBClient(localClientConfig(endpoint));
  await ensureTables(client, [{ def, name }]);
  const db = createDocumentClient(localClientConfig(endpoint));
  return {
    name,
    db,
    drop: async () => {
      await client.send(new DeleteTableCommand({ TableName: name }));
      client.destroy();
      db.destroy();
    },
  };
}

/**
 * A fresh table for the enclosing describe block: created before its tests (then `init`, to build
 * the stores on it), dropped after them.
 */
export function useTestTable(def: TableDefinition, init: (table: TestTable) => void | Promise<void>): void {
  let table: TestTable | undefined;
  beforeAll(async () => {
    table = await createTestTable(def);
    await init(table);
  });
  afterAll(async () => table?.drop());
}

/** A store on a fresh test table (`useTestTable`), and the table and a request counter on its client. */
export interface TestStore<S> {
  readonly store: S;
  readonly table: TestTable;
  readonly requests: RequestCounter;
}

/**
 * `useTestTable` with one store on it, built by `storeOf`: its fields are there once the enclosing
 * describe block's tests run.
 */
export function useTestStore<S>(
  def: TableDefinition,
  storeOf: (db: DynamoDBDocumentClient, tableName: string) => S,
): TestStore<S> {
  let built: TestStore<S> | undefined;
  useTestTable(def, (table) => {
    built = { store: storeOf(table.db, table.name), table, requests: countRequests(table.db) };
  });
  const ready = (): TestStore<S> => {
    if (!built) throw new Error('useTestStore: the table is made before the tests, not before describe');
    return built;
  };
  return {
    get store() {
      return ready().store;
    },
    get table() {
      return ready().table;
    },
    get requests() {
      return ready().requests;
    },
  };
}

export { createTableInput };
