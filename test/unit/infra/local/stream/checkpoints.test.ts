/** The on-failure record of discarded stream records (infra/local/stream/checkpoints.ts), as Lambda writes it. */
import { describe, expect, it } from 'vitest';
import { failureRecord } from '../../../../../infra/local/stream/checkpoints.js';
import type { StreamItem } from '../../../../../infra/local/stream/records.js';

const ARN = 'arn:aws:dynamodb:ddblocal:000000000000:table/IntakeEvents/stream/2021-03-01T00:00:00.000';
const anItem = (sequenceNumber: string, createdAtSeconds: number): StreamItem => ({
  sequenceNumber,
  createdAtSeconds,
  record: { eventID: sequenceNumber, dynamodb: { SequenceNumber: sequenceNumber } },
});
const items = [
  anItem('000000000000000000007', 1_614_556_800),
  anItem('000000000000000000009', 1_614_556_860),
];
const base = {
  requestId: 'req-1',
  nowMs: Date.parse('2021-03-01T01:00:00Z'),
  shardId: 'shard-1',
  streamArn: ARN,
  items,
};

type Discard = Parameters<typeof failureRecord>[0];
/** The failure record of the base batch, discarded for this condition after these invocations. */
const discarded = (
  condition: Discard['condition'],
  invokeCount: number,
  lastFailure: Discard['lastFailure'],
) => failureRecord({ ...base, condition, invokeCount, lastFailure });

describe('failureRecord()', () => {
  it('describes the discarded batch: first and last sequence numbers, arrivals, size, the records', () => {
    // Act
    const record = discarded('RetryAttemptsExhausted', 3, 'error');

    // Assess
    expect(record).toEqual({
      requestContext: { requestId: 'req-1', condition: 'RetryAttemptsExhausted', approximateInvokeCount: 3 },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      timestamp: '2021-03-01T01:00:00.000Z',
      DDBStreamBatchInfo: {
        shardId: 'shard-1',
        startSequenceNumber: '000000000000000000007',
        endSequenceNumber: '000000000000000000009',
        approximateArrivalOfFirstRecord: '2021-03-01T00:00:00Z',
        approximateArrivalOfLastRecord: '2021-03-01T00:01:00Z',
        batchSize: 2,
        streamArn: ARN,
      },
      payload: { Records: items.map((i) => i.record) },
    });
  });

  it('has no functionError when the last invocation answered with batch item failures', () => {
    const record = discarded('RetryAttemptsExhausted', 1, 'response');
    expect(record.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST' });
  });

  it('has no responseContext when the records were too old to be delivered at all', () => {
    const record = discarded('RecordAgeExceeded', 0, undefined);
    expect(record.responseContext).toBeUndefined();
    expect(record.requestContext).toEqual({
      requestId: 'req-1',
      condition: 'RecordAgeExceeded',
      approximateInvokeCount: 0,
    });
  });
});
