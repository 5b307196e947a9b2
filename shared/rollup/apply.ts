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
 *
 * Corrections (an IntakeEvents item with `corrects`; docs/ARCHITECTURE.md, corrections). A
 * correction moves every total that counted the original by (count in force after it − count in
 * force before it), where the count in force is the latest correction's by occurredAt (ties: the
 * greater eventId), else the original's. Exactly once, in any order, in two steps:
 * 1. Admission, before any DAY write of the batch: on the original's correction state item (its
 *    unit's partition of the Campaign table, `CORR#<originalId>`), a conditional UpdateItem on an
 *    optimistic version records this correction's delta and `from` (shared/domain/corrections.ts,
 *    shared/store/correction-store.ts). A lost race returns the stored state with the failure
 *    (ALL_OLD), and the admission is recomputed on it. A correction already recorded returns its
 *    recorded delta: a redelivery, or a retry after a failure anywhere, reuses the same number. An
 *    older correction arriving after a later one is recorded with delta 0.
 *    Why the sum is right whatever the order: each admission moves the state from in-force x to
 *    in-force y and records y − x, and admissions of one original are serialised by the version,
 *    so the recorded deltas telescope to (final in force − original count), which is exactly what
 *    the totals must move by.
 * 2. Application: the recorded delta enters planBatch as this record's (signed) contribution to
 *    the original's DAY item of its unit and every ancestor (by kind, channel, group), through the
 *    same watermarked writes as any event; so each delta is added exactly once.
 *    If some admissions fail, only the records before the earliest failed one are applied and that
 *    one is reported failed: the prefix rule above still holds, and the retry re-admits (reusing
 *    what was recorded) and applies the rest.
 * A correction rolled up before its original (the original's record on another shard, not yet
 * applied) can briefly take a DAY item below zero; the item is exact once both are applied. Such
 * a total is reported by the writer (`negative`), logged as an error and counted (metric
 * negativeTotals), never clamped: clamping would lose the delta for good.
 */
import {
  compareSeq,
  contributionsAfter,
  type ItemPlan,
  planBatch,
  type RollupRecord,
  sumByEpoch,
  sumContributions,
} from '../domain/rollup.js';
import type { CorrectionAdmitter } from '../store/correction-store.js';
import type { TotalsKey, TotalsWriter } from '../store/totals-store.js';
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
  /** Corrections admitted or re-read in this attempt, with their deltas. */
  readonly corrections: number;
  /** DAY items that this batch left with a count below zero, and which counts (never clamped). */
  readonly negative: readonly { readonly key: TotalsKey; readonly counts: readonly string[] }[];
}

async function applyPlan(
  plan: ItemPlan,
  shard: string,
  writer: TotalsWriter,
): Promise<{
  writes: number;
  skipped: boolean;
  unappliedFrom: string | null;
  error?: unknown;
  negative?: readonly string[];
}> {
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
      const byEpoch = sumByEpoch(pending); // per-epoch tags, empty before any reorganisation
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
      if (outcome.applied) {
        return {
          writes,
          skipped: false,
          unappliedFrom: null,
          ...(outcome.negative !== undefined &&
            outcome.negative.length > 0 && { negative: outcome.negative }),
        };
      }
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

/**
 * Step 1 for corrections: each correction record's delta, by sequence number, admitted one original
 * at a time (in stream order within an original), originals concurrently. `failedFrom`: the earliest
 * correction whose admission failed.
 */
async function admitCorrections(
  records: readonly RollupRecord[],
  admitter: CorrectionAdmitter | undefined,
): Promise<{ deltas: Map<string, number>; failedFrom: string | null; errors: unknown[]; admitted: number }> {
  const byOriginal = new Map<string, RollupRecord[]>();
  for (const r of records) {
    const c = r.event.correction;
    if (!c) continue;
    const id = `${r.event.campaignId}\u0000${c.corrects}`;
    byOriginal.set(id, [...(byOriginal.get(id) ?? []), r]);
  }
  const deltas = new Map<string, number>();
  const errors: unknown[] = [];
  let failedFrom: string | null = null;
  let admitted = 0;
  if (byOriginal.size === 0) return { deltas, failedFrom, errors, admitted };
  if (!admitter) throw new Error('The batch holds corrections but the roll-up was given no correction store');
  await mapConcurrent([...byOriginal.values()], WRITE_CONCURRENCY, async (group) => {
    for (const { seq, event } of [...group].sort((a, b) => compareSeq(a.seq, b.seq))) {
      const c = event.correction;
      if (!c) continue;
      try {
        const admission = await admitter.admit(
          { campaignId: event.campaignId, unitId: event.unitId, originalId: c.corrects },
          { eventId: c.eventId, occurredAt: c.occurredAt, count: event.count },
          c.originalCount,
        );
        deltas.set(seq, admission.delta);
        admitted++;
      } catch (error) {
        errors.push(error);
        if (failedFrom === null || compareSeq(seq, failedFrom) < 0) failedFrom = seq;
        return; // later corrections of this original wait for the retry
      }
    }
  });
  return { deltas, failedFrom, errors, admitted };
}

export async function applyBatch(
  records: readonly RollupRecord[],
  shard: string,
  writer: TotalsWriter,
  corrections?: CorrectionAdmitter,
): Promise<ApplyResult> {
  const admission = await admitCorrections(records, corrections);
  const cutoff = admission.failedFrom;
  // Records from the first unadmitted correction on wait for the retry (the applied ones stay a prefix).
  const applicable = cutoff === null ? records : records.filter((r) => compareSeq(r.seq, cutoff) < 0);
  const plans = planBatch(applicable, admission.deltas);
  const outcomes = await mapConcurrent(plans, WRITE_CONCURRENCY, (plan) => applyPlan(plan, shard, writer));
  let failedFrom: string | null = cutoff;
  for (const o of outcomes) {
    if (o.unappliedFrom !== null && (failedFrom === null || BigInt(o.unappliedFrom) < BigInt(failedFrom))) {
      failedFrom = o.unappliedFrom;
    }
  }
  return {
    writes: outcomes.reduce((n, o) => n + o.writes, 0),
    skipped: outcomes.filter((o) => o.skipped).length,
    failedFrom,
    errors: [...admission.errors, ...outcomes.filter((o) => o.error !== undefined).map((o) => o.error)],
    corrections: admission.admitted,
    negative: plans.flatMap((plan, i) => {
      const counts = outcomes[i]?.negative;
      return counts ? [{ key: plan.key, counts }] : [];
    }),
  };
}
