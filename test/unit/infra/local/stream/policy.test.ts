/**
 * The local event source mapping's batch policy, without DynamoDB Local: what becomes of a batch after
 * an invocation (done, bisect, retry, discard), record age, and the backoffs.
 */
import { describe, expect, it } from 'vitest';
import {
  type BatchPolicy,
  decideAfterInvocation,
  expiredPrefixLength,
  type InvocationOutcome,
  interpretBatchResponse,
  readErrorBackoffMs,
  readyShards,
  retryBackoffMs,
} from '../../../../../infra/local/stream/policy.js';

const aPolicy = (overrides: Partial<BatchPolicy> = {}): BatchPolicy => ({
  bisectBatchOnError: true,
  retryAttempts: 2,
  maxRecordAgeSeconds: 3600,
  ...overrides,
});
const thrown: InvocationOutcome = { kind: 'error', error: new Error('boom') };

describe('decideAfterInvocation()', () => {
  it('is done when the handler succeeded, whatever the retries so far', () => {
    expect(decideAfterInvocation({ kind: 'success' }, { size: 10, retries: 5 }, aPolicy())).toEqual({
      kind: 'done',
    });
  });

  it('bisects a thrown error on more than one record, first half rounded up, without a retry', () => {
    expect(decideAfterInvocation(thrown, { size: 5, retries: 1 }, aPolicy())).toEqual({
      kind: 'bisect',
      firstHalf: 3,
    });
    expect(decideAfterInvocation(thrown, { size: 2, retries: 0 }, aPolicy())).toEqual({
      kind: 'bisect',
      firstHalf: 1,
    });
  });

  it('retries a single failing record, then discards it after exactly retryAttempts retries', () => {
    // Arrange
    const policy = aPolicy({ retryAttempts: 2 });
    // Act
    const first = decideAfterInvocation(thrown, { size: 1, retries: 0 }, policy);
    const second = decideAfterInvocation(thrown, { size: 1, retries: 1 }, policy);
    const third = decideAfterInvocation(thrown, { size: 1, retries: 2 }, policy);
    // Assess
    expect(first).toEqual({ kind: 'retry', accepted: 0, retries: 1, lastFailure: 'error', backoffMs: 100 });
    expect(second).toEqual({ kind: 'retry', accepted: 0, retries: 2, lastFailure: 'error', backoffMs: 200 });
    expect(third).toMatchObject({ kind: 'discard', accepted: 0, retries: 3, lastFailure: 'error' });
  });

  it('never bisects a bad batch response: the whole batch is retried, then discarded', () => {
    const invalid: InvocationOutcome = {
      kind: 'invalid',
      reason: 'itemIdentifier "" is not a sequence number',
    };
    expect(decideAfterInvocation(invalid, { size: 8, retries: 0 }, aPolicy())).toEqual({
      kind: 'retry',
      accepted: 0,
      retries: 1,
      lastFailure: 'response',
      backoffMs: 100,
    });
    expect(decideAfterInvocation(invalid, { size: 8, retries: 2 }, aPolicy())).toMatchObject({
      kind: 'discard',
      lastFailure: 'response',
    });
  });

  it('accepts the records before a partial failure and retries from the reported one', () => {
    expect(decideAfterInvocation({ kind: 'partial', index: 3 }, { size: 8, retries: 0 }, aPolicy())).toEqual({
      kind: 'retry',
      accepted: 3,
      retries: 1,
      lastFailure: 'response',
      backoffMs: 100,
    });
    expect(
      decideAfterInvocation({ kind: 'partial', index: 3 }, { size: 8, retries: 2 }, aPolicy()),
    ).toMatchObject({ kind: 'discard', accepted: 3 });
  });

  it('without bisect, retries the whole batch on a thrown error', () => {
    expect(
      decideAfterInvocation(thrown, { size: 8, retries: 0 }, aPolicy({ bisectBatchOnError: false })),
    ).toMatchObject({ kind: 'retry', accepted: 0, lastFailure: 'error' });
  });

  it('retries for ever when retryAttempts is -1, the backoff capped at 500 ms', () => {
    const decision = decideAfterInvocation(
      thrown,
      { size: 1, retries: 1000 },
      aPolicy({ retryAttempts: -1 }),
    );
    expect(decision).toEqual({
      kind: 'retry',
      accepted: 0,
      retries: 1001,
      lastFailure: 'error',
      backoffMs: 500,
    });
  });

  it('discards at once with retryAttempts 0', () => {
    expect(
      decideAfterInvocation(thrown, { size: 1, retries: 0 }, aPolicy({ retryAttempts: 0 })),
    ).toMatchObject({ kind: 'discard', retries: 1 });
  });
});

