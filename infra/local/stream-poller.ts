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
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  type Shard as SdkShard,
} from '@aws-sdk/client-dynamodb-streams';
import { localClientConfig } from '../../shared/store/client.js';
import type { StreamTrigger } from '../topology.js';
import { loadCheckpoints, PollerFiles, type ShardState, shardStatesOf } from './stream/checkpoints.js';
import { readyShards } from './stream/policy.js';
import {
  ShardWorker,
  type ShardWorkerContext,
  type StreamHandler,
  type StreamPollerStats,
} from './stream/shard-worker.js';
import { describeError, Sleeper } from './stream/sleeper.js';

export type { CheckpointFileContent, FailureRecord } from './stream/checkpoints.js';
export {
  type BatchResponseOutcome,
  interpretBatchResponse,
  readyShards,
  type ShardNode,
} from './stream/policy.js';
export { compareSequenceNumbers, toLambdaAttributeValue, toLambdaRecord } from './stream/records.js';
export type { StreamPollerStats, TumblingWindowFields } from './stream/shard-worker.js';

export interface StreamPollerOptions {
  readonly endpoint: string;
  /** The stream ARN comes from DescribeTable (LatestStreamArn). */
  readonly tableName: string;
  readonly trigger: StreamTrigger;
  /** The function's handler, typed as aws-lambda's DynamoDBStreamHandler returns (void: complete success). */
  readonly handler: StreamHandler;
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

export interface StreamPoller {
  /** Stops polling, waits for the invocation in flight, writes the checkpoints. No timer is left behind. */
  stop(): Promise<void>;
  /** Resolves when every record currently in the stream has been processed (or discarded). Default 30 s. */
  drain(timeoutMs?: number): Promise<void>;
  readonly stats: Readonly<StreamPollerStats>;
}

/** Lambda polls each shard about 4 times a second. */
export const DEFAULT_POLL_INTERVAL_MS = 250;

/** The table's stream ARN (DescribeTable), or an error when the table has no stream. */
async function streamArnOf(endpoint: string, tableName: string): Promise<string> {
  const dynamodb = new DynamoDBClient(localClientConfig(endpoint));
  try {
    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: tableName }));
    if (!Table?.LatestStreamArn || Table.StreamSpecification?.StreamEnabled === false)
      throw new Error(`Table ${tableName} has no stream`);
    return Table.LatestStreamArn;
  } finally {
    dynamodb.destroy();
  }
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
  const prefix = `[stream ${options.tableName}]`;
  if (trigger.parallelizationFactor > 1)
    log(
      `${prefix} parallelizationFactor ${trigger.parallelizationFactor}: the local poller reads each shard one batch at a time`,
    );

  const streamArn = await streamArnOf(options.endpoint, options.tableName);
  // Checkpoints: only those of this stream (a recreated table has a new stream, and new shards).
  const shards = new Map<string, ShardState>();
  const saved = await loadCheckpoints(options.checkpointFile);
  if (saved && saved.streamArn !== streamArn) {
    log(
      `${prefix} ${options.checkpointFile} belongs to another stream (${saved.streamArn}); starting afresh`,
    );
  } else if (saved) {
    for (const state of shardStatesOf(saved)) shards.set(state.shardId, state);
  }

  const streams = new DynamoDBStreamsClient({ ...localClientConfig(options.endpoint), maxAttempts: 3 });
  const stats: StreamPollerStats = { invocations: 0, records: 0, retries: 0, discarded: 0 };
  const sleeper = new Sleeper();
  const abort = new AbortController();
  let stopped = false;
  let lastDescribeIssuedAt = Number.NEGATIVE_INFINITY;
  const files = new PollerFiles(options, streamArn, () => shards.values(), now);
  const writeCheckpoints = () => files.writeCheckpoints();
  const context: ShardWorkerContext = {
    streams,
    streamArn,
    trigger,
    handler,
    files,
    failureFile: options.failureFile,
    sleeper,
    signal: abort.signal,
    stats,
    log,
    prefix,
    now,
    pollIntervalMs,
    isStopped: () => stopped,
  };

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
      workers.set(shardId, new ShardWorker(context, state));
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
        await files.settled();
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
