/**
 * The local stand-in for Lambda's DynamoDB event source mapping: reads DynamoDB Local's real stream
 * (DescribeStream / GetShardIterator / GetRecords) and invokes a handler with Lambda's batching,
 * retry, bisect, partial-batch-response and on-failure rules, as declared by a `StreamTrigger` of
 * infra/topology.ts. It keeps a checkpoint file, so a restart resumes where it stopped.
 *
 * Lambda behaviour reproduced here, from the AWS documentation:
 * - Partial batch response (https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html):
 *   "If the batchItemFailures array contains multiple items, Lambda uses the record with the lowest
 *   sequence number as the checkpoint. Lambda then retries all records starting from that checkpoint."
 *   An empty or null list, or an empty/null response, is complete success; an empty-string or null
 *   itemIdentifier, or one that names no record of the batch, is complete failure. With bisect on, a
 *   partial response "bisects" the batch at the returned sequence number and only the rest is retried,
 *   which is the same thing as retrying from that record.
 * - Errors (https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html): a failing batch is
 *   retried until its records exceed MaximumRecordAgeInSeconds or the retries reach MaximumRetryAttempts;
 *   BisectBatchOnFunctionError splits a failed batch in two, and "splitting a batch does not consume the
 *   retry quota"; then the records are discarded to the on-failure destination and the shard moves on.
 *   The invocation record there has requestContext.condition, responseContext and DDBStreamBatchInfo
 *   (shardId, start/end sequence numbers, approximate arrival of first/last record, batchSize, streamArn).
 * - Parameters (https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-params.html): -1 for
 *   MaximumRetryAttempts or MaximumRecordAgeInSeconds means infinite (until the record expires).
 *
 * Choices where the documentation says nothing precise:
 * - A complete failure reported through a bad itemIdentifier is not a function error: it is retried
 *   whole (one retry attempt), never bisected. Only a thrown error (Lambda's "function error") bisects.
 * - The halves of a bisected batch keep the retry count of the batch they came from (the split itself
 *   costs nothing), so a poison record, once alone, gets exactly `retryAttempts` retries.
 * - Record age is checked before every invocation, the first included: records older than
 *   maxRecordAgeSeconds are discarded with condition 'RecordAgeExceeded' (as AWS does for a backlog that
 *   fell behind). DynamoDB Local rounds ApproximateCreationDateTime down to the minute, so locally an age
 *   can read up to 60 s high.
 * - Sequence numbers are compared as BigInt: DynamoDB Local zero-pads them to 21 digits, AWS's are
 *   variable-length decimal strings of up to 40 digits.
 * - Each shard is processed strictly in order, one batch at a time (parallelizationFactor 1); different
 *   shards concurrently; a child shard starts only once its parent is finished (closed and processed).
 */
import { randomUUID } from 'node:crypto';
import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type AttributeValue as SdkAttributeValue,
  type _Record as SdkRecord,
  type Shard as SdkShard,
} from '@aws-sdk/client-dynamodb-streams';
import type {
  AttributeValue,
  DynamoDBBatchResponse,
  DynamoDBRecord,
  DynamoDBStreamEvent,
  StreamRecord,
} from 'aws-lambda';
import { localClientConfig } from '../../shared/store/client.js';
import type { StreamTrigger } from '../topology.js';

/** The fields Lambda adds to a DynamoDB stream event when the mapping has a tumbling window. */
export interface TumblingWindowFields {
  readonly shardId: string;
  readonly eventSourceARN: string;
  readonly window: { readonly start: string; readonly end: string };
  readonly state: Record<string, string>;
  readonly isFinalInvokeForWindow: boolean;
  readonly isWindowTerminatedEarly: boolean;
}

