/**
 * The benchmark's counting machinery on a tiny hierarchy, where every number can be worked out by
 * hand: writes per batch, the naive baseline, redelivery, item sizes, and the stream model.
 */
import { describe, expect, it } from 'vitest';
import {
  CountingTotalsWriter,
  itemId,
  naiveRollup,
  partitionId,
  previousDesignWrites,
  totalsItem,
  WRITE_TIME,
} from '../../../../bench/lib/counting-totals.js';
import { itemSize, readUnits, valueSize, writeUnits } from '../../../../bench/lib/dynamo-size.js';
import { campaignModel, generateEvents, largestChildOfRoot } from '../../../../bench/lib/load.js';
import { percentile } from '../../../../bench/lib/stats.js';
import { awsShardId, shardBatches, shardsSeen, steadyBatching } from '../../../../bench/lib/stream-model.js';
import { applyInBatches } from '../../../../bench/sections/amplification.js';
import { mulberry32 } from '../../../../shared/domain/generate.js';
import type { RolledEvent, RollupRecord } from '../../../../shared/domain/rollup.js';
import { applyBatch } from '../../../../shared/rollup/apply.js';
import { shardKey, watermarkValue } from '../../../../shared/store/watermark.js';

/** Root R → provinces P1, P2 → communes C1, C2 (in P1) and C3 (in P2). */
const tiny = campaignModel({
  campaign: {
    id: 'tiny',
    name: 'Tiny',
    timeZone: 'Asia/Ho_Chi_Minh',
    startDate: '2021-03-01',
    kinds: ['new', 'renewal'],
    groups: ['official'],
  },
  units: [
    { id: 'R', parentId: null, name: 'Root', level: 'nation', target: 600, deadline: '2021-06-30' },
    { id: 'P1', parentId: 'R', name: 'P1', level: 'province', target: 400, deadline: '2021-06-30' },
    { id: 'P2', parentId: 'R', name: 'P2', level: 'province', target: 200, deadline: '2021-06-30' },
    { id: 'C1', parentId: 'P1', name: 'C1', level: 'commune', target: 300, deadline: '2021-06-30' },
    { id: 'C2', parentId: 'P1', name: 'C2', level: 'commune', target: 100, deadline: '2021-06-30' },
    { id: 'C3', parentId: 'P2', name: 'C3', level: 'commune', target: 200, deadline: '2021-06-30' },
  ],
});

const anEvent = (unitId: string, day = '2021-03-13'): RolledEvent => ({
  campaignId: 'tiny',
  unitId,
  path: tiny.hierarchy.ancestorsOf(unitId),
  day,
  count: 1,
  kind: 'new',
  channel: 'fixed',
});

describe('bench load generation', () => {
  it('is deterministic, posts only to communes, and spreads events by target', () => {
    const a = generateEvents(tiny, { count: 3000, random: mulberry32(7), idPrefix: 't', day: '2021-03-13' });
    const b = generateEvents(tiny, { count: 3000, random: mulberry32(7), idPrefix: 't', day: '2021-03-13' });
    expect(a).toEqual(b);
    const byUnit = new Map<string, number>();
    for (const e of a) byUnit.set(e.input.unitId, (byUnit.get(e.input.unitId) ?? 0) + 1);
    expect([...byUnit.keys()].sort()).toEqual(['C1', 'C2', 'C3']);
    // Targets 300 : 100 : 200 → about 1500 : 500 : 1000.
    expect(byUnit.get('C1')).toBeGreaterThan(1350);
    expect(byUnit.get('C2')).toBeLessThan(650);
    for (const e of a) expect(e.rolled.path).toEqual(tiny.hierarchy.ancestorsOf(e.input.unitId));
  });

  it('puts the skewed share into the chosen subtree', () => {
    expect(largestChildOfRoot(tiny)).toBe('P1');
    const events = generateEvents(tiny, {
      count: 2000,
      random: mulberry32(3),
      idPrefix: 's',
      day: '2021-03-13',
      skew: { unitId: 'P2', share: 0.9 },
    });
    const inP2 = events.filter((e) => e.rolled.path.includes('P2')).length;
    // 90 % directly, plus P2's third of the other 10 %.
    expect(inP2 / events.length).toBeGreaterThan(0.9);
  });
});

