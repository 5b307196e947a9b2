/**
 * Hot keys at the national peak. A modelled peak of 1,000 events/s is cut into roll-up invocations
 * the way Lambda's event source mapping cuts it (bench/lib/stream-model.ts, with the topology's batch
 * size and window, and again with a 2 s window: the trade between cost and latency), each invocation
 * is applied with the real applyBatch against the counting writer, and the writes landing on the
 * root's partition (its DAY items share the partition key `C#<campaign>#U#<root>`) are counted per
 * second, beside the naive pattern and DynamoDB's limit of 1,000 write units per second per partition.
 *
 * Assumptions (stated in the notes too):
 * - 4 active stream shards: a new on-demand table starts with capacity for 4,000 writes/s, i.e. about
 *   4 partitions, and a stream has about one shard per partition;
 * - shards are replaced about every 4 hours (AWS documents only that shards are ephemeral; ~4 h is
 *   what is commonly observed). The roll-up keeps one watermark per shard on each DAY item it writes
 *   and removes those no shard has written for WATERMARK_PRUNE_AFTER_HOURS, so the busiest DAY item
 *   (the root's, written by every batch of its day and, through late uploads, of the next) names at
 *   most the shards of the last 27 h, whatever the campaign's age; DynamoDB bills a write by the
 *   item's size (1 WRU per started KB). The size is projected here and measured on DynamoDB Local by
 *   the `watermarks` section.
 */
import { functions } from '../../infra/topology.js';
import { mulberry32 } from '../../shared/domain/generate.js';
import type { RollupRecord } from '../../shared/domain/rollup.js';
import { applyBatch } from '../../shared/rollup/apply.js';
import { WATERMARK_PRUNE_AFTER_HOURS } from '../../shared/store/watermark.js';
import {
  CountingTotalsWriter,
  itemId,
  naiveRollup,
  partitionId,
  previousDesignItem,
  previousDesignWrites,
  totalsItem,
  watermarksFor,
} from '../lib/counting-totals.js';
import { itemSize, writeUnits } from '../lib/dynamo-size.js';
import { type GeneratedEvent, generateEvents, largestChildOfRoot } from '../lib/load.js';
import { nationalModel, sequenceNumber } from '../lib/national.js';
import {
  awsShardId,
  type StreamModel,
  shardBatches,
  shardsSeen,
  steadyBatching,
} from '../lib/stream-model.js';
import { row, type Section } from '../lib/types.js';

export const PEAK_EVENTS_PER_SECOND = 1000;
export const PARTITION_WCU_PER_SECOND = 1000;
export const ASSUMED_SHARDS = 4;
export const SHARD_ROLLOVER_HOURS = 4;
export const PROJECTION_DAYS = 90;
/** The other setting the bench shows the cost/latency trade at. */
export const ALTERNATIVE_WINDOW_SECONDS = 2;
/** A sequence number of the length AWS streams write (28 digits), for sizes. */
export const AWS_LENGTH_SEQUENCE = '4421584500000000017450439091';
/** The previous design pruned watermarks after 30 h (TOTAL items) and a DAY item saw a day's shards. */
const PREVIOUS_TOTAL_SHARDS = shardsSeen(ASSUMED_SHARDS, SHARD_ROLLOVER_HOURS, 30 / 24);
const PREVIOUS_DAY_SHARDS = shardsSeen(ASSUMED_SHARDS, SHARD_ROLLOVER_HOURS, 1);

/**
 * The most shards whose watermarks one item can hold: a shard's last write is kept while younger than
 * WATERMARK_PRUNE_AFTER_HOURS (read in whole hours), and a shard lives SHARD_ROLLOVER_HOURS, so the
 * generations that started in the last PRUNE + ROLLOVER − 1 hours can all be there.
 */
export function maxShardsOnAnItem(shards: number): number {
  return shards * Math.ceil((WATERMARK_PRUNE_AFTER_HOURS + SHARD_ROLLOVER_HOURS - 1) / SHARD_ROLLOVER_HOURS);
}

export function peakStreamModel(windowSeconds?: number): StreamModel {
  const stream = functions.find((f) => f.stream)?.stream;
  if (!stream) throw new Error('the topology has no stream-triggered function');
  return {
    eventsPerSecond: PEAK_EVENTS_PER_SECOND,
    shards: ASSUMED_SHARDS,
    batchSize: stream.batchSize,
    windowSeconds: windowSeconds ?? stream.maxBatchingWindowSeconds,
  };
}