export interface StreamPollerOptions {
  readonly endpoint: string;
  /** The stream ARN comes from DescribeTable (LatestStreamArn). */
  readonly tableName: string;
  readonly trigger: StreamTrigger;
  /** The function's handler, typed as aws-lambda's DynamoDBStreamHandler returns (void: complete success). */
  // biome-ignore lint/suspicious/noConfusingVoidType: the same return type as aws-lambda's DynamoDBStreamHandler, so a `Promise<void>` handler fits
  readonly handler: (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | void>;
  /** JSON: per shard, the last sequence number fully processed (handled or discarded). */
  readonly checkpointFile: string;
  /** The on-failure destination: one JSON line per discarded batch (see FailureRecord). */
  readonly failureFile: string;
  /**
   * How often an idle shard is polled, and the step while a batching window fills. Default 250, as
   * Lambda polls a shard about 4 times a second.
   */
  readonly pollIntervalMs?: number;
  readonly log?: (line: string) => void;
  /** Clock for record age and the timestamps of failure records. Default Date.now. */
  readonly now?: () => number;
}

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

export interface StreamPoller {
  /** Stops polling, waits for the invocation in flight, writes the checkpoints. No timer is left behind. */
  stop(): Promise<void>;
  /** Resolves when every record currently in the stream has been processed (or discarded). Default 30 s. */
  drain(timeoutMs?: number): Promise<void>;
  readonly stats: Readonly<StreamPollerStats>;
}

/** One line of the failure file: Lambda's on-failure invocation record for a DynamoDB stream, plus the records. */
export interface FailureRecord {
  readonly requestContext: {
    readonly requestId: string;
    readonly condition: 'RetryAttemptsExhausted' | 'RecordAgeExceeded';
    readonly approximateInvokeCount: number;
  };
  /** Absent when the records were discarded before any invocation (too old). */
  readonly responseContext?: {
    readonly statusCode: number;
    readonly executedVersion: string;
    /** 'Unhandled' when the last invocation threw; absent when it answered with batch item failures. */
    readonly functionError?: string;
  };
  readonly version: '1.0';
  readonly timestamp: string;
  readonly DDBStreamBatchInfo: {
    readonly shardId: string;
    readonly startSequenceNumber: string;
    readonly endSequenceNumber: string;
    readonly approximateArrivalOfFirstRecord: string;
    readonly approximateArrivalOfLastRecord: string;
    readonly batchSize: number;
    readonly streamArn: string;
  };
  /** Local addition (as Lambda's S3 destination does): the discarded records themselves. */
  readonly payload: DynamoDBStreamEvent;
}

/** The checkpoint file's content. */
export interface CheckpointFileContent {
  readonly version: 1;
  readonly streamArn: string;
  readonly updatedAt: string;
  readonly shards: Record<string, { sequenceNumber?: string; finished?: boolean }>;
}

// ---------------------------------------------------------------------------------------------------
// Pure helpers (exported for tests)

/** Compares two stream sequence numbers as integers (never as strings): -1, 0 or 1. */
export function compareSequenceNumbers(a: string, b: string): -1 | 0 | 1 {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function isSequenceNumber(value: unknown): value is string {
  return typeof value === 'string' && /^\d+$/.test(value);
}

export type BatchResponseOutcome =
  | { readonly kind: 'success' }
  /** Records before `index` succeeded; retry from `index` (the lowest reported sequence number). */
  | { readonly kind: 'partial'; readonly index: number }
  /** Complete failure: an empty, null or unknown itemIdentifier, or a malformed response. */
  | { readonly kind: 'invalid'; readonly reason: string };

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

/** An SDK AttributeValue (binary as Uint8Array) in the JSON form Lambda delivers (binary as base64). */
export function toLambdaAttributeValue(value: SdkAttributeValue): AttributeValue {
  if (value.S !== undefined) return { S: value.S };
  if (value.N !== undefined) return { N: value.N };
  if (value.B !== undefined) return { B: Buffer.from(value.B).toString('base64') };
  if (value.BOOL !== undefined) return { BOOL: value.BOOL };
  if (value.NULL !== undefined) return { NULL: value.NULL };
  if (value.SS !== undefined) return { SS: [...value.SS] };
  if (value.NS !== undefined) return { NS: [...value.NS] };
  if (value.BS !== undefined) return { BS: value.BS.map((b) => Buffer.from(b).toString('base64')) };
  if (value.L !== undefined) return { L: value.L.map(toLambdaAttributeValue) };
  if (value.M !== undefined) return { M: toLambdaImage(value.M) };
  throw new Error(`Unknown attribute value type: ${Object.keys(value).join(', ')}`);
}

function toLambdaImage(image: Record<string, SdkAttributeValue>): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const [name, value] of Object.entries(image)) out[name] = toLambdaAttributeValue(value);
  return out;
}

