/**
 * The roll-up: IntakeEvents stream → totals per unit and day, up the hierarchy, exactly once in
 * effect (the rule is explained at the top of shared/rollup/apply.ts).
 *
 * The event source mapping sets a tumbling window only so that each event carries `shardId`
 * (the watermarks are per shard); the window's `state` is not used and returned empty.
 * Partial failures are reported as `batchItemFailures` (the earliest record whose effects are
 * incomplete). Powertools' BatchProcessor is not used: it handles records one at a time, which
 * would write the root item once per event instead of once per batch.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { awsOrLocal, loadEnv, requireVar } from '../shared/config/env-rules.js';
import type { RollupRecord } from '../shared/domain/rollup.js';
import { withLambdaContext } from '../shared/observability/lambda-context.js';
import { createLogger } from '../shared/observability/logger.js';
import { applyBatch } from '../shared/rollup/apply.js';
import { readImage } from '../shared/rollup/image.js';
import { FilePoisonSink, type PoisonSink, SqsPoisonSink } from '../shared/rollup/poison-sink.js';
import { documentClientFor } from '../shared/store/client.js';
import { type CorrectionAdmitter, DynamoCorrectionStore } from '../shared/store/correction-store.js';
import { DynamoTotalsStore, type TotalsWriter } from '../shared/store/totals-store.js';
import { lazyInstance } from '../shared/util/lazy.js';

/** A DynamoDB stream event as Lambda delivers it with a tumbling window: it names the shard. */
export type RollupEvent = DynamoDBStreamEvent & { shardId?: string; state?: Record<string, string> };
export type RollupResponse = DynamoDBBatchResponse & { state: Record<string, string> };

export interface RollupDeps {
  readonly totals: TotalsWriter;
  /** Admits corrections (shared/store/correction-store.ts); required once a correction is in a batch. */
  readonly corrections?: CorrectionAdmitter;
  readonly poison: PoisonSink;
  readonly metrics?: Pick<Metrics, 'addMetric' | 'publishStoredMetrics'>;
}

const logger = createLogger('rollup');

export function makeHandler({ totals, corrections, poison, metrics }: RollupDeps) {
  return async (event: RollupEvent): Promise<RollupResponse> => {
    const shard = event.shardId;
    if (!shard) {
      // Without a shard id the watermarks cannot be kept apart: refuse rather than risk a double count.
      throw new Error('The event has no shardId: the event source mapping must set a tumbling window');
    }
    const records: RollupRecord[] = [];
    const failures: string[] = [];
    let poisoned = 0;
    for (const record of event.Records ?? []) {
      const seq = record.dynamodb?.SequenceNumber;
      if (!seq) continue;
      if (record.eventName !== 'INSERT') continue; // events are immutable; only inserts count
      const parsed = await parseImage(record);
      if (parsed.ok) {
        records.push({ seq, event: parsed.event });
        continue;
      }
      try {
        await poison.quarantine({
          eventID: record.eventID,
          sequenceNumber: seq,
          shardId: shard,
          reason: parsed.reason,
          image: record.dynamodb?.NewImage,
        });
        poisoned++;
        logger.error('poison record set aside', { sequenceNumber: seq, reason: parsed.reason });
      } catch (error) {
        logger.error('could not set a poison record aside', { sequenceNumber: seq, error: error as Error });
        failures.push(seq);
      }
    }

    const result = await applyBatch(records, shard, totals, corrections);
    if (result.failedFrom !== null) failures.push(result.failedFrom);
    for (const error of result.errors.slice(0, 3))
      logger.warn('totals write failed', { error: error as Error });
    for (const { key, counts } of result.negative.slice(0, 10)) {
      // Never clamped: a correction rolled up before its original (another shard) passes; else a bug.
      logger.error('a total went below zero', { ...key, counts });
    }

    const earliest = failures.reduce<string | null>(
      (min, seq) => (min === null || BigInt(seq) < BigInt(min) ? seq : min),
      null,
    );
    if (metrics) {
      metrics.addMetric('recordsRolledUp', MetricUnit.Count, records.length);
      metrics.addMetric('totalsWrites', MetricUnit.Count, result.writes);
      if (poisoned > 0) metrics.addMetric('poisonRecords', MetricUnit.Count, poisoned);
      if (result.corrections > 0)
        metrics.addMetric('correctionsAdmitted', MetricUnit.Count, result.corrections);
      if (result.negative.length > 0) {
        metrics.addMetric('negativeTotals', MetricUnit.Count, result.negative.length);
      }
      if (earliest !== null) metrics.addMetric('partialFailures', MetricUnit.Count, 1);
      metrics.publishStoredMetrics();
    }
    logger.info('batch rolled up', {
      shard,
      records: records.length,
      writes: result.writes,
      skipped: result.skipped,
      failedFrom: earliest,
    });
    // The failed record is named by its sequence number exactly as delivered.
    const original = earliest === null ? null : (event.Records ?? []).find((r) => sameSeq(r, earliest));
    return {
      batchItemFailures: original?.dynamodb?.SequenceNumber
        ? [{ itemIdentifier: original.dynamodb.SequenceNumber }]
        : [],
      state: {},
    };
  };
}

const sameSeq = (r: DynamoDBRecord, seq: string) =>
  r.dynamodb?.SequenceNumber !== undefined && BigInt(r.dynamodb.SequenceNumber) === BigInt(seq);

/**
 * The record's event: read by the plain rules (shared/rollup/image.ts); an image they refuse is read
 * by the schemas (loaded then, with zod), whose issues are the reason it is set aside.
 */
async function parseImage(
  record: DynamoDBRecord,
): Promise<{ ok: true; event: RollupRecord['event'] } | { ok: false; reason: string }> {
  try {
    const image = record.dynamodb?.NewImage;
    if (!image) return { ok: false, reason: 'the record has no NewImage (the stream must be NEW_IMAGE)' };
    const item = unmarshall(image as Record<string, AttributeValue> as Parameters<typeof unmarshall>[0]);
    const event = readImage(item);
    if (event) return { ok: true, event };
    return (await import('../shared/rollup/image-schema.js')).parseImageBySchema(item);
  } catch (error) {
    return { ok: false, reason: `unreadable image: ${(error as Error).message}` };
  }
}

const env = await loadEnv();
const { aws: failureQueue, local: failureFile } = awsOrLocal(
  env,
  'ROLLUP_FAILURE_QUEUE_URL',
  'ROLLUP_FAILURE_FILE',
);
const db = documentClientFor(env);
export const handler = withLambdaContext(
  logger,
  makeHandler({
    totals: new DynamoTotalsStore(db, requireVar(env, 'CAMPAIGN_TABLE')),
    corrections: new DynamoCorrectionStore(db, requireVar(env, 'CAMPAIGN_TABLE')),
    poison: failureQueue
      ? new SqsPoisonSink(failureQueue)
      : failureFile
        ? new FilePoisonSink(failureFile)
        : {
            quarantine: async () => {
              throw new Error('Set ROLLUP_FAILURE_QUEUE_URL (AWS) or ROLLUP_FAILURE_FILE (local)');
            },
          },
    // Constructed at the first publish, not at load (cold start: shared/util/lazy.ts).
    metrics: lazyInstance(
      () =>
        new Metrics({
          namespace: env.POWERTOOLS_METRICS_NAMESPACE,
          serviceName: 'rollup',
        }),
    ),
  }),
);
