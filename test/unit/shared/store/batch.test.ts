import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { batchGetAll, batchWriteAll } from '../../../../shared/store/batch.js';

const ddb = mockClient(DynamoDBDocumentClient);
const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'local' }));
const TABLE = 'Campaign-test';
const noWait = { random: () => 0 };
const keys = (n: number) => Array.from({ length: n }, (_, i) => ({ pk: `K${i}`, sk: 'S' }));

describe('batchGetAll()', () => {
  beforeEach(() => ddb.reset());

  it('reads in chunks of 100 and asks again for what DynamoDB left unprocessed', async () => {
    // Arrange: the first answer of each chunk leaves its last key unprocessed
    ddb
      .on(BatchGetCommand)
      .callsFake((input: { RequestItems: Record<string, { Keys: { pk: string }[] }> }) => {
        const asked = input.RequestItems[TABLE]?.Keys ?? [];
        const answered = asked.length > 1 ? asked.slice(0, -1) : asked;
        const left = asked.length > 1 ? asked.slice(-1) : [];
        return {
          Responses: { [TABLE]: answered.map((k) => ({ ...k, n: 1 })) },
          ...(left.length > 0 && { UnprocessedKeys: { [TABLE]: { Keys: left } } }),
        };
      });
    // Act
    const items = await batchGetAll(db, TABLE, keys(150), noWait);
    // Assert: every key once, in 2 chunks + 2 retries
    expect(items.map((i) => i.pk).sort()).toEqual(
      keys(150)
        .map((k) => k.pk)
        .sort(),
    );
    expect(ddb.commandCalls(BatchGetCommand)).toHaveLength(4);
    expect(
      ddb.commandCalls(BatchGetCommand).map((c) => c.args[0].input.RequestItems?.[TABLE]?.Keys?.length),
    ).toEqual(expect.arrayContaining([100, 50, 1, 1]));
  });

  it('gives up with an error after 8 rounds with keys still unprocessed', async () => {
    ddb.on(BatchGetCommand).callsFake((input: { RequestItems: Record<string, { Keys: unknown[] }> }) => ({
      Responses: { [TABLE]: [] },
      UnprocessedKeys: { [TABLE]: { Keys: input.RequestItems[TABLE]?.Keys } },
    }));
    await expect(batchGetAll(db, TABLE, keys(3), noWait)).rejects.toThrow(
      /3 keys unprocessed after 8 rounds/,
    );
    expect(ddb.commandCalls(BatchGetCommand)).toHaveLength(8);
  });
});

describe('batchWriteAll()', () => {
  beforeEach(() => ddb.reset());

  it('writes in chunks of 25, re-sends unprocessed requests, and reports progress per chunk', async () => {
    // Arrange: the first call leaves two requests unprocessed
    let first = true;
    ddb.on(BatchWriteCommand).callsFake((input: { RequestItems: Record<string, unknown[]> }) => {
      const asked = input.RequestItems[TABLE] ?? [];
      if (first) {
        first = false;
        return { UnprocessedItems: { [TABLE]: asked.slice(0, 2) } };
      }
      return {};
    });
    const requests = keys(30).map((Item) => ({ PutRequest: { Item } }));
    const progress: string[] = [];
    // Act
    await batchWriteAll(db, TABLE, requests, {
      ...noWait,
      concurrency: 1,
      onProgress: (d, t) => progress.push(`${d}/${t}`),
    });
    // Assert
    const sizes = ddb
      .commandCalls(BatchWriteCommand)
      .map((c) => c.args[0].input.RequestItems?.[TABLE]?.length);
    expect(sizes).toEqual([25, 2, 5]);
    expect(progress).toEqual(['25/30', '30/30']);
  });
});