interface StreamItem {
  readonly sequenceNumber: string;
  /** ApproximateCreationDateTime, epoch seconds. */
  readonly createdAtSeconds: number;
  readonly record: DynamoDBRecord;
}

/** A stream record as Lambda puts it in the event: DynamoDB JSON images, epoch-second timestamps. */
export function toLambdaRecord(record: SdkRecord, streamArn: string): DynamoDBRecord {
  const ddb = record.dynamodb ?? {};
  const dynamodb: StreamRecord = {};
  if (ddb.ApproximateCreationDateTime)
    dynamodb.ApproximateCreationDateTime = Math.floor(ddb.ApproximateCreationDateTime.getTime() / 1000);
  if (ddb.Keys) dynamodb.Keys = toLambdaImage(ddb.Keys);
  if (ddb.NewImage) dynamodb.NewImage = toLambdaImage(ddb.NewImage);
  if (ddb.OldImage) dynamodb.OldImage = toLambdaImage(ddb.OldImage);
  if (ddb.SequenceNumber !== undefined) dynamodb.SequenceNumber = ddb.SequenceNumber;
  if (ddb.SizeBytes !== undefined) dynamodb.SizeBytes = ddb.SizeBytes;
  if (ddb.StreamViewType !== undefined) dynamodb.StreamViewType = ddb.StreamViewType;
  const out: DynamoDBRecord = {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: record.awsRegion ?? streamArn.split(':')[3],
    dynamodb,
    eventSourceARN: streamArn,
  };
  // TTL deletions carry the service identity, in Lambda's lower-case shape.
  if (record.userIdentity)
    out.userIdentity = { type: record.userIdentity.Type, principalId: record.userIdentity.PrincipalId };
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Timers that stop() and drain() can cut short, so nothing is left pending.

type SleepTag = 'poll' | 'backoff' | 'controller' | 'drain' | 'error';

class Sleeper {
  private readonly sleepers = new Set<{ tag: SleepTag; wake: () => void }>();
  private closed = false;

  sleep(ms: number, tag: SleepTag): Promise<void> {
    if (this.closed || ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const entry = {
        tag,
        wake: () => {
          clearTimeout(timer);
          this.sleepers.delete(entry);
          resolve();
        },
      };
      const timer = setTimeout(entry.wake, ms);
      this.sleepers.add(entry);
    });
  }

  wake(...tags: SleepTag[]): void {
    for (const entry of [...this.sleepers]) if (tags.length === 0 || tags.includes(entry.tag)) entry.wake();
  }

  close(): void {
    this.closed = true;
    this.wake();
  }
}

// ---------------------------------------------------------------------------------------------------

const GET_RECORDS_MAX = 1000;
/** Lambda polls each shard about 4 times a second. */
export const DEFAULT_POLL_INTERVAL_MS = 250;
const RETRY_BACKOFF_BASE_MS = 100;
const RETRY_BACKOFF_MAX_MS = 500;
const ERROR_BACKOFF_MAX_MS = 5000;

interface ShardState {
  readonly shardId: string;
  parentShardId?: string | undefined;
  sequenceNumber?: string | undefined;
  finished: boolean;
}

interface SubBatch {
  items: StreamItem[];
  retries: number;
  invokeCount: number;
  redelivery: boolean;
  lastFailure?: 'error' | 'response';
}

function errorName(error: unknown): string {
  return (error as { name?: string })?.name ?? '';
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

function isoSeconds(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().replace('.000Z', 'Z');
}

async function loadCheckpoints(file: string): Promise<CheckpointFileContent | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const parsed = JSON.parse(text) as Partial<CheckpointFileContent>;
  if (parsed.version !== 1 || typeof parsed.streamArn !== 'string' || typeof parsed.shards !== 'object') {
    throw new Error(`${file} is not a stream poller checkpoint file`);
  }
  return parsed as CheckpointFileContent;
}

