/**
 * Hot keys at the national peak. A modelled peak of 1,000 events/s is cut into roll-up invocations
 * the way Lambda's event source mapping cuts it (bench/lib/stream-model.ts, with the topology's batch
 * size and window), each invocation is applied with the real applyBatch against the counting writer,
 * and the writes landing on the root's partition (its TOTAL and DAY items share the partition key
 * `C#<campaign>#U#<root>`) are counted per second, beside the naive pattern and DynamoDB's limit of
 * 1,000 write units per second per partition.
 *
 * Assumptions (stated in the notes too):
 * - 4 active stream shards: a new on-demand table starts with capacity for 4,000 writes/s, i.e. about
 *   4 partitions, and a stream has about one shard per partition;
 * - shards are replaced about every 4 hours (AWS documents only that shards are ephemeral; ~4 h is
 *   what is commonly observed). The roll-up keeps one watermark attribute per shard on every item it
 *   writes and removes those no shard has written for WATERMARK_PRUNE_AFTER_SECONDS (30 h, past the
 *   stream's 24 h retention), so a long-lived item (TOTAL) names at most the shards of the last 30 h;
 *   DynamoDB bills a write by the item's size (1 WRU per started KB). That size is projected, not measured.
 */
import { functions } from '../../infra/topology.js';
import { mulberry32 } from '../../shared/domain/generate.js';
import type { RollupRecord } from '../../shared/domain/rollup.js';
import { applyBatch } from '../../shared/rollup/apply.js';
import { padSequence, WATERMARK_PRUNE_AFTER_SECONDS } from '../../shared/store/totals-store.js';
import { CountingTotalsWriter, naiveRollup, partitionId, totalsItem } from '../lib/counting-totals.js';
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

