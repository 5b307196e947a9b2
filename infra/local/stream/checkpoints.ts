/**
 * The poller's two files: the checkpoint file (per shard, the last sequence number fully processed;
 * rewritten whole through a temporary file and a rename) and the on-failure file (one JSON line per
 * discarded batch, as Lambda's on-failure destination receives it). Writes are serialized, so a
 * checkpoint never overtakes the failure record it depends on.
 */
import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { isSequenceNumber, type StreamItem } from './records.js';

/** The checkpoint file's content. */
export interface CheckpointFileContent {
  readonly version: 1;
  readonly streamArn: string;
  readonly updatedAt: string;
  readonly shards: Record<string, { sequenceNumber?: string; finished?: boolean }>;
}

/** A shard's progress, shared by the shard's worker (which moves it) and the checkpoint file. */
export interface ShardState {
  readonly shardId: string;
  parentShardId?: string | undefined;
  sequenceNumber?: string | undefined;
  finished: boolean;
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

function isoSeconds(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().replace('.000Z', 'Z');
}

/** The on-failure record for discarded records (at least one). */
export function failureRecord(input: {
  readonly requestId: string;
  readonly condition: FailureRecord['requestContext']['condition'];
  readonly invokeCount: number;
  readonly lastFailure: 'error' | 'response' | undefined;
  readonly nowMs: number;
  readonly shardId: string;
  readonly streamArn: string;
  readonly items: readonly StreamItem[];
}): FailureRecord {
  const { items, invokeCount } = input;
  const first = items[0] as StreamItem;
  const last = items.at(-1) as StreamItem;
  return {
    requestContext: {
      requestId: input.requestId,
      condition: input.condition,
      approximateInvokeCount: invokeCount,
    },
    ...(invokeCount > 0 && {
      responseContext: {
        statusCode: 200,
        executedVersion: '$LATEST',
        ...(input.lastFailure === 'error' && { functionError: 'Unhandled' }),
      },
    }),
    version: '1.0',
    timestamp: new Date(input.nowMs).toISOString(),
    DDBStreamBatchInfo: {
      shardId: input.shardId,
      startSequenceNumber: first.sequenceNumber,
      endSequenceNumber: last.sequenceNumber,
      approximateArrivalOfFirstRecord: isoSeconds(first.createdAtSeconds),
      approximateArrivalOfLastRecord: isoSeconds(last.createdAtSeconds),
      batchSize: items.length,
      streamArn: input.streamArn,
    },
    payload: { Records: items.map((i) => i.record) },
  };
}

/** Reads a checkpoint file: undefined when there is none; throws when it is not one. */
export async function loadCheckpoints(file: string): Promise<CheckpointFileContent | undefined> {
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

/** The shard states of a checkpoint file's content. */
export function shardStatesOf(saved: CheckpointFileContent): ShardState[] {
  return Object.entries(saved.shards).map(([shardId, entry]) => ({
    shardId,
    sequenceNumber: isSequenceNumber(entry.sequenceNumber) ? entry.sequenceNumber : undefined,
    finished: entry.finished === true,
  }));
}

/** Serialized writes of one poller's checkpoint and failure files. */
export class PollerFiles {
  private writes: Promise<unknown> = Promise.resolve();
  private tempCounter = 0;

  constructor(
    private readonly files: { readonly checkpointFile: string; readonly failureFile: string },
    private readonly streamArn: string,
    /** The shards' states as they are when the write runs (not when it is queued). */
    private readonly shards: () => Iterable<ShardState>,
    private readonly now: () => number,
  ) {}

  /** Rewrites the checkpoint file with the shards' current states. */
  writeCheckpoints(): Promise<void> {
    const file = this.files.checkpointFile;
    return this.serialize(async () => {
      const content: CheckpointFileContent = {
        version: 1,
        streamArn: this.streamArn,
        updatedAt: new Date(this.now()).toISOString(),
        shards: Object.fromEntries(
          [...this.shards()].map((s) => [
            s.shardId,
            {
              ...(s.sequenceNumber && { sequenceNumber: s.sequenceNumber }),
              ...(s.finished && { finished: true }),
            },
          ]),
        ),
      };
      await mkdir(dirname(file), { recursive: true });
      const temp = `${file}.${process.pid}.${++this.tempCounter}.tmp`;
      await writeFile(temp, `${JSON.stringify(content, null, 2)}\n`);
      await rename(temp, file);
    });
  }

  appendFailure(record: FailureRecord): Promise<void> {
    const file = this.files.failureFile;
    return this.serialize(async () => {
      await mkdir(dirname(file), { recursive: true });
      await appendFile(file, `${JSON.stringify(record)}\n`);
    });
  }

  /** Resolves when every write issued so far has ended (failed ones included). */
  async settled(): Promise<void> {
    await this.writes;
  }

  private serialize<T>(task: () => Promise<T>): Promise<T> {
    const run = this.writes.then(task, task);
    this.writes = run.catch(() => {});
    return run;
  }
}
