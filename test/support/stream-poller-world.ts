/** A table on DynamoDB Local with its stream and the local stream poller on it, for the tests of infra/local/stream-poller.ts (test/integration/infra/local/stream-poller.test.ts). */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, inject } from 'vitest';
import {
  type CheckpointFileContent,
  type FailureRecord,
  type StreamPoller,
  type StreamPollerOptions,
  startStreamPoller,
} from '../../infra/local/stream-poller.js';
import type { StreamTrigger } from '../../infra/topology.js';
import { localClientConfig } from '../../shared/store/client.js';
import { intakeEventsTable } from '../../shared/store/tables.js';
import { createTestTable, type TestTable } from './dynamo.js';

export const pkOf = (i: number) => `k-${String(i).padStart(4, '0')}`;
export const pkOfRecord = (r: DynamoDBRecord) => r.dynamodb?.NewImage?.pk?.S ?? '?';
export const seqOf = (r: DynamoDBRecord) => r.dynamodb?.SequenceNumber ?? '?';

export const aTrigger = (overrides: Partial<StreamTrigger> = {}): StreamTrigger => ({
  table: 'intakeEvents',
  batchSize: 100,
  maxBatchingWindowSeconds: 0,
  retryAttempts: 2,
  maxRecordAgeSeconds: 3600,
  bisectBatchOnError: true,
  parallelizationFactor: 1,
  ...overrides,
});

/** Puts items pk = k-0000… with PutItem; `concurrency` 1 keeps the stream order equal to i. */
export async function putItems(
  table: TestTable,
  from: number,
  count: number,
  options: { concurrency?: number; extra?: (i: number) => Record<string, unknown> } = {},
) {
  const indexes = Array.from({ length: count }, (_, k) => from + k);
  const put = (i: number) =>
    table.db.send(
      new PutCommand({ TableName: table.name, Item: { pk: pkOf(i), i, ...(options.extra?.(i) ?? {}) } }),
    );
  const concurrency = options.concurrency ?? 1;
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < indexes.length) {
        const i = indexes[next++] as number;
        await put(i);
      }
    }),
  );
}

export interface Invocation {
  readonly records: DynamoDBRecord[];
  readonly at: number;
}

/** The table, the poller started on it (stopped after each test) and the files it writes. */
class StreamPollerWorld {
  dir = '';
  table!: TestTable;
  poller: StreamPoller | undefined;
  logs: string[] = [];

  constructor(readonly endpoint: string) {}

  files() {
    return {
      checkpointFile: join(this.dir, `${this.table.name}.checkpoints.json`),
      failureFile: join(this.dir, `${this.table.name}.failures.jsonl`),
    };
  }

  async start(
    trigger: StreamTrigger,
    handler: StreamPollerOptions['handler'],
    extra: Partial<StreamPollerOptions> = {},
  ): Promise<StreamPoller> {
    this.poller = await startStreamPoller({
      endpoint: this.endpoint,
      tableName: this.table.name,
      trigger,
      handler,
      ...this.files(),
      pollIntervalMs: 50,
      log: (line) => this.logs.push(line),
      ...extra,
    });
    return this.poller;
  }

  async readFailures(): Promise<FailureRecord[]> {
    const text = await readFile(this.files().failureFile, 'utf8').catch(() => '');
    return text
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => JSON.parse(line) as FailureRecord);
  }

  async readCheckpoints(): Promise<CheckpointFileContent> {
    return JSON.parse(await readFile(this.files().checkpointFile, 'utf8')) as CheckpointFileContent;
  }

  async streamArn(): Promise<string> {
    const client = new DynamoDBClient(localClientConfig(this.endpoint));
    try {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: this.table.name }));
      return Table?.LatestStreamArn ?? '';
    } finally {
      client.destroy();
    }
  }
}

/** A fresh intake-events table on DynamoDB Local for each test of the calling file, files in a temporary folder. */
export function aStreamPollerWorld(): StreamPollerWorld {
  const w = new StreamPollerWorld(inject('dynamoEndpoint'));
  beforeAll(async () => {
    w.dir = await mkdtemp(join(tmpdir(), 'stream-poller-'));
  });
  afterAll(async () => {
    await rm(w.dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    w.table = await createTestTable(intakeEventsTable);
    w.logs = [];
  });
  afterEach(async () => {
    await w.poller?.stop();
    w.poller = undefined;
    await w.table.drop();
  });
  return w;
}