/** Applies the events as the mapping would deliver them; each shard with its own sequence numbers. */
async function simulate(events: readonly GeneratedEvent[], model: StreamModel) {
  const writer = new CountingTotalsWriter();
  const nextSeq = new Map<number, number>();
  const batches = shardBatches(events, model);
  for (const batch of batches) {
    let seq = nextSeq.get(batch.shard) ?? 0;
    const records: RollupRecord[] = batch.events.map((e) => ({
      seq: sequenceNumber(seq++),
      event: e.rolled,
    }));
    nextSeq.set(batch.shard, seq);
    const result = await applyBatch(records, awsShardId(batch.shard), writer);
    if (result.failedFrom !== null) throw new Error(`applyBatch failed from ${result.failedFrom}`);
  }
  const previous = previousDesignWrites(batches.map((b) => b.events.map((e) => e.rolled)));
  return { writer, batches: batches.length, previous };
}

export const hotkey: Section = {
  name: 'hotkey',
  title: 'Hot keys at a national peak of 1,000 events/s',
  async run(ctx) {
    const national = nationalModel(ctx.seed);
    const campaignId = national.file.campaign.id;
    const root = national.hierarchy.root.id;
    const province = largestChildOfRoot(national);
    const model = peakStreamModel();
    const alternative = peakStreamModel(ALTERNATIVE_WINDOW_SECONDS);
    const steady = steadyBatching(model);
    const seconds = ctx.quick ? 10 : 30;
    const count = PEAK_EVENTS_PER_SECOND * seconds;
    const day = '2021-03-13';
    const uniform = generateEvents(national, {
      count,
      random: mulberry32(ctx.seed + 10),
      idPrefix: 'hot-u',
      day,
    });
    const skewed = generateEvents(national, {
      count,
      random: mulberry32(ctx.seed + 11),
      idPrefix: 'hot-s',
      day,
      skew: { unitId: province, share: 0.8 },
    });

    const u = await simulate(uniform, model);
    const alt = await simulate(uniform, alternative);
    const s = await simulate(skewed, model);
    const naiveU = naiveRollup(uniform.map((e) => e.rolled));
    const naiveS = naiveRollup(skewed.map((e) => e.rolled));
    const rootPk = partitionId({ campaignId, unitId: root });
    const provincePk = partitionId({ campaignId, unitId: province });
    const perSecond = (n: number | undefined) => (n ?? 0) / seconds;
    const rootWrites = perSecond(u.writer.writesByPartition.get(rootPk));
    const naiveRootWrites = perSecond(naiveU.writesByPartition.get(rootPk));
    const provinceWrites = perSecond(s.writer.writesByPartition.get(provincePk));
    const naiveProvinceWrites = perSecond(naiveS.writesByPartition.get(provincePk));
    const rootDayKey = { campaignId, unitId: root, day };
    const hottest = perSecond(u.writer.writesByItem.get(itemId(rootDayKey)));
    // The previous design (2 s window) wrote the root's TOTAL and DAY items once per invocation each.
    const previousHottest = perSecond(alt.writer.writesByItem.get(itemId(rootDayKey)));

    // Projection: the busiest DAY item (the root's) with the watermarks of every shard of the last
    // WATERMARK_PRUNE_AFTER_HOURS, in the store's encoding, with AWS-length sequence numbers.
    const dayShards = maxShardsOnAnItem(model.shards);
    const shardIds = (n: number) => Array.from({ length: n }, (_, i) => awsShardId(i));
    const rootDayTotals = u.writer.totalsOf(rootDayKey);
    const projectedDayBytes = itemSize(
      totalsItem(rootDayKey, rootDayTotals, watermarksFor(shardIds(dayShards), AWS_LENGTH_SEQUENCE)),
    );
    const dayOneBytes = itemSize(
      totalsItem(rootDayKey, rootDayTotals, watermarksFor(shardIds(model.shards), AWS_LENGTH_SEQUENCE)),
    );
    const dayWru = writeUnits(projectedDayBytes);
    ctx.measured.projectedDayItemWru = dayWru;
    // The previous design's items on day 90 (TOTAL: the last 30 h of shards; DAY: a day's).
    const previousTotalBytes = itemSize(
      previousDesignItem(
        { campaignId, unitId: root, day: null },
        u.writer.totalOf(campaignId, root),
        shardIds(PREVIOUS_TOTAL_SHARDS),
        AWS_LENGTH_SEQUENCE,
      ),
    );
    const previousDayBytes = itemSize(
      previousDesignItem(rootDayKey, rootDayTotals, shardIds(PREVIOUS_DAY_SHARDS), AWS_LENGTH_SEQUENCE),
    );

    // What the peak costs per invocation, for the cost section.
    ctx.measured.peakEventsPerBatch = count / u.batches;
    ctx.measured.peakWritesPerBatch = u.writer.writes / u.batches;
    ctx.measured.peakWruPerBatch = u.writer.wru / u.batches;
    ctx.measured.naiveWritesPerEvent = naiveU.writes / count;
    ctx.measured.alternative = {
      windowSeconds: ALTERNATIVE_WINDOW_SECONDS,
      eventsPerBatch: count / alt.batches,
      writesPerBatch: alt.writer.writes / alt.batches,
    };
    ctx.measured.previousDesign = {
      windowSeconds: ALTERNATIVE_WINDOW_SECONDS,
      eventsPerBatch: count / alt.batches,
      writesPerBatch: alt.previous.writes / alt.batches,
      totalWriteShare: alt.previous.totalWrites / alt.previous.writes,
      totalItemWruDay90: writeUnits(previousTotalBytes),
      dayItemWruDay90: writeUnits(previousDayBytes),
    };

    const assumptions =
      `${PEAK_EVENTS_PER_SECOND} events/s for ${seconds} s over the national campaign (uniform by target), ` +
      `${model.shards} stream shards (assumed), batch size ${model.batchSize} and window ${model.windowSeconds} s ` +
      `(topology): ${steady.eventsPerBatch} records per invocation, ${steady.batchesPerSecond} invocations/s; ` +
      `real applyBatch per invocation`;
    const rows = [
      row(
        'hotkey.root.writesPerSecond',
        'root partition writes/s at 1,000 events/s',
        rootWrites,
        'writes/s',
        'DynamoDB limit per partition',
        PARTITION_WCU_PER_SECOND,
        `${assumptions}; only DAY items are written: the root's of the day ${hottest.toFixed(1)} writes/s and of the day ` +
          `before ${(rootWrites - hottest).toFixed(1)} (5 % of events are late uploads)`,
      ),
      row(
        'hotkey.root.naiveWritesPerSecond',
        'root partition writes/s, naive ADD per event',
        naiveRootWrites,
        'writes/s',
        'DynamoDB limit per partition',
        PARTITION_WCU_PER_SECOND,
        'every event adds to the root TOTAL and the root DAY item: 2 writes per event on one partition; throttled above 1.0×',
      ),
      row(
        'hotkey.province.skewed.writesPerSecond',
        'busiest province partition writes/s, 80 % skew',
        provinceWrites,
        'writes/s',
        'naive ADD per event, same load',
        naiveProvinceWrites,
        `80 % of the 1,000 events/s into province ${province} (the largest by target)`,
      ),
      row(
        'hotkey.hottestItem.writesPerSecond',
        'hottest item (root DAY) writes/s at 1,000 events/s',
        hottest,
        'writes/s',
        `same item, ${ALTERNATIVE_WINDOW_SECONDS} s window (previous default)`,
        previousHottest,
        `one write per invocation per shard: ${model.shards} shards / ${model.windowSeconds} s window; the previous design ` +
          `also wrote the root TOTAL ${previousHottest.toFixed(1)} times a second (its hottest items: ${previousHottest.toFixed(1)} ` +
          'writes/s each). The shorter window is what makes a total visible within 2 s; per 10,000 events the hottest item ' +
          'still takes one write per batch (amplification rows)',
      ),
      row(
        'hotkey.dayItem.wru.day90',
        `busiest DAY item write units per write, day ${PROJECTION_DAYS} (projected)`,
        dayWru,
        'WRU',
        `previous design: root TOTAL item, day ${PROJECTION_DAYS}`,
        writeUnits(previousTotalBytes),
        `PROJECTION (measured on DynamoDB Local by the watermarks section): the root's DAY item names at most the ` +
          `${dayShards} shards that can have written it in the last ${WATERMARK_PRUNE_AFTER_HOURS} h (${model.shards} shards replaced every ` +
          `~${SHARD_ROLLOVER_HOURS} h, assumed), whatever the campaign's age: ${projectedDayBytes} B with 28-digit sequence ` +
          `numbers (with ${model.shards} shards: ${dayOneBytes} B); the previous design's root TOTAL named ` +
          `${PREVIOUS_TOTAL_SHARDS} shards as \`w:<shardId>\` = 40 digits|seconds: ${previousTotalBytes} B ` +
          `(its DAY item ${previousDayBytes} B)`,
      ),
      row(
        'hotkey.root.wcuPerSecond.day90',
        `root partition WCU/s at 1,000 events/s, day ${PROJECTION_DAYS} (projected)`,
        rootWrites * dayWru,
        'WCU/s',
        'DynamoDB limit per partition',
        PARTITION_WCU_PER_SECOND,
        `PROJECTION: ${rootWrites.toFixed(1)} DAY writes/s × ${dayWru} WRU`,
      ),
    ];
    return {
      rows,
      details: {
        model,
        steady,
        seconds,
        invocations: u.batches,
        writesPerInvocation: u.writer.writes / u.batches,
        wruPerInvocation: u.writer.wru / u.batches,
        alternative: ctx.measured.alternative,
        previousDesign: ctx.measured.previousDesign,
        projectedDayItemBytes: projectedDayBytes,
        shardsSeenByDayItem: dayShards,
        previousTotalItemBytes: previousTotalBytes,
        previousDayItemBytes: previousDayBytes,
      },
    };
  },
};