describe('roll-up write counting', () => {
  it('counts one write per touched DAY item per batch, against 2 × (depth + 1) per event naively', async () => {
    // Arrange: 6 events, all on one day: C1 ×3, C2 ×2, C3 ×1
    const events = ['C1', 'C1', 'C2', 'C3', 'C1', 'C2'].map((unitId, i) => ({
      input: {
        eventId: `e${i}`,
        campaignId: 'tiny',
        unitId,
        occurredAt: '',
        count: 1,
        kind: 'new',
        channel: 'fixed' as const,
      },
      rolled: anEvent(unitId),
    }));
    // Act: one batch of 6, then the same events in batches of 2
    const oneBatch = await applyInBatches(events, 6);
    const threeBatches = await applyInBatches(events, 2);
    const naive = naiveRollup(events.map((e) => e.rolled));
    // Assert: DAY items touched = {C1, C2, C3, P1, P2, R} = 6 in one batch (no running-total item)
    expect(oneBatch.writes).toBe(6);
    expect(oneBatch.busiestItem().writes).toBe(1);
    // batches [C1 C1] [C2 C3] [C1 C2]: (C1,P1,R) + (C2,C3,P1,P2,R) + (C1,C2,P1,R) = 3 + 5 + 4 = 12
    expect(threeBatches.writes).toBe(12);
    expect(
      threeBatches.writesByItem.get(itemId({ campaignId: 'tiny', unitId: 'R', day: '2021-03-13' })),
    ).toBe(3);
    // The previous design wrote each touched unit's TOTAL too: twice as many
    expect(
      previousDesignWrites(
        [
          ['C1', 'C1'],
          ['C2', 'C3'],
          ['C1', 'C2'],
        ].map((b) => b.map((u) => anEvent(u))),
      ),
    ).toEqual({ writes: 24, totalWrites: 12 });
    expect(naive.writes).toBe(6 * 3 * 2);
    expect(naive.writesByItem.get(itemId({ campaignId: 'tiny', unitId: 'R', day: '2021-03-13' }))).toBe(6);
    // The root's TOTAL and DAY items share its partition.
    expect(naive.writesByPartition.get(partitionId({ campaignId: 'tiny', unitId: 'R' }))).toBe(12);
    expect(oneBatch.totalOf('tiny', 'R').count).toBe(6);
  });

  it('counts a redelivered batch as billed condition failures and adds nothing twice', async () => {
    const records: RollupRecord[] = ['C1', 'C3'].map((u, i) => ({ seq: String(100 + i), event: anEvent(u) }));
    const writer = new CountingTotalsWriter();
    await applyBatch(records, 'shard-1', writer);
    const wruAfterFirst = writer.wru;
    await applyBatch(records, 'shard-1', writer);
    expect(writer.writes).toBe(2 * 5);
    expect(writer.conditionFailures).toBe(5);
    expect(writer.wru).toBe(2 * wruAfterFirst);
    expect(writer.totalOf('tiny', 'R').count).toBe(2);
  });

  it('tracks each item size exactly as the stored item measures', async () => {
    const writer = new CountingTotalsWriter();
    for (const [shard, seq] of [
      ['shard-a', '5'],
      ['shard-b', '9'],
      ['shard-a', '7'],
    ] as const) {
      await writer.applyDelta(
        { campaignId: 'tiny', unitId: 'R', day: '2021-03-13' },
        { count: 3, byKind: { new: 2, renewal: 1 }, byChannel: { mobile: 3 }, byGroup: { official: 120 } },
        { shard, fromSeq: seq, toSeq: seq },
      );
    }
    const key = { campaignId: 'tiny', unitId: 'R', day: '2021-03-13' };
    const stored = totalsItem(
      key,
      writer.totalsOf(key),
      new Map([
        [shardKey('shard-a'), watermarkValue('7', WRITE_TIME)],
        [shardKey('shard-b'), watermarkValue('9', WRITE_TIME)],
      ]),
    );
    expect(writer.bytesOf(key)).toBe(itemSize(stored));
    // pk, sk, 5 counts and two watermarks: `~shard-a` (8) + 1 length byte + 1 sequence byte + 2 hour bytes
    expect(stored['~shard-a']).toEqual(watermarkValue('7', WRITE_TIME));
  });
});

describe('DynamoDB item sizes and units', () => {
  it('follows the published size rules', () => {
    expect(itemSize({ a: 'abc' })).toBe(4);
    expect(valueSize(12345)).toBe(4); // 5 significant digits → 3 bytes + 1
    expect(valueSize(1000)).toBe(2); // trailing zeros trimmed
    expect(valueSize(0.5)).toBe(2);
    expect(valueSize(['a', 'b'])).toBe(3 + 2 * 2);
    expect(valueSize({ k: 1 })).toBe(3 + 1 + 1 + 2);
    expect(valueSize(true)).toBe(1);
    expect(itemSize({ name: 'Hưng Yên' })).toBe(4 + Buffer.byteLength('Hưng Yên'));
  });

  it('rounds write units per started KB and read units per started 4 KB', () => {
    expect(writeUnits(1)).toBe(1);
    expect(writeUnits(1024)).toBe(1);
    expect(writeUnits(1025)).toBe(2);
    expect(readUnits(4096, true)).toBe(1);
    expect(readUnits(4097, false)).toBe(1);
    expect(readUnits(100, false)).toBe(0.5);
  });
});

describe('stream model', () => {
  it('fills batches by window at the peak and by size when the window would hold more', () => {
    const peak = steadyBatching({ eventsPerSecond: 1000, shards: 4, batchSize: 1000, windowSeconds: 2 });
    expect(peak).toEqual({ eventsPerBatch: 500, batchesPerSecondPerShard: 0.5, batchesPerSecond: 2 });
    const full = steadyBatching({ eventsPerSecond: 4000, shards: 2, batchSize: 1000, windowSeconds: 2 });
    expect(full.eventsPerBatch).toBe(1000);
    expect(full.batchesPerSecond).toBe(4);
  });

  it('deals events round robin to shards and cuts each shard into batches in order', () => {
    const batches = shardBatches([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], {
      eventsPerSecond: 2,
      shards: 2,
      batchSize: 3,
      windowSeconds: 2,
    });
    expect(batches).toEqual([
      { shard: 0, events: [0, 2] },
      { shard: 0, events: [4, 6] },
      { shard: 0, events: [8] },
      { shard: 1, events: [1, 3] },
      { shard: 1, events: [5, 7] },
      { shard: 1, events: [9] },
    ]);
  });

  it('counts the shards a long-lived item has seen and names them as AWS does', () => {
    expect(shardsSeen(4, 4, 1)).toBe(24);
    expect(shardsSeen(4, 4, 90)).toBe(2160);
    expect(awsShardId(3)).toMatch(/^shardId-\d{20}-[0-9a-f]{8}$/);
    expect(new Set(Array.from({ length: 100 }, (_, i) => awsShardId(i))).size).toBe(100);
  });
});

describe('percentile()', () => {
  it('interpolates between closest ranks', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([10, 20, 30, 40, 50], 95)).toBe(48);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });
});
