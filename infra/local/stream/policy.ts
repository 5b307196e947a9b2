/**
 * The local event source mapping's batch policy, as pure functions: how a handler's answer is read,
 * which records are too old to deliver, and what happens to a batch after an invocation (done, bisect,
 * retry after a backoff, or discard to the on-failure destination). No I/O and no clock: the poller's
 * shard worker feeds them and carries out what they decide. The AWS rules they follow, and the choices
 * made where the documentation is silent, are listed at the top of infra/local/stream-poller.ts.
 */
import { compareSequenceNumbers, isSequenceNumber } from './records.js';

/** The fields of a stream trigger (infra/topology.ts) that the policy reads. */
export interface BatchPolicy {
  readonly bisectBatchOnError: boolean;
  /** -1: infinite. */
  readonly retryAttempts: number;
  /** -1: infinite. */
  readonly maxRecordAgeSeconds: number;
}

export const RETRY_BACKOFF_BASE_MS = 100;
export const RETRY_BACKOFF_MAX_MS = 500;
export const ERROR_BACKOFF_MAX_MS = 5000;

export type BatchResponseOutcome =
  | { readonly kind: 'success' }
  /** Records before `index` succeeded; retry from `index` (the lowest reported sequence number). */
  | { readonly kind: 'partial'; readonly index: number }
  /** Complete failure: an empty, null or unknown itemIdentifier, or a malformed response. */
  | { readonly kind: 'invalid'; readonly reason: string };

/** What an invocation came to: the handler's answer, read by interpretBatchResponse, or a thrown error. */
export type InvocationOutcome = BatchResponseOutcome | { readonly kind: 'error'; readonly error: unknown };

/** Interprets a handler's answer the way Lambda does for stream sources with ReportBatchItemFailures. */
export function interpretBatchResponse(
  response: unknown,
  sequenceNumbers: readonly string[],
): BatchResponseOutcome {
  if (response === undefined || response === null) return { kind: 'success' };
  if (typeof response !== 'object') return { kind: 'success' };
  const failures = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return { kind: 'success' };
  if (!Array.isArray(failures)) return { kind: 'invalid', reason: 'batchItemFailures is not a list' };
  if (failures.length === 0) return { kind: 'success' };
  let lowest: number | undefined;
  for (const failure of failures) {
    const id: unknown =
      failure && typeof failure === 'object'
        ? (failure as { itemIdentifier?: unknown }).itemIdentifier
        : undefined;
    if (!isSequenceNumber(id)) {
      return {
        kind: 'invalid',
        reason: `itemIdentifier ${JSON.stringify(id ?? null)} is not a sequence number`,
      };
    }
    const index = sequenceNumbers.findIndex((s) => compareSequenceNumbers(s, id) === 0);
    if (index < 0) return { kind: 'invalid', reason: `itemIdentifier ${id} is not in the batch` };
    const candidate = sequenceNumbers[index];
    const current = lowest === undefined ? undefined : sequenceNumbers[lowest];
    if (candidate !== undefined && (current === undefined || compareSequenceNumbers(candidate, current) < 0))
      lowest = index;
  }
  return lowest === undefined ? { kind: 'success' } : { kind: 'partial', index: lowest };
}

/**
 * How many records at the head of a batch are older than maxRecordAgeSeconds at `nowMs` (records of a
 * shard are in creation order, so the old ones form a prefix). 0 when the age is unlimited (-1).
 */
export function expiredPrefixLength(
  createdAtSeconds: readonly number[],
  maxRecordAgeSeconds: number,
  nowMs: number,
): number {
  if (maxRecordAgeSeconds < 0) return 0;
  const limit = nowMs - maxRecordAgeSeconds * 1000;
  let aged = 0;
  while (aged < createdAtSeconds.length && (createdAtSeconds[aged] as number) * 1000 < limit) aged++;
  return aged;
}

/** The pause before the `retries`-th retry of a batch: 100 ms doubling, at most 500 ms. */
export function retryBackoffMs(retries: number): number {
  return Math.min(RETRY_BACKOFF_BASE_MS * 2 ** (retries - 1), RETRY_BACKOFF_MAX_MS);
}

/** The pause after the `errors`-th read failure in a row: the poll interval doubling, at most 5 s. */
export function readErrorBackoffMs(pollIntervalMs: number, errors: number): number {
  return Math.min(pollIntervalMs * 2 ** (errors - 1), ERROR_BACKOFF_MAX_MS);
}

/** Why the last delivery of a batch failed: a thrown error ("function error") or the handler's answer. */
export type FailureKind = 'error' | 'response';

export type BatchDecision =
  /** Every record was accepted: checkpoint the last one. */
  | { readonly kind: 'done' }
  /** Split in two, the first `firstHalf` records first; the split consumes no retry attempt. */
  | { readonly kind: 'bisect'; readonly firstHalf: number }
  /**
   * The first `accepted` records succeeded (checkpoint them); the rest is retried after `backoffMs`,
   * or, with `discard`, sent to the on-failure destination (retry attempts exhausted).
   */
  | {
      readonly kind: 'retry' | 'discard';
      readonly accepted: number;
      readonly retries: number;
      readonly lastFailure: FailureKind;
      readonly backoffMs: number;
    };

/**
 * What becomes of a batch of `size` records, already retried `retries` times, after an invocation.
 * Only a thrown error bisects (a bad batch response is a complete failure, retried whole); a record
 * once alone gets exactly `retryAttempts` retries.
 */
export function decideAfterInvocation(
  outcome: InvocationOutcome,
  batch: { readonly size: number; readonly retries: number },
  policy: BatchPolicy,
): BatchDecision {
  if (outcome.kind === 'success') return { kind: 'done' };
  if (outcome.kind === 'error' && policy.bisectBatchOnError && batch.size > 1)
    return { kind: 'bisect', firstHalf: Math.ceil(batch.size / 2) };
  const accepted = outcome.kind === 'partial' ? outcome.index : 0;
  const lastFailure: FailureKind = outcome.kind === 'error' ? 'error' : 'response';
  const retries = batch.retries + 1;
  const exhausted = policy.retryAttempts >= 0 && retries > policy.retryAttempts;
  return {
    kind: exhausted ? 'discard' : 'retry',
    accepted,
    retries,
    lastFailure,
    backoffMs: exhausted ? 0 : retryBackoffMs(retries),
  };
}

export interface ShardNode {
  readonly shardId: string;
  readonly parentShardId?: string | undefined;
}

/**
 * The shards that may be read now: not finished, not already started, and whose parent is finished or
 * no longer listed (trimmed). Lambda reads a child only after its parent, to keep each key's order.
 */
export function readyShards(
  shards: readonly ShardNode[],
  finished: ReadonlySet<string>,
  started: ReadonlySet<string>,
): string[] {
  const listed = new Set(shards.map((s) => s.shardId));
  return shards
    .filter(
      (s) =>
        !finished.has(s.shardId) &&
        !started.has(s.shardId) &&
        (s.parentShardId === undefined || !listed.has(s.parentShardId) || finished.has(s.parentShardId)),
    )
    .map((s) => s.shardId);
}
