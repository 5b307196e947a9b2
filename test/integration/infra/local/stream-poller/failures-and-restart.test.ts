import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { compareSequenceNumbers, type FailureRecord } from '../../../../../infra/local/stream-poller.js';
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
