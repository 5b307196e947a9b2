/**
 * The local event source mapping (infra/local/stream-poller.ts) against DynamoDB Local's real stream:
 * batching, batching window, partial batch responses, bisect on error, retries and the on-failure file,
 * record age, and checkpoints across a restart.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { compareSequenceNumbers, type FailureRecord } from '../../../../infra/local/stream-poller.js';
import {
  aStreamPollerWorld,
  aTrigger,
  type Invocation,
  pkOf,
  pkOfRecord,
  putItems,
  seqOf,
} from '../../../support/stream-poller-world.js';

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

  it('bisects a throwing batch down to the poison record, discards it after retryAttempts, and processes the rest', async () => {
    // Arrange: record k-0016 makes the handler throw
    const arn = await w.streamArn();
    await putItems(w.table, 0, 40, { extra: (i) => (i === 16 ? { poison: true } : {}) });
    const invocations: Invocation[] = [];
    const processed: string[] = [];
    const handler = async (event: DynamoDBStreamEvent) => {
      invocations.push({ records: event.Records, at: Date.now() });
      if (event.Records.some((r) => r.dynamodb?.NewImage?.poison?.BOOL)) throw new Error('poison');
      processed.push(...event.Records.map(pkOfRecord));
    };
    // Act
    const p = await w.start(aTrigger({ retryAttempts: 2, bisectBatchOnError: true }), handler);
    await p.drain();
    // Assert: everything else processed exactly once, in order
    const others = Array.from({ length: 40 }, (_, i) => pkOf(i)).filter((pk) => pk !== pkOf(16));
    expect(processed).toEqual(others);
    // Bisecting cost no retry attempt: the poison, once alone, was tried 1 + retryAttempts times
    const alone = invocations.filter(
      (i) => i.records.length === 1 && pkOfRecord(i.records[0] as DynamoDBRecord) === pkOf(16),
    );
    expect(alone).toHaveLength(3);
    const withPoison = invocations.filter((i) => i.records.some((r) => pkOfRecord(r) === pkOf(16)));
    expect(withPoison.map((i) => i.records.length)).toEqual([40, 20, 10, 5, 3, 2, 1, 1, 1]);
    const failures = await w.readFailures();
    expect(failures).toHaveLength(1);
    const failure = failures[0] as FailureRecord;
    const poisonSeq = seqOf(alone[0]?.records[0] as DynamoDBRecord);
    const [shardId] = Object.keys((await w.readCheckpoints()).shards);
    expect(failure).toMatchObject({
      requestContext: { condition: 'RetryAttemptsExhausted', approximateInvokeCount: withPoison.length },
      responseContext: { statusCode: 200, functionError: 'Unhandled' },
      version: '1.0',
      DDBStreamBatchInfo: {
        shardId,
        startSequenceNumber: poisonSeq,
        endSequenceNumber: poisonSeq,
        batchSize: 1,
        streamArn: arn,
        approximateArrivalOfFirstRecord: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      },
    });
    expect(failure.payload.Records.map(pkOfRecord)).toEqual([pkOf(16)]);
    expect(Number.isNaN(Date.parse(failure.timestamp))).toBe(false);
    expect(p.stats.discarded).toBe(1);
    // The shard is not blocked: later records flow
    await putItems(w.table, 40, 5);
    await p.drain();
    expect(processed.slice(-5)).toEqual([40, 41, 42, 43, 44].map(pkOf));
    expect(await w.readFailures()).toHaveLength(1);
  });

  it('without bisect, retries the whole batch and then discards the whole batch', async () => {
    // Arrange
    await putItems(w.table, 0, 10, { extra: (i) => (i === 3 ? { poison: true } : {}) });
    const invocations: Invocation[] = [];
    // Act
    const p = await w.start(aTrigger({ retryAttempts: 1, bisectBatchOnError: false }), async (event) => {
      invocations.push({ records: event.Records, at: Date.now() });
      if (event.Records.some((r) => r.dynamodb?.NewImage?.poison?.BOOL)) throw new Error('poison');
    });
    await p.drain();
    // Assert
    expect(invocations.map((i) => i.records.length)).toEqual([10, 10]);
    const failures = await w.readFailures();
    expect(failures).toHaveLength(1);
    expect(failures[0]?.DDBStreamBatchInfo.batchSize).toBe(10);
    expect(failures[0]?.payload.Records.map(pkOfRecord)).toEqual(
      Array.from({ length: 10 }, (_, i) => pkOf(i)),
    );
    expect(p.stats).toEqual({ invocations: 2, records: 0, retries: 1, discarded: 10 });
  });

  it('discards records older than maxRecordAgeSeconds without invoking the handler (RecordAgeExceeded)', async () => {
    // Arrange: a clock two days ahead makes every record too old
    await putItems(w.table, 0, 5);
    let invoked = 0;
    // Act
    const p = await w.start(
      aTrigger({ maxRecordAgeSeconds: 3600 }),
      async () => {
        invoked += 1;
      },
      { now: () => Date.now() + 2 * 86_400_000 },
    );
    await p.drain();
    // Assert
    expect(invoked).toBe(0);
    const failures = await w.readFailures();
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({
      requestContext: { condition: 'RecordAgeExceeded', approximateInvokeCount: 0 },
      DDBStreamBatchInfo: { batchSize: 5 },
    });
    expect(failures[0]).not.toHaveProperty('responseContext');
    expect(p.stats).toEqual({ invocations: 0, records: 0, retries: 0, discarded: 5 });
  });

  it('stops after the invocation in flight and resumes from the checkpoint: nothing twice, nothing lost', async () => {
    // Arrange
    await putItems(w.table, 0, 300, { concurrency: 8 });
    const timersBefore = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const first: DynamoDBRecord[][] = [];
    let thirdStarted!: () => void;
    const third = new Promise<void>((resolve) => {
      thirdStarted = resolve;
    });
    let thirdFinished = false;
    const a = await w.start(aTrigger({ batchSize: 50 }), async (event) => {
      first.push(event.Records);
      if (first.length === 3) {
        thirdStarted();
        await sleep(300);
        thirdFinished = true;
      }
    });
    // Act: stop while the third batch is in the handler
    await third;
    await a.stop();
    w.poller = undefined;
    // Assert: stop waited for it, then nothing more, and the checkpoint is its last record
    expect(thirdFinished).toBe(true);
    expect(first).toHaveLength(3);
    expect(a.stats.invocations).toBe(3);
    const lastOfA = seqOf(first[2]?.at(-1) as DynamoDBRecord);
    expect(Object.values((await w.readCheckpoints()).shards).map((s) => s.sequenceNumber)).toEqual([lastOfA]);
    expect(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length).toBeLessThanOrEqual(
      timersBefore,
    );

    // Act: a new poller on the same checkpoint file
    const second: DynamoDBRecord[][] = [];
    const b = await w.start(aTrigger({ batchSize: 50 }), async (event) => {
      second.push(event.Records);
    });
    await b.drain();
    // Assert
    const seen = [...first.flat(), ...second.flat()].map(pkOfRecord);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual(Array.from({ length: 300 }, (_, i) => pkOf(i)));
    expect(compareSequenceNumbers(seqOf(second[0]?.[0] as DynamoDBRecord), lastOfA)).toBe(1);
    expect(b.stats.records).toBe(150);
  });
});
