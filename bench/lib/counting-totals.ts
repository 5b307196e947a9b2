/**
 * Request counting for the roll-up, in memory.
 *
 * `CountingTotalsWriter` is a TotalsWriter with DynamoDB's conditional semantics for the per-shard
 * watermark as DynamoTotalsStore stores it (shared/store/watermark.ts; the condition is
 * test/support/memory-totals-writer.ts's, without fault injection or pruning) that counts every
 * UpdateItem the roll-up sends, per item and per partition, and the write units each would consume,
 * from the size of the item as the store lays it out (shared/store/keys.ts).
 *
 * `naiveRollup` counts what the common sample pattern sends: one `UpdateItem ADD` per event per
 * item (the unit and every ancestor, a running TOTAL and the DAY), with no aggregation and no
 * exactly-once guard. `previousDesign` counts the design before DAY-only items: the same
 * aggregation, but a TOTAL item written beside each DAY item.
 */
import type { RolledEvent } from '../../shared/domain/rollup.js';
import { addTotals, emptyTotals, type Totals } from '../../shared/domain/totals.js';
import { dayKey } from '../../shared/store/keys.js';
import type { ApplyOutcome, TotalsKey, TotalsWriter } from '../../shared/store/totals-store.js';
import { shardKey, watermarkValue } from '../../shared/store/watermark.js';
import { watermarkRefusal } from '../../test/support/memory-totals-writer.js';
import { itemSize, valueSize, writeUnits } from './dynamo-size.js';

/** A totals item's id in the counts; `day` null is the previous design's (and the naive) running TOTAL. */
export const itemId = (key: { campaignId: string; unitId: string; day: string | null }) =>
  `${key.campaignId}|${key.unitId}|${key.day ?? 'TOTAL'}`;
/** Totals items of a unit share its partition key (`C#<campaign>#U#<unit>`). */
export const partitionId = (key: { campaignId: string; unitId: string }) =>
  dayKey(key.campaignId, key.unitId, '').pk;

/** The epoch second the counting writer stamps on watermarks (the hour suffix is 2 bytes whatever it is). */
export const WRITE_TIME = 1_615_600_000;

/** A DAY item as DynamoTotalsStore stores it: keys, counts, and Binary watermarks named by shard key. */
export function totalsItem(
  key: TotalsKey,
  totals: Totals,
  watermarks: ReadonlyMap<string, Uint8Array>,
): Record<string, unknown> {
  const item: Record<string, unknown> = { ...dayKey(key.campaignId, key.unitId, key.day), n: totals.count };
  for (const [prefix, counts] of [
    ['k:', totals.byKind],
    ['c:', totals.byChannel],
    ['g:', totals.byGroup],
  ] as const) {
    for (const [code, n] of Object.entries(counts)) item[`${prefix}${code}`] = n;
  }
  for (const [name, value] of watermarks) item[name] = value;
  return item;
}

/** `n` watermarks as the store writes them: AWS-style shard ids, sequence numbers of AWS's length. */
export function watermarksFor(shardIds: readonly string[], seq: string): Map<string, Uint8Array> {
  return new Map(shardIds.map((id) => [shardKey(id), watermarkValue(seq, WRITE_TIME)]));
}

/**
 * The previous design's item (before DAY-only): `w:<shardId>` = `<sequence padded to 40>|<epoch s>`,
 * and copies of campaignId, unitId (and day), for the projection beside it.
 */
export function previousDesignItem(
  key: { campaignId: string; unitId: string; day: string | null },
  totals: Totals,
  shardIds: readonly string[],
  seq: string,
): Record<string, unknown> {
  const { sk: _sk, ...rest } = totalsItem({ ...key, day: key.day ?? '' }, totals, new Map());
  const item: Record<string, unknown> = { ...rest, sk: key.day === null ? 'TOTAL' : `DAY#${key.day}` };
  for (const id of shardIds) item[`w:${id}`] = `${seq.padStart(40, '0')}|${WRITE_TIME}`;
  item.campaignId = key.campaignId;
  item.unitId = key.unitId;
  if (key.day !== null) item.day = key.day;
  return item;
}

interface StoredItem {
  key: TotalsKey;
  totals: Totals;
  watermarks: Map<string, Uint8Array>;
  /** The item's size now (0 before its first write). */
  bytes: number;
  /** Size of the attributes that never change: the keys. */
  fixedBytes: number;
  /** Size of the watermark attributes (names and values). */
  watermarkBytes: number;
}

/**
 * The size of a totals item, kept up to date cheaply (the hot-key run writes hundreds of thousands
 * of times): equal to `itemSize(totalsItem(key, totals, watermarks))`, which a unit test checks.
 */
function fixedSize(key: TotalsKey): number {
  return itemSize(totalsItem(key, emptyTotals(), new Map())) - itemSize({ n: 0 });
}
function countsSize(totals: Totals): number {
  let size = 1 + valueSize(totals.count);
  for (const [prefix, counts] of [
    ['k:', totals.byKind],
    ['c:', totals.byChannel],
    ['g:', totals.byGroup],
  ] as const) {
    for (const [code, n] of Object.entries(counts)) size += prefix.length + code.length + valueSize(n);
  }
  return size;
}

