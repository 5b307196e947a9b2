/**
 * Applying a batch of stream records to the totals, exactly once in effect.
 *
 * What is written: only DAY items, one per unit and local day of occurredAt (the event's unit and
 * each ancestor). A unit's running total is never stored; readers sum its DAY items in one Query
 * (shared/store/totals-store.ts). So a total can never include a batch that the daily series lacks,
 * and each touched unit costs one write per batch, not two.
 *
 * Why a per-item, per-shard watermark: DynamoDB Streams deliver at least once, and Lambda retries
 * a failed batch, or from the first failed record when the handler reports partial failures, or in
 * halves when it bisects — so the same record can arrive again, inside batches cut differently.
 * Within a shard, records arrive in sequence order the first time. Every DAY item therefore keeps,
 * for each shard, the sequence number of the last record it has absorbed, and every increment is a
 * conditional update: "add these records' counts and move the watermark to the last of them, only if
 * the watermark is still below the first". If the condition fails, the stored watermark (returned
 * with the failure, no extra read) says which records the item already has, and only the later ones
 * are added, conditional on that exact watermark. The records an item has absorbed are thus always
 * a prefix of its records in stream order, whatever the batching. Shards are told apart exactly:
 * a watermark's name is a lossless packing of the shard id (shared/store/watermark.ts), never a hash.
 *
 * Watermark encoding: the sequence number as length-prefixed big-endian bytes plus the hour of the
 * write (Binary, ~14 bytes), so byte order is number order and the conditions above are plain
 * comparisons (watermark.ts proves the two forms they take). A watermark is removed once its hour is
 * WATERMARK_PRUNE_AFTER_HOURS old: the mapping never delivers a record older than its
 * maxRecordAgeSeconds (24 h, infra/topology.ts; a test keeps the two in step), so no record at or
 * below it can come again, while any later record of that shard is above it and is admitted by the
 * missing watermark. An item thus names only the shards that wrote it in the last ~26 hours.
 *
 * Hot keys: a batch's events are aggregated first, so each touched item (root and province
 * included) is written once per batch, not once per event.
 *
 * Partial failure: if some items could not be written, the batch reports as failed the earliest
 * record whose effects are incomplete; everything before it is complete, and the retry from it
 * skips what the watermarks show as done. A thrown error (e.g. a timeout mid-batch) is safe too.
 */
import {
  contributionsAfter,
  type ItemPlan,
  planBatch,
  type RollupRecord,
  sumByEpoch,
  sumContributions,
} from '../domain/rollup.js';
import type { TotalsWriter } from '../store/totals-store.js';
import { mapConcurrent } from '../util/concurrency.js';

/** Conditional writes in flight per batch. */
const WRITE_CONCURRENCY = 16;
/** Re-reads of a moved watermark before giving up on an item for this attempt. */
const MAX_WATERMARK_ROUNDS = 5;

export interface ApplyResult {
  /** Items written (one conditional update each, plus any catch-up rounds). */
  readonly writes: number;
  /** Items whose records were all absorbed already (a redelivery). */
  readonly skipped: number;
  /** The earliest sequence number whose effects are incomplete, or null when the batch is done. */
  readonly failedFrom: string | null;
  readonly errors: readonly unknown[];
}

async function applyPlan(
  plan: ItemPlan,
  shard: string,
  writer: TotalsWriter,
): Promise<{ writes: number; skipped: boolean; unappliedFrom: string | null; error?: unknown }> {
  let watermark: string | null | undefined; // undefined: not known yet
  let writes = 0;
  for (let round = 0; round < MAX_WATERMARK_ROUNDS; round++) {
    const pending = contributionsAfter(plan, watermark ?? null);
    const first = pending[0];
    const last = pending.at(-1);
    // Nothing left: the item already had every record (a redelivery), or the last round applied them.
    if (!first || !last) return { writes, skipped: true, unappliedFrom: null };
    try {
      writes++;
      const byEpoch = sumByEpoch(pending); // [reorg] per-epoch tags, empty before any reorganisation
      const outcome = await writer.applyDelta(
        plan.key,
        sumContributions(pending),
        {
          shard,
          fromSeq: first.seq,
          toSeq: last.seq,
          ...(watermark !== undefined && { expected: watermark }),
        },
        ...(byEpoch.size > 0 ? [byEpoch] : []),
      );
      if (outcome.applied) return { writes, skipped: false, unappliedFrom: null };
      watermark = outcome.appliedThrough;
    } catch (error) {
      return { writes, skipped: false, unappliedFrom: first.seq, error };
    }
  }
  const pending = contributionsAfter(plan, watermark ?? null);
  return {
    writes,
    skipped: false,
    unappliedFrom: pending[0]?.seq ?? null,
    error: new Error(`watermark kept moving for ${plan.key.unitId}`),
  };
}

export async function applyBatch(
  records: readonly RollupRecord[],
  shard: string,
  writer: TotalsWriter,
): Promise<ApplyResult> {
  const plans = planBatch(records);
  const outcomes = await mapConcurrent(plans, WRITE_CONCURRENCY, (plan) => applyPlan(plan, shard, writer));
  let failedFrom: string | null = null;
  for (const o of outcomes) {
    if (o.unappliedFrom !== null && (failedFrom === null || BigInt(o.unappliedFrom) < BigInt(failedFrom))) {
      failedFrom = o.unappliedFrom;
    }
  }
  return {
    writes: outcomes.reduce((n, o) => n + o.writes, 0),
    skipped: outcomes.filter((o) => o.skipped).length,
    failedFrom,
    errors: outcomes.filter((o) => o.error !== undefined).map((o) => o.error),
  };
}
