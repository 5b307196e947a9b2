/**
 * Request counting for the roll-up, in memory.
 *
 * `CountingTotalsWriter` is a TotalsWriter with DynamoDB's conditional semantics for the per-shard
 * watermark (adapted from test/support/memory-totals-writer.ts, without fault injection) that counts
 * every UpdateItem the roll-up sends, per item and per partition, and the write units each would
 * consume, from the size of the item as DynamoTotalsStore lays it out (shared/store/keys.ts).
 *
 * `naiveRollup` counts what the common sample pattern sends: one `UpdateItem ADD` per event per
 * item (the unit and every ancestor, TOTAL and DAY), with no aggregation and no exactly-once guard.
 */
import type { RolledEvent } from '../../shared/domain/rollup.js';
import { addTotals, emptyTotals, type Totals } from '../../shared/domain/totals.js';
import { totalsKey } from '../../shared/store/keys.js';
import {
  type ApplyOutcome,
  padSequence,
  type TotalsKey,
  type TotalsWriter,
} from '../../shared/store/totals-store.js';
import { itemSize, valueSize, writeUnits } from './dynamo-size.js';

export const itemId = (key: TotalsKey) => `${key.campaignId}|${key.unitId}|${key.day ?? 'TOTAL'}`;
/** Totals items of a unit share its partition key (`C#<campaign>#U#<unit>`). */
export const partitionId = (key: Pick<TotalsKey, 'campaignId' | 'unitId'>) =>
  totalsKey(key.campaignId, key.unitId, null).pk;

/** A totals item as DynamoTotalsStore stores it: keys, counts, watermarks, and the copied key fields. */
export function totalsItem(
  key: TotalsKey,
  totals: Totals,
  watermarks: ReadonlyMap<string, string>,
): Record<string, unknown> {
  const item: Record<string, unknown> = {
    ...totalsKey(key.campaignId, key.unitId, key.day),
    n: totals.count,
  };
  for (const [prefix, counts] of [
    ['k:', totals.byKind],
    ['c:', totals.byChannel],
    ['g:', totals.byGroup],
  ] as const) {
    for (const [code, n] of Object.entries(counts)) item[`${prefix}${code}`] = n;
  }
  for (const [shard, seq] of watermarks) item[`w:${shard}`] = seq;
  item.campaignId = key.campaignId;
  item.unitId = key.unitId;
  if (key.day !== null) item.day = key.day;
  return item;
}

interface StoredItem {
  key: TotalsKey;
  totals: Totals;
  watermarks: Map<string, string>;
  /** The item's size now (0 before its first write). */
  bytes: number;
  /** Size of the attributes that never change: keys and the copied key fields. */
  fixedBytes: number;
  /** Size of the watermark attributes (sequence numbers are padded to a fixed width). */
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
      watermarks: new Map<string, string>(),
      bytes: 0,
      fixedBytes: this.options.sizes ? fixedSize(key) : 0,
      watermarkBytes: 0,
    };
    const stored = item.watermarks.get(watermark.shard);
    const ok =
      watermark.expected === undefined
        ? stored === undefined || stored < padSequence(watermark.fromSeq)
        : watermark.expected === null
          ? stored === undefined
          : stored === padSequence(watermark.expected);
    if (!ok) {
      this.conditionFailures++;
      if (this.options.sizes) this.wru += writeUnits(item.bytes);
      return {
        applied: false,
        appliedThrough: stored === undefined ? null : stored.replace(/^0+(?=\d)/, ''),
      };
    }
    item.totals = addTotals(item.totals, delta);
    const padded = padSequence(watermark.toSeq);
    if (this.options.sizes && stored === undefined) {
      item.watermarkBytes += 2 + Buffer.byteLength(watermark.shard) + padded.length;
    }
    item.watermarks.set(watermark.shard, padded);
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