export class CountingTotalsWriter implements TotalsWriter {
  readonly items = new Map<string, StoredItem>();
  readonly writesByItem = new Map<string, number>();
  readonly writesByPartition = new Map<string, number>();
  writes = 0;
  /** Writes whose condition failed (the item already had those records): still billed. */
  conditionFailures = 0;
  /** Write request units, when sizes are tracked. */
  wru = 0;

  /** `sizes: false` skips the item-size bookkeeping (for CPU measurements). */
  constructor(private readonly options: { sizes: boolean } = { sizes: true }) {}

  async applyDelta(
    key: TotalsKey,
    delta: Totals,
    watermark: { shard: string; fromSeq: string; toSeq: string; expected?: string | null },
  ): Promise<ApplyOutcome> {
    const id = itemId(key);
    this.writes++;
    this.writesByItem.set(id, (this.writesByItem.get(id) ?? 0) + 1);
    const pk = partitionId(key);
    this.writesByPartition.set(pk, (this.writesByPartition.get(pk) ?? 0) + 1);
    const item = this.items.get(id) ?? {
      key,
      totals: emptyTotals(),
      watermarks: new Map<string, Uint8Array>(),
      bytes: 0,
      fixedBytes: this.options.sizes ? fixedSize(key) : 0,
      watermarkBytes: 0,
    };
    const name = shardKey(watermark.shard);
    const stored = item.watermarks.get(name);
    const refused = watermarkRefusal(stored, watermark);
    if (refused) {
      this.conditionFailures++;
      if (this.options.sizes) this.wru += writeUnits(item.bytes);
      return refused;
    }
    item.totals = addTotals(item.totals, delta);
    const value = watermarkValue(watermark.toSeq, WRITE_TIME);
    if (this.options.sizes) {
      item.watermarkBytes += stored === undefined ? name.length + value.length : value.length - stored.length;
    }
    item.watermarks.set(name, value);
    if (this.options.sizes) {
      const after = item.fixedBytes + countsSize(item.totals) + item.watermarkBytes;
      this.wru += writeUnits(Math.max(item.bytes, after));
      item.bytes = after;
    }
    this.items.set(id, item);
    return { applied: true };
  }

  /** The item written most often, and how often. */
  busiestItem(): { id: string; writes: number } {
    let best = { id: '', writes: 0 };
    for (const [id, writes] of this.writesByItem) if (writes > best.writes) best = { id, writes };
    return best;
  }

  /** The current size of an item, as tracked (0 when unknown or sizes are off). */
  bytesOf(key: TotalsKey): number {
    return this.items.get(itemId(key))?.bytes ?? 0;
  }

  totalsOf(key: TotalsKey): Totals {
    return this.items.get(itemId(key))?.totals ?? emptyTotals();
  }

  /** A unit's running total as readers derive it: the sum of its DAY items. */
  totalOf(campaignId: string, unitId: string): Totals {
    let sum = emptyTotals();
    for (const item of this.items.values())
      if (item.key.campaignId === campaignId && item.key.unitId === unitId) sum = addTotals(sum, item.totals);
    return sum;
  }
}

export interface NaiveCounts {
  readonly writes: number;
  readonly writesByItem: ReadonlyMap<string, number>;
  readonly writesByPartition: ReadonlyMap<string, number>;
}

/** The naive roll-up's requests: one ADD per event per item (unit and ancestors × TOTAL and DAY). */
export function naiveRollup(events: readonly RolledEvent[]): NaiveCounts {
  const writesByItem = new Map<string, number>();
  const writesByPartition = new Map<string, number>();
  let writes = 0;
  for (const e of events) {
    for (const unitId of [e.unitId, ...e.path]) {
      for (const day of [null, e.day]) {
        const key = { campaignId: e.campaignId, unitId, day };
        writes++;
        const id = itemId(key);
        writesByItem.set(id, (writesByItem.get(id) ?? 0) + 1);
        const pk = partitionId(key);
        writesByPartition.set(pk, (writesByPartition.get(pk) ?? 0) + 1);
      }
    }
  }
  return { writes, writesByItem, writesByPartition };
}

export function maxOf(counts: ReadonlyMap<string, number>): { id: string; writes: number } {
  let best = { id: '', writes: 0 };
  for (const [id, writes] of counts) if (writes > best.writes) best = { id, writes };
  return best;
}

/**
 * The previous design's writes for the same batches: each batch wrote every touched DAY item (as
 * now) and also the TOTAL item of every touched unit.
 */
export function previousDesignWrites(batches: readonly (readonly RolledEvent[])[]): {
  writes: number;
  totalWrites: number;
} {
  let writes = 0;
  let totalWrites = 0;
  for (const batch of batches) {
    const units = new Set<string>();
    const days = new Set<string>();
    for (const e of batch) {
      for (const u of [e.unitId, ...e.path]) {
        units.add(`${e.campaignId}|${u}`);
        days.add(`${e.campaignId}|${u}|${e.day}`);
      }
    }
    writes += units.size + days.size;
    totalWrites += units.size;
  }
  return { writes, totalWrites };
}
