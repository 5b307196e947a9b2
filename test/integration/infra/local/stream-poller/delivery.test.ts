import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { compareSequenceNumbers } from '../../../../../infra/local/stream-poller.js';
import {
  aStreamPollerWorld,
  aTrigger,
  type Invocation,
  pkOf,
  pkOfRecord,
  putItems,
  seqOf,
  sleep,
} from '../../../../support/stream-poller-world.js';

describe('startStreamPoller (DynamoDB Local stream)', () => {
  const w = aStreamPollerWorld();

  it('delivers 250 records exactly once, in stream order, in batches of at most batchSize, as a Lambda event', async () => {
    // Arrange: serial puts, so the stream order is the put order
    await putItems(w.table, 0, 250, { extra: (i) => (i === 0 ? { bin: new Uint8Array([1, 2, 3]) } : {}) });
    const invocations: Invocation[] = [];
    // Act
    const p = await w.start(aTrigger({ batchSize: 100 }), async (event) => {
      invocations.push({ records: event.Records, at: Date.now() });
    });
    await p.drain();
    // Assert
    expect(invocations.map((i) => i.records.length)).toEqual([100, 100, 50]);
    const all = invocations.flatMap((i) => i.records);
    expect(all.map(pkOfRecord)).toEqual(Array.from({ length: 250 }, (_, i) => pkOf(i)));
    for (let k = 1; k < all.length; k++)
      expect(
        compareSequenceNumbers(seqOf(all[k - 1] as DynamoDBRecord), seqOf(all[k] as DynamoDBRecord)),
      ).toBe(-1);
    const arn = await w.streamArn();
    expect(all[0]).toEqual({
      eventID: expect.any(String),
      eventName: 'INSERT',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'ddblocal',
      dynamodb: {
        ApproximateCreationDateTime: expect.any(Number),
        Keys: { pk: { S: 'k-0000' } },
        NewImage: { pk: { S: 'k-0000' }, i: { N: '0' }, bin: { B: 'AQID' } },
        SequenceNumber: expect.stringMatching(/^\d+$/),
        SizeBytes: expect.any(Number),
        StreamViewType: 'NEW_IMAGE',
      },
      eventSourceARN: arn,
    });
    // Epoch seconds (DynamoDB Local rounds down to the minute)
    const created = all[0]?.dynamodb?.ApproximateCreationDateTime ?? 0;
    expect(Number.isInteger(created)).toBe(true);
    expect(Math.abs(Date.now() / 1000 - created)).toBeLessThan(180);
    expect(p.stats).toEqual({ invocations: 3, records: 250, retries: 0, discarded: 0 });
    const checkpoints = await w.readCheckpoints();
    expect(checkpoints.streamArn).toBe(arn);
    expect(Object.values(checkpoints.shards).map((s) => s.sequenceNumber)).toEqual([
      seqOf(all[249] as DynamoDBRecord),
    ]);
  });

  it('waits up to the batching window after the first record, so records put over ~300 ms arrive in one batch', async () => {
    // Arrange: the poller is already idle on the stream
    const invocations: Invocation[] = [];
    const p = await w.start(aTrigger({ batchSize: 1000, maxBatchingWindowSeconds: 1 }), async (event) => {
      invocations.push({ records: event.Records, at: Date.now() });
    });
    await p.drain();
    // Act: one put started every 10 ms (started on a schedule, so a slow put does not stretch the spread)
    const firstPut = Date.now();
    const puts: Promise<unknown>[] = [];
    for (let i = 0; i < 30; i++) {
      puts.push(w.table.db.send(new PutCommand({ TableName: w.table.name, Item: { pk: pkOf(i), i } })));
      await sleep(10);
    }
    await Promise.all(puts);
    const lastPut = Date.now();
    await p.drain();
    // Assert
    expect(lastPut - firstPut).toBeLessThan(1000);
    expect(invocations).toHaveLength(1);
    expect(invocations[0]?.records.map(pkOfRecord).sort()).toEqual(
      Array.from({ length: 30 }, (_, i) => pkOf(i)),
    );
    // Held for the window, not sent at the first poll that saw a record
    expect((invocations[0]?.at ?? 0) - firstPut).toBeGreaterThanOrEqual(900);
  });

  it('on a partial batch response, checkpoints before the lowest reported record and retries from it', async () => {
    // Arrange
    await putItems(w.table, 0, 60);
    const invocations: Invocation[] = [];
    const processed: string[] = [];
    let failedOnce = false;
    // Act: the handler reports records 45 and 30 (1-based) once; Lambda retries from the lowest, 30
    const p = await w.start(aTrigger(), async (event): Promise<DynamoDBBatchResponse> => {
      invocations.push({ records: event.Records, at: Date.now() });
      const at30 = event.Records.findIndex((r) => pkOfRecord(r) === pkOf(29));
      if (!failedOnce && at30 >= 0) {
        failedOnce = true;
        const at45 = event.Records.findIndex((r) => pkOfRecord(r) === pkOf(44));
        processed.push(...event.Records.slice(0, at30).map(pkOfRecord));
        return {
          batchItemFailures: [
            { itemIdentifier: seqOf(event.Records[at45] as DynamoDBRecord) },
            { itemIdentifier: seqOf(event.Records[at30] as DynamoDBRecord) },
          ],
        };
      }
      processed.push(...event.Records.map(pkOfRecord));
      return { batchItemFailures: [] };
    });
    await p.drain();
    // Assert
    expect(invocations.map((i) => i.records.length)).toEqual([60, 31]);
    const deliveries = new Map<string, number>();
    for (const r of invocations.flatMap((i) => i.records))
      deliveries.set(pkOfRecord(r), (deliveries.get(pkOfRecord(r)) ?? 0) + 1);
    for (let i = 0; i < 60; i++) expect(deliveries.get(pkOf(i)), pkOf(i)).toBe(i < 29 ? 1 : 2);
    expect(processed).toEqual(Array.from({ length: 60 }, (_, i) => pkOf(i)));
    expect(p.stats).toEqual({ invocations: 2, records: 60, retries: 1, discarded: 0 });
    expect(await w.readFailures()).toEqual([]);
  });

  it('treats an empty or unknown itemIdentifier as a failure of the whole batch', async () => {
    // Arrange
    await putItems(w.table, 0, 10);
    const answers: DynamoDBBatchResponse[] = [
      { batchItemFailures: [{ itemIdentifier: '' }] },
      { batchItemFailures: [{ itemIdentifier: '1234567890123456789012345678901234567890' }] },
    ];
    const invocations: Invocation[] = [];
    // Act
    const p = await w.start(aTrigger({ retryAttempts: 5 }), async (event) => {
      invocations.push({ records: event.Records, at: Date.now() });
      return answers.shift();
    });
    await p.drain();
    // Assert: delivered whole three times (never bisected: no function error), then done
    expect(invocations.map((i) => i.records.map(pkOfRecord))).toEqual(
      Array.from({ length: 3 }, () => Array.from({ length: 10 }, (_, i) => pkOf(i))),
    );
    expect(p.stats).toEqual({ invocations: 3, records: 10, retries: 2, discarded: 0 });
  });
});
