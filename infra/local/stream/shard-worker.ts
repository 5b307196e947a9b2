/**
 * One shard's reader: reads the shard in order (GetShardIterator / GetRecords), gathers batches up to
 * batchSize within the batching window, hands each batch to the handler as Lambda's event, and carries
 * out the batch policy (./policy.ts): checkpoint, bisect, retry after a backoff, or discard to the
 * on-failure file. One batch at a time (parallelizationFactor 1).
 */
import { randomUUID } from 'node:crypto';
import {
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import type { StreamTrigger } from '../../topology.js';
import { type FailureRecord, failureRecord, type PollerFiles, type ShardState } from './checkpoints.js';
import {
  decideAfterInvocation,
  ERROR_BACKOFF_MAX_MS,
  expiredPrefixLength,
  type FailureKind,
  type InvocationOutcome,
  interpretBatchResponse,
  readErrorBackoffMs,
} from './policy.js';
import { compareSequenceNumbers, isSequenceNumber, type StreamItem, toLambdaRecord } from './records.js';
import { describeError, errorName, type Sleeper } from './sleeper.js';

/** The fields Lambda adds to a DynamoDB stream event when the mapping has a tumbling window. */
export interface TumblingWindowFields {
  readonly shardId: string;
  readonly eventSourceARN: string;
  readonly window: { readonly start: string; readonly end: string };
  readonly state: Record<string, string>;
  readonly isFinalInvokeForWindow: boolean;
  readonly isWindowTerminatedEarly: boolean;
}

/** The function's handler, typed as aws-lambda's DynamoDBStreamHandler returns (void: complete success). */
// biome-ignore lint/suspicious/noConfusingVoidType: the same return type as aws-lambda's DynamoDBStreamHandler, so a `Promise<void>` handler fits
export type StreamHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | void>;

export interface StreamPollerStats {
  /** Handler invocations (retries and bisected halves included). */
  invocations: number;
  /** Records the handler accepted (checkpointed as processed, not discarded). */
  records: number;
  /** Invocations that re-delivered records after a failure (retries and bisected halves). */
  retries: number;
  /** Records sent to the failure file. */
  discarded: number;
}

/** What every shard worker of one poller shares. */
export interface ShardWorkerContext {
  readonly streams: DynamoDBStreamsClient;
  readonly streamArn: string;
  readonly trigger: StreamTrigger;
  readonly handler: StreamHandler;
  readonly files: PollerFiles;
  readonly failureFile: string;
  readonly sleeper: Sleeper;
  readonly signal: AbortSignal;
  readonly stats: StreamPollerStats;
  readonly log: (line: string) => void;
  /** Log line prefix, e.g. "[stream IntakeEvents]". */
  readonly prefix: string;
  readonly now: () => number;
  readonly pollIntervalMs: number;
  readonly isStopped: () => boolean;
}

const GET_RECORDS_MAX = 1000;

/**
 * What the log says when GetRecords answers TrimmedDataAccessException; the worker then reads again from
 * the oldest record kept. Without a record read yet there is no sequence number to name (a fresh local
 * store was seen to answer so once, at the first records of a new stream).
 */
export function trimmedNote(lastFetched: string | undefined): string {
  return lastFetched === undefined
    ? ': the stream answered TrimmedDataAccessException before any record of this shard was read; reading from the oldest record kept'
    : `: records after ${lastFetched} were trimmed before they were read; reading from the oldest kept`;
}

interface SubBatch {
  items: StreamItem[];
  retries: number;
  invokeCount: number;
  redelivery: boolean;
  lastFailure?: FailureKind;
}

export class ShardWorker {
  /** undefined: to be acquired; null: the shard is closed and every record has been read. */
  private iterator: string | null | undefined;
  private lastFetched: string | undefined;
  private buffer: StreamItem[] = [];
  private windowStart: number | undefined;
  private errors = 0;
  /** performance.now() at the issue of the last GetRecords that found nothing while nothing was pending. */
  idleSince: number | undefined;
  readonly done: Promise<void>;

  constructor(
    private readonly ctx: ShardWorkerContext,
    private readonly state: ShardState,
  ) {
    this.lastFetched = state.sequenceNumber;
    this.done = this.run().catch((error) =>
      ctx.log(`${ctx.prefix} shard ${state.shardId} stopped: ${describeError(error)}`),
    );
  }

  private get shardId() {
    return this.state.shardId;
  }

  private say(text: string): void {
    this.ctx.log(`${this.ctx.prefix} shard ${this.shardId}${text}`);
  }

  private async run(): Promise<void> {
    const { ctx } = this;
    const { trigger, sleeper, pollIntervalMs } = ctx;
    const windowMs = trigger.maxBatchingWindowSeconds * 1000;
    while (!ctx.isStopped()) {
      if (this.iterator === null && this.buffer.length === 0) {
        this.state.finished = true;
        await ctx.files.writeCheckpoints();
        this.say(' is closed and fully processed');
        sleeper.wake('controller');
        return;
      }
      let fetched = 0;
      let issuedAt: number | undefined;
      if (this.iterator !== null && this.buffer.length < trigger.batchSize) {
        issuedAt = performance.now();
        const result = await this.fetch();
        if (result === 'again') continue;
        if (result === 'error') {
          this.idleSince = undefined;
          this.errors += 1;
          await sleeper.sleep(readErrorBackoffMs(pollIntervalMs, this.errors), 'error');
          continue;
        }
        this.errors = 0;
        fetched = result;
      }
      if (ctx.isStopped()) return;
      if (this.buffer.length === 0) {
        if (this.iterator === null) continue;
        this.idleSince = issuedAt;
        await sleeper.sleep(pollIntervalMs, 'poll');
        continue;
      }
      this.idleSince = undefined;
      this.windowStart ??= performance.now();
      const windowLeft = windowMs - (performance.now() - this.windowStart);
      if (this.buffer.length < trigger.batchSize && this.iterator !== null && windowLeft > 0) {
        // Still gathering: read again at once while records keep coming, else wait a poll step.
        if (fetched === 0) await sleeper.sleep(Math.min(pollIntervalMs, windowLeft), 'poll');
        continue;
      }
      const batch = this.buffer.splice(0, trigger.batchSize);
      this.windowStart = this.buffer.length > 0 ? performance.now() : undefined;
      await this.process(batch);
    }
  }

  /**
   * One GetRecords into the buffer: the number of new records; 'again' when the iterator had to be
   * replaced (read again at once); 'error' when reading failed (logged, then backed off).
   */
  private async fetch(): Promise<number | 'again' | 'error'> {
    const { streams, streamArn, trigger, signal } = this.ctx;
    try {
      let current = this.iterator;
      if (current === null) return 0;
      if (current === undefined) {
        const after = this.lastFetched;
        const { ShardIterator } = await streams.send(
          new GetShardIteratorCommand({
            StreamArn: streamArn,
            ShardId: this.shardId,
            ...(after
              ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after }
              : { ShardIteratorType: 'TRIM_HORIZON' }),
          }),
          { abortSignal: signal },
        );
        current = ShardIterator;
        this.iterator = current ?? null;
        if (current === undefined) return 0;
      }
      const response = await streams.send(
        new GetRecordsCommand({
          ShardIterator: current,
          Limit: Math.min(GET_RECORDS_MAX, trigger.batchSize - this.buffer.length),
        }),
        { abortSignal: signal },
      );
      if (this.ctx.isStopped()) return 0;
      this.iterator = response.NextShardIterator ?? null;
      let added = 0;
      for (const raw of response.Records ?? []) {
        const sequenceNumber = raw.dynamodb?.SequenceNumber;
        if (!isSequenceNumber(sequenceNumber)) continue;
        // Never hand over a record twice, whatever the iterator did.
        if (this.lastFetched && compareSequenceNumbers(sequenceNumber, this.lastFetched) <= 0) continue;
        this.lastFetched = sequenceNumber;
        const createdAt = raw.dynamodb?.ApproximateCreationDateTime;
        this.buffer.push({
          sequenceNumber,
          createdAtSeconds: createdAt
            ? Math.floor(createdAt.getTime() / 1000)
            : Math.floor(this.ctx.now() / 1000),
          record: toLambdaRecord(raw, streamArn),
        });
        added += 1;
      }
      return added;
    } catch (error) {
      if (this.ctx.isStopped()) return 0;
      const name = errorName(error);
      if (name === 'ExpiredIteratorException') {
        this.iterator = undefined; // re-acquired after the last record read
        return 'again';
      }
      if (name === 'TrimmedDataAccessException') {
        this.say(trimmedNote(this.lastFetched));
        this.lastFetched = undefined;
        this.iterator = undefined;
        return 'again';
      }
      if (this.errors === 0) this.say(`: reading failed: ${describeError(error)}`);
      this.iterator = undefined;
      return 'error';
    }
  }

  private async checkpoint(item: StreamItem | undefined): Promise<void> {
    if (!item) return;
    const current = this.state.sequenceNumber;
    if (current === undefined || compareSequenceNumbers(item.sequenceNumber, current) > 0)
      this.state.sequenceNumber = item.sequenceNumber;
    await this.ctx.files.writeCheckpoints();
  }

  /** The event Lambda delivers for these records: with a tumbling window, the batch names its shard. */
  private eventFor(items: readonly StreamItem[]): DynamoDBStreamEvent & TumblingWindowFields {
    // The roll-up keeps its watermarks per shard; the window's state is not used.
    const windowStart = Math.floor(this.ctx.now() / 60_000) * 60_000;
    return {
      Records: items.map((i) => structuredClone(i.record)),
      shardId: this.shardId,
      eventSourceARN: this.ctx.streamArn,
      window: {
        start: new Date(windowStart).toISOString(),
        end: new Date(windowStart + 60_000).toISOString(),
      },
      state: {},
      isFinalInvokeForWindow: false,
      isWindowTerminatedEarly: false,
    };
  }

  /** Handles one batch to the end: every record processed, discarded, or (on stop) left for a restart. */
  private async process(batch: StreamItem[]): Promise<void> {
    const { ctx } = this;
    const { stats, trigger } = ctx;
    const queue: SubBatch[] = [{ items: batch, retries: 0, invokeCount: 0, redelivery: false }];
    while (queue.length > 0 && !ctx.isStopped()) {
      const sub = queue[0] as SubBatch;
      // Too old to deliver: discard the old prefix.
      const aged = expiredPrefixLength(
        sub.items.map((i) => i.createdAtSeconds),
        trigger.maxRecordAgeSeconds,
        ctx.now(),
      );
      if (aged > 0) {
        if (!(await this.discard(sub, sub.items.slice(0, aged), 'RecordAgeExceeded'))) return;
        sub.items = sub.items.slice(aged);
        if (sub.items.length === 0) {
          queue.shift();
          continue;
        }
      }

      const event = this.eventFor(sub.items);
      stats.invocations += 1;
      if (sub.redelivery) stats.retries += 1;
      sub.invokeCount += 1;
      let outcome: InvocationOutcome;
      try {
        outcome = interpretBatchResponse(
          await ctx.handler(event),
          sub.items.map((i) => i.sequenceNumber),
        );
      } catch (error) {
        outcome = { kind: 'error', error };
      }

      const decision = decideAfterInvocation(
        outcome,
        { size: sub.items.length, retries: sub.retries },
        trigger,
      );
      if (decision.kind === 'done') {
        stats.records += sub.items.length;
        await this.checkpoint(sub.items.at(-1));
        queue.shift();
        continue;
      }
      if (decision.kind === 'bisect') {
        this.say(
          `: handler failed on ${sub.items.length} records (${describeError((outcome as { error?: unknown }).error)}); bisecting`,
        );
        const base = {
          retries: sub.retries,
          invokeCount: sub.invokeCount,
          redelivery: true,
          lastFailure: 'error' as const,
        };
        queue.splice(
          0,
          1,
          { ...base, items: sub.items.slice(0, decision.firstHalf) },
          { ...base, items: sub.items.slice(decision.firstHalf) },
        );
        continue;
      }
      sub.lastFailure = decision.lastFailure;
      if (decision.accepted > 0) {
        stats.records += decision.accepted;
        await this.checkpoint(sub.items[decision.accepted - 1]);
        sub.items = sub.items.slice(decision.accepted);
      }
      if (outcome.kind === 'partial')
        this.say(`: batch item failure at ${sub.items[0]?.sequenceNumber}; retrying from it`);
      else if (outcome.kind === 'invalid') this.say(`: ${outcome.reason}: the whole batch failed`);
      else if (outcome.kind === 'error')
        this.say(`: handler failed on ${sub.items.length} records: ${describeError(outcome.error)}`);
      sub.retries = decision.retries;
      if (decision.kind === 'discard') {
        if (!(await this.discard(sub, sub.items, 'RetryAttemptsExhausted'))) return;
        queue.shift();
        continue;
      }
      sub.redelivery = true;
      await ctx.sleeper.sleep(decision.backoffMs, 'backoff');
    }
  }

  /** Appends the on-failure record, then moves the checkpoint past the records. False if stopped first. */
  private async discard(
    sub: SubBatch,
    items: StreamItem[],
    condition: FailureRecord['requestContext']['condition'],
  ): Promise<boolean> {
    const { ctx } = this;
    const first = items[0];
    const last = items.at(-1);
    if (!first || !last) return true;
    const record = failureRecord({
      requestId: randomUUID(),
      condition,
      invokeCount: sub.invokeCount,
      lastFailure: sub.lastFailure,
      nowMs: ctx.now(),
      shardId: this.shardId,
      streamArn: ctx.streamArn,
      items,
    });
    // The record must be safe in the failure file before the checkpoint moves past it.
    for (let attempt = 1; ; attempt++) {
      try {
        await ctx.files.appendFailure(record);
        break;
      } catch (error) {
        ctx.log(`${ctx.prefix} cannot write ${ctx.failureFile}: ${describeError(error)}`);
        await ctx.sleeper.sleep(Math.min(1000 * attempt, ERROR_BACKOFF_MAX_MS), 'backoff');
        if (ctx.isStopped()) return false;
      }
    }
    ctx.stats.discarded += items.length;
    this.say(
      `: ${condition}: discarded ${items.length} records ${first.sequenceNumber}..${last.sequenceNumber} to ${ctx.failureFile}`,
    );
    await this.checkpoint(last);
    return true;
  }
}