describe('expiredPrefixLength()', () => {
  const nowMs = Date.parse('2026-11-30T12:00:00Z');
  const secondsAgo = (s: number) => nowMs / 1000 - s;

  it('counts the records at the head that are older than the limit', () => {
    const created = [secondsAgo(100), secondsAgo(61), secondsAgo(60), secondsAgo(10)];
    expect(expiredPrefixLength(created, 60, nowMs)).toBe(2);
  });

  it('is 0 when no record is too old, for an empty batch, and when the age is unlimited (-1)', () => {
    expect(expiredPrefixLength([secondsAgo(5)], 60, nowMs)).toBe(0);
    expect(expiredPrefixLength([], 60, nowMs)).toBe(0);
    expect(expiredPrefixLength([secondsAgo(1_000_000)], -1, nowMs)).toBe(0);
  });

  it('stops at the first young record (the old ones form a prefix in a shard)', () => {
    expect(expiredPrefixLength([secondsAgo(100), secondsAgo(1), secondsAgo(100)], 60, nowMs)).toBe(1);
  });
});

describe('backoffs', () => {
  it('doubles the retry backoff from 100 ms up to 500 ms', () => {
    expect([1, 2, 3, 4, 10].map(retryBackoffMs)).toEqual([100, 200, 400, 500, 500]);
  });

  it('doubles the read-error backoff from the poll interval up to 5 s', () => {
    expect([1, 2, 3, 6, 10].map((n) => readErrorBackoffMs(250, n))).toEqual([250, 500, 1000, 5000, 5000]);
  });
});

describe('interpretBatchResponse() and readyShards()', () => {
  it('reads the batch response as Lambda does', () => {
    const seqs = ['000000000000000000007', '000000000000000000008', '000000000000000000009'];
    expect(interpretBatchResponse(undefined, seqs)).toEqual({ kind: 'success' });
    expect(interpretBatchResponse({}, seqs)).toEqual({ kind: 'success' });
    expect(interpretBatchResponse({ batchItemFailures: null }, seqs)).toEqual({ kind: 'success' });
    expect(interpretBatchResponse({ batchItemFailures: [] }, seqs)).toEqual({ kind: 'success' });
    expect(
      interpretBatchResponse(
        { batchItemFailures: [{ itemIdentifier: seqs[2] }, { itemIdentifier: seqs[1] }] },
        seqs,
      ),
    ).toEqual({ kind: 'partial', index: 1 });
    for (const bad of [
      { itemIdentifier: '' },
      { itemIdentifier: null },
      { id: seqs[1] },
      { itemIdentifier: '6' },
    ])
      expect(interpretBatchResponse({ batchItemFailures: [bad] }, seqs).kind).toBe('invalid');
  });

  it('starts a child shard only after its parent is finished', () => {
    const shards = [
      { shardId: 'parent' },
      { shardId: 'child-a', parentShardId: 'parent' },
      { shardId: 'child-b', parentShardId: 'parent' },
      { shardId: 'orphan', parentShardId: 'trimmed-away' },
    ];
    expect(readyShards(shards, new Set(), new Set())).toEqual(['parent', 'orphan']);
    expect(readyShards(shards, new Set(), new Set(['parent', 'orphan']))).toEqual([]);
    expect(readyShards(shards, new Set(['parent']), new Set(['orphan']))).toEqual(['child-a', 'child-b']);
  });
});