export function peakStreamModel(): StreamModel {
  const stream = functions.find((f) => f.stream)?.stream;
  if (!stream) throw new Error('the topology has no stream-triggered function');
  return {
    eventsPerSecond: PEAK_EVENTS_PER_SECOND,
    shards: ASSUMED_SHARDS,
    batchSize: stream.batchSize,
    windowSeconds: stream.maxBatchingWindowSeconds,
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
  return { writer, batches: batches.length };
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
    const steady = steadyBatching(model);
    const seconds = ctx.quick ? 10 : 30;
    const count = PEAK_EVENTS_PER_SECOND * seconds;
    const uniform = generateEvents(national, {
      count,
      random: mulberry32(ctx.seed + 10),
      idPrefix: 'hot-u',
      day: '2021-03-13',
    });
    const skewed = generateEvents(national, {
      count,
      random: mulberry32(ctx.seed + 11),
      idPrefix: 'hot-s',
      day: '2021-03-13',
      skew: { unitId: province, share: 0.8 },
    });

    const u = await simulate(uniform, model);
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

    // What the peak costs per invocation, for the cost section.
    const totalWrites = [...u.writer.writesByItem].filter(([id]) => id.endsWith('|TOTAL'));
    ctx.measured.peakEventsPerBatch = count / u.batches;
    ctx.measured.peakWritesPerBatch = u.writer.writes / u.batches;
    ctx.measured.peakWruPerBatch = u.writer.wru / u.batches;
    ctx.measured.peakTotalWriteShare = totalWrites.reduce((n, [, w]) => n + w, 0) / u.writer.writes;
    ctx.measured.naiveWritesPerEvent = naiveU.writes / count;

    // Projection: the root's TOTAL item after PROJECTION_DAYS of shard roll-over, and a DAY item's
    // after one day; the counts are the simulated root item's.
    const rootTotalKey = { campaignId, unitId: root, day: null };
    const rootDayKey = { campaignId, unitId: root, day: '2021-03-13' };
    const watermarks = (n: number) =>
      new Map(Array.from({ length: n }, (_, i) => [awsShardId(i), padSequence(sequenceNumber(i))]));
    // Pruning keeps only the shards that wrote in the last WATERMARK_PRUNE_AFTER_SECONDS, whatever the day.
    const totalShards = shardsSeen(
      model.shards,
      SHARD_ROLLOVER_HOURS,
      WATERMARK_PRUNE_AFTER_SECONDS / 86_400,
    );
    const dayShards = shardsSeen(model.shards, SHARD_ROLLOVER_HOURS, 1);
    const dayOneBytes = itemSize(
      totalsItem(rootTotalKey, u.writer.totalsOf(rootTotalKey), watermarks(model.shards)),
    );
    const projectedTotalBytes = itemSize(
      totalsItem(rootTotalKey, u.writer.totalsOf(rootTotalKey), watermarks(totalShards)),
    );
    const projectedDayBytes = itemSize(
      totalsItem(rootDayKey, u.writer.totalsOf(rootDayKey), watermarks(dayShards)),
    );
    const totalWru = writeUnits(projectedTotalBytes);
    ctx.measured.projectedTotalItemWru = totalWru;
    ctx.measured.projectedDayItemWru = writeUnits(projectedDayBytes);
    // The root partition takes one TOTAL and one DAY write per invocation (two DAY items when a batch
    // holds late events of the day before).
    const rootTotalWrites = perSecond(u.writer.writesByItem.get(`${campaignId}|${root}|TOTAL`));
    const rootDayWrites = rootWrites - rootTotalWrites;
    const projectedRootWcu = rootTotalWrites * totalWru + rootDayWrites * writeUnits(projectedDayBytes);

    const assumptions =
      `${PEAK_EVENTS_PER_SECOND} events/s for ${seconds} s over the national campaign (uniform by target), ` +
      `${model.shards} stream shards (assumed), batch size ${model.batchSize} and window ${model.windowSeconds} s ` +
      `(topology): ${steady.eventsPerBatch} records per invocation, ${steady.batchesPerSecond} invocations/s; ` +
      `real applyBatch per invocation`;
    const rows = [
      row(
        'hotkey',
        'root partition writes/s at 1,000 events/s',
        rootWrites,
        'writes/s',
        'DynamoDB limit per partition',
        PARTITION_WCU_PER_SECOND,
        `${assumptions}; the root's TOTAL and DAY items share its partition key: ${rootTotalWrites.toFixed(1)} TOTAL + ` +
          `${rootDayWrites.toFixed(1)} DAY writes/s (5 % of events are late uploads of the day before, a second DAY item)`,
      ),
      row(
        'hotkey',
        'root partition writes/s, naive ADD per event',
        naiveRootWrites,
        'writes/s',
        'DynamoDB limit per partition',
        PARTITION_WCU_PER_SECOND,
        'every event adds to the root TOTAL and the root DAY item: 2 writes per event on one partition; throttled above 1.0×',
      ),
      row(
        'hotkey',
        `busiest province partition writes/s, 80 % skew`,
        provinceWrites,
        'writes/s',
        'naive ADD per event, same load',
        naiveProvinceWrites,
        `80 % of the 1,000 events/s into province ${province} (the largest by target)`,
      ),
      row(
        'hotkey',
        `root TOTAL write units per write, day ${PROJECTION_DAYS} (projected)`,
        totalWru,
        'WRU',
        'day 1 (measured item size)',
        writeUnits(dayOneBytes),
        `PROJECTION, not measured: the roll-up keeps a watermark attribute per stream shard on each item and prunes ` +
          `those not written for ${WATERMARK_PRUNE_AFTER_SECONDS / 3600} h; with ${model.shards} shards replaced every ` +
          `~${SHARD_ROLLOVER_HOURS} h (assumed) a TOTAL item names at most ${totalShards.toLocaleString('en-US')} shards on ` +
          `any day, day ${PROJECTION_DAYS} included: ${(projectedTotalBytes / 1024).toFixed(1)} KB (day 1: ${dayOneBytes} B), ` +
          `billed by size on every write; far below DynamoDB's 400 KB item limit`,
      ),
      row(
        'hotkey',
        `root partition WCU/s at 1,000 events/s, day ${PROJECTION_DAYS} (projected)`,
        projectedRootWcu,
        'WCU/s',
        'DynamoDB limit per partition',
        PARTITION_WCU_PER_SECOND,
        `PROJECTION: ${rootTotalWrites.toFixed(1)} TOTAL writes/s × ${totalWru} WRU + ${rootDayWrites.toFixed(1)} DAY writes/s × ` +
          `${writeUnits(projectedDayBytes)} WRU (a DAY item names ${dayShards} shards)`,
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
        rootTotalWritesPerSecond: rootTotalWrites,
        projectedTotalItemBytes: projectedTotalBytes,
        projectedDayItemBytes: projectedDayBytes,
        shardsSeenByTotalItem: totalShards,
      },
    };
  },
};