export async function startStreamPoller(options: StreamPollerOptions): Promise<StreamPoller> {
  const { trigger, handler } = options;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const now = options.now ?? Date.now;
  const pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  if (!Number.isInteger(trigger.batchSize) || trigger.batchSize < 1)
    throw new Error(`batchSize must be a positive integer, not ${trigger.batchSize}`);
  if (!(trigger.maxBatchingWindowSeconds >= 0))
    throw new Error(`maxBatchingWindowSeconds must be ≥ 0, not ${trigger.maxBatchingWindowSeconds}`);
  if (!(pollIntervalMs > 0)) throw new Error(`pollIntervalMs must be > 0, not ${pollIntervalMs}`);
  const windowMs = trigger.maxBatchingWindowSeconds * 1000;
  const prefix = `[stream ${options.tableName}]`;
  if (trigger.parallelizationFactor > 1)
    log(
      `${prefix} parallelizationFactor ${trigger.parallelizationFactor}: the local poller reads each shard one batch at a time`,
    );

  const config = localClientConfig(options.endpoint);
  const dynamodb = new DynamoDBClient(config);
  let streamArn: string;
  try {
    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: options.tableName }));
    if (!Table?.LatestStreamArn || Table.StreamSpecification?.StreamEnabled === false)
      throw new Error(`Table ${options.tableName} has no stream`);
    streamArn = Table.LatestStreamArn;
  } finally {
    dynamodb.destroy();
  }
  // Checkpoints: only those of this stream (a recreated table has a new stream, and new shards).
  const shards = new Map<string, ShardState>();
  const saved = await loadCheckpoints(options.checkpointFile);
  if (saved && saved.streamArn !== streamArn) {
    log(
      `${prefix} ${options.checkpointFile} belongs to another stream (${saved.streamArn}); starting afresh`,
    );
  } else if (saved) {
    for (const [shardId, entry] of Object.entries(saved.shards)) {
      shards.set(shardId, {
        shardId,
        sequenceNumber: isSequenceNumber(entry.sequenceNumber) ? entry.sequenceNumber : undefined,
        finished: entry.finished === true,
      });
    }
  }

  const streams = new DynamoDBStreamsClient({ ...config, maxAttempts: 3 });
  const stats: StreamPollerStats = { invocations: 0, records: 0, retries: 0, discarded: 0 };
  const sleeper = new Sleeper();
  const abort = new AbortController();
  let stopped = false;
  let lastDescribeIssuedAt = Number.NEGATIVE_INFINITY;

  // Serialized file writes: the checkpoint file is rewritten whole (temp + rename), the failure file appended.
  let writes: Promise<unknown> = Promise.resolve();
  let tempCounter = 0;
  const serialize = <T>(task: () => Promise<T>): Promise<T> => {
    const run = writes.then(task, task);
    writes = run.catch(() => {});
    return run;
  };
  const writeCheckpoints = () =>
    serialize(async () => {
      const content: CheckpointFileContent = {
        version: 1,
        streamArn,
        updatedAt: new Date(now()).toISOString(),
        shards: Object.fromEntries(
          [...shards.values()].map((s) => [
            s.shardId,
            {
              ...(s.sequenceNumber && { sequenceNumber: s.sequenceNumber }),
              ...(s.finished && { finished: true }),
            },
          ]),
        ),
      };
      await mkdir(dirname(options.checkpointFile), { recursive: true });
      const temp = `${options.checkpointFile}.${process.pid}.${++tempCounter}.tmp`;
      await writeFile(temp, `${JSON.stringify(content, null, 2)}\n`);
      await rename(temp, options.checkpointFile);
    });
  const appendFailure = (record: FailureRecord) =>
    serialize(async () => {
      await mkdir(dirname(options.failureFile), { recursive: true });
      await appendFile(options.failureFile, `${JSON.stringify(record)}\n`);
    });

  class ShardWorker {
    /** undefined: to be acquired; null: the shard is closed and every record has been read. */
    private iterator: string | null | undefined;
    private lastFetched: string | undefined;
    private buffer: StreamItem[] = [];
    private windowStart: number | undefined;
    private errors = 0;
    /** performance.now() at the issue of the last GetRecords that found nothing while nothing was pending. */
    idleSince: number | undefined;
    readonly done: Promise<void>;

    constructor(private readonly state: ShardState) {
      this.lastFetched = state.sequenceNumber;
      this.done = this.run().catch((error) =>
        log(`${prefix} shard ${state.shardId} stopped: ${describeError(error)}`),
      );
    }

    private get shardId() {
      return this.state.shardId;
    }

    private async run(): Promise<void> {
      while (!stopped) {
        if (this.iterator === null && this.buffer.length === 0) {
          this.state.finished = true;
          await writeCheckpoints();
          log(`${prefix} shard ${this.shardId} is closed and fully processed`);
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
            await sleeper.sleep(
              Math.min(pollIntervalMs * 2 ** (this.errors - 1), ERROR_BACKOFF_MAX_MS),
              'error',
            );
            continue;
          }
          this.errors = 0;
          fetched = result;
        }
        if (stopped) return;
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
            { abortSignal: abort.signal },
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
          { abortSignal: abort.signal },
        );
        if (stopped) return 0;
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
            createdAtSeconds: createdAt ? Math.floor(createdAt.getTime() / 1000) : Math.floor(now() / 1000),
            record: toLambdaRecord(raw, streamArn),
          });
          added += 1;
        }
        return added;
      } catch (error) {
        if (stopped) return 0;
        const name = errorName(error);
        if (name === 'ExpiredIteratorException') {
          this.iterator = undefined; // re-acquired after the last record read
          return 'again';
        }
        if (name === 'TrimmedDataAccessException') {
          log(
            `${prefix} shard ${this.shardId}: records after ${this.lastFetched} were trimmed; reading from the oldest`,
          );
          this.lastFetched = undefined;
          this.iterator = undefined;
          return 'again';
        }
        if (this.errors === 0)
          log(`${prefix} shard ${this.shardId}: reading failed: ${describeError(error)}`);
        this.iterator = undefined;
        return 'error';
      }
    }

    private async checkpoint(item: StreamItem | undefined): Promise<void> {
      if (!item) return;
      const current = this.state.sequenceNumber;
      if (current === undefined || compareSequenceNumbers(item.sequenceNumber, current) > 0)
        this.state.sequenceNumber = item.sequenceNumber;
      await writeCheckpoints();
    }

    /** Handles one batch to the end: every record processed, discarded, or (on stop) left for a restart. */
    private async process(batch: StreamItem[]): Promise<void> {
      const queue: SubBatch[] = [{ items: batch, retries: 0, invokeCount: 0, redelivery: false }];
      while (queue.length > 0 && !stopped) {
        const sub = queue[0] as SubBatch;
        // Too old to deliver: discard the old prefix (records of a shard are in creation order).
        if (trigger.maxRecordAgeSeconds >= 0) {
          const limit = now() - trigger.maxRecordAgeSeconds * 1000;
          let aged = 0;
          while (aged < sub.items.length && (sub.items[aged] as StreamItem).createdAtSeconds * 1000 < limit)
            aged++;
          if (aged > 0) {
            if (!(await this.discard(sub, sub.items.slice(0, aged), 'RecordAgeExceeded'))) return;
            sub.items = sub.items.slice(aged);
            if (sub.items.length === 0) {
              queue.shift();
              continue;
            }
          }
        }

        const sequenceNumbers = sub.items.map((i) => i.sequenceNumber);
        // As Lambda delivers it when the mapping has a tumbling window: the batch names its shard
        // (the roll-up keeps its watermarks per shard). The window's state is not used.
        const windowStart = Math.floor(now() / 60_000) * 60_000;
        const event: DynamoDBStreamEvent & TumblingWindowFields = {
          Records: sub.items.map((i) => structuredClone(i.record)),
          shardId: this.shardId,
          eventSourceARN: streamArn,
          window: {
            start: new Date(windowStart).toISOString(),
            end: new Date(windowStart + 60_000).toISOString(),
          },
          state: {},
          isFinalInvokeForWindow: false,
          isWindowTerminatedEarly: false,
        };
        stats.invocations += 1;
        if (sub.redelivery) stats.retries += 1;
        sub.invokeCount += 1;
        let outcome: BatchResponseOutcome | { kind: 'error'; error: unknown };
        try {
          outcome = interpretBatchResponse(await handler(event), sequenceNumbers);
        } catch (error) {
          outcome = { kind: 'error', error };
        }

        if (outcome.kind === 'success') {
          stats.records += sub.items.length;
          await this.checkpoint(sub.items.at(-1));
          queue.shift();
          continue;
        }
        if (outcome.kind === 'error' && trigger.bisectBatchOnError && sub.items.length > 1) {
          // Split in two, first half first; the split does not consume a retry attempt.
          const half = Math.ceil(sub.items.length / 2);
          log(
            `${prefix} shard ${this.shardId}: handler failed on ${sub.items.length} records (${describeError(outcome.error)}); bisecting`,
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
            { ...base, items: sub.items.slice(0, half) },
            { ...base, items: sub.items.slice(half) },
          );
          continue;
        }
        if (outcome.kind === 'partial') {
          sub.lastFailure = 'response';
          if (outcome.index > 0) {
            stats.records += outcome.index;
            await this.checkpoint(sub.items[outcome.index - 1]);
            sub.items = sub.items.slice(outcome.index);
          }
          log(
            `${prefix} shard ${this.shardId}: batch item failure at ${sub.items[0]?.sequenceNumber}; retrying from it`,
          );
        } else if (outcome.kind === 'invalid') {
          sub.lastFailure = 'response';
          log(`${prefix} shard ${this.shardId}: ${outcome.reason}: the whole batch failed`);
        } else {
          sub.lastFailure = 'error';
          log(
            `${prefix} shard ${this.shardId}: handler failed on ${sub.items.length} records: ${describeError(outcome.error)}`,
          );
        }
        sub.retries += 1;
        if (trigger.retryAttempts >= 0 && sub.retries > trigger.retryAttempts) {
          if (!(await this.discard(sub, sub.items, 'RetryAttemptsExhausted'))) return;
          queue.shift();
          continue;
        }
        sub.redelivery = true;
        await sleeper.sleep(
          Math.min(RETRY_BACKOFF_BASE_MS * 2 ** (sub.retries - 1), RETRY_BACKOFF_MAX_MS),
          'backoff',
        );
      }
    }

    /** Appends the on-failure record, then moves the checkpoint past the records. False if stopped first. */
    private async discard(
      sub: SubBatch,
      items: StreamItem[],
      condition: FailureRecord['requestContext']['condition'],
    ): Promise<boolean> {
      const first = items[0];
      const last = items.at(-1);
      if (!first || !last) return true;
      const record: FailureRecord = {
        requestContext: { requestId: randomUUID(), condition, approximateInvokeCount: sub.invokeCount },
        ...(sub.invokeCount > 0 && {
          responseContext: {
            statusCode: 200,
            executedVersion: '$LATEST',
            ...(sub.lastFailure === 'error' && { functionError: 'Unhandled' }),
          },
        }),
        version: '1.0',
        timestamp: new Date(now()).toISOString(),
        DDBStreamBatchInfo: {
          shardId: this.shardId,
          startSequenceNumber: first.sequenceNumber,
          endSequenceNumber: last.sequenceNumber,
          approximateArrivalOfFirstRecord: isoSeconds(first.createdAtSeconds),
          approximateArrivalOfLastRecord: isoSeconds(last.createdAtSeconds),
          batchSize: items.length,
          streamArn,
        },
        payload: { Records: items.map((i) => i.record) },
      };
      // The record must be safe in the failure file before the checkpoint moves past it.
      for (let attempt = 1; ; attempt++) {
        try {
          await appendFailure(record);
          break;
        } catch (error) {
          log(`${prefix} cannot write ${options.failureFile}: ${describeError(error)}`);
          await sleeper.sleep(Math.min(1000 * attempt, ERROR_BACKOFF_MAX_MS), 'backoff');
          if (stopped) return false;
        }
      }
      stats.discarded += items.length;
      log(
        `${prefix} shard ${this.shardId}: ${condition}: discarded ${items.length} records ${first.sequenceNumber}..${last.sequenceNumber} to ${options.failureFile}`,
      );
      await this.checkpoint(last);
      return true;
    }
  }

  const workers = new Map<string, ShardWorker>();

  const describeShards = async (): Promise<SdkShard[]> => {
    const all: SdkShard[] = [];
    let exclusiveStartShardId: string | undefined;
    do {
      const { StreamDescription } = await streams.send(
        new DescribeStreamCommand({
          StreamArn: streamArn,
          ...(exclusiveStartShardId && { ExclusiveStartShardId: exclusiveStartShardId }),
        }),
        { abortSignal: abort.signal },
      );
      all.push(...(StreamDescription?.Shards ?? []));
      exclusiveStartShardId = StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStartShardId);
    return all;
  };

  let discovering: Promise<void> | undefined;
  const discoverOnce = async () => {
    const issuedAt = performance.now();
    const listed = await describeShards();
    if (stopped) return;
    const listedIds = new Set<string>();
    for (const shard of listed) {
      if (!shard.ShardId) continue;
      listedIds.add(shard.ShardId);
      // Update in place: a running worker holds this object and moves its checkpoint.
      const known = shards.get(shard.ShardId);
      if (known) known.parentShardId = shard.ParentShardId;
      else
        shards.set(shard.ShardId, {
          shardId: shard.ShardId,
          parentShardId: shard.ParentShardId,
          finished: false,
        });
    }
    // Shards no longer listed were trimmed with their records: forget them.
    let pruned = false;
    if (listedIds.size > 0) {
      for (const shardId of [...shards.keys()]) {
        if (!listedIds.has(shardId) && !workers.has(shardId)) {
          shards.delete(shardId);
          pruned = true;
        }
      }
    }
    if (pruned) await writeCheckpoints();
    const finished = new Set([...shards.values()].filter((s) => s.finished).map((s) => s.shardId));
    const nodes = [...shards.values()].filter((s) => listedIds.has(s.shardId));
    for (const shardId of readyShards(nodes, finished, new Set(workers.keys()))) {
      const state = shards.get(shardId);
      if (!state || stopped) continue;
      log(
        `${prefix} reading shard ${shardId} from ${state.sequenceNumber ? `after ${state.sequenceNumber}` : 'TRIM_HORIZON'}`,
      );
      workers.set(shardId, new ShardWorker(state));
    }
    lastDescribeIssuedAt = Math.max(lastDescribeIssuedAt, issuedAt);
  };
  /** One DescribeStream pass at a time; a caller arriving during a pass waits for a fresh one. */
  const discover = async (): Promise<void> => {
    while (discovering) await discovering.catch(() => {});
    discovering = discoverOnce().finally(() => {
      discovering = undefined;
    });
    return discovering;
  };

  await discover().catch((error) => {
    streams.destroy();
    throw error;
  });

  const controller = (async () => {
    let failures = 0;
    while (!stopped) {
      await sleeper.sleep(Math.max(pollIntervalMs, 1000), 'controller');
      if (stopped) return;
      try {
        await discover();
        failures = 0;
      } catch (error) {
        if (stopped) return;
        if (failures++ === 0) log(`${prefix} DescribeStream failed: ${describeError(error)}`);
      }
    }
  })();

  const quiet = (since: number) =>
    lastDescribeIssuedAt >= since &&
    [...shards.values()].every((s) => {
      if (s.finished) return true;
      const worker = workers.get(s.shardId);
      return worker?.idleSince !== undefined && worker.idleSince >= since;
    });

  let stopping: Promise<void> | undefined;
  return {
    stats,
    stop() {
      stopping ??= (async () => {
        stopped = true;
        sleeper.close();
        abort.abort();
        await controller;
        await discovering?.catch(() => {});
        await Promise.all([...workers.values()].map((w) => w.done));
        await writeCheckpoints().catch((error) =>
          log(`${prefix} cannot write ${options.checkpointFile}: ${describeError(error)}`),
        );
        await writes;
        streams.destroy();
      })();
      return stopping;
    },
    async drain(timeoutMs = 30_000) {
      const since = performance.now();
      const deadline = since + timeoutMs;
      sleeper.wake('poll', 'controller');
      await discover().catch(() => {});
      for (;;) {
        if (stopped) throw new Error('The stream poller was stopped before it drained');
        if (quiet(since)) {
          // Confirm with a fresh DescribeStream that no new shard appeared meanwhile.
          await discover().catch(() => {});
          if (quiet(since)) return;
        }
        if (performance.now() > deadline) {
          const busy = [...shards.values()].filter((s) => !s.finished).map((s) => s.shardId);
          throw new Error(
            `The stream poller did not drain within ${timeoutMs} ms (shards: ${busy.join(', ')})`,
          );
        }
        await sleeper.sleep(20, 'drain');
      }
    },
  };
}
