/**
 * An in-memory TotalsWriter with DynamoDB's conditional semantics for the watermark, as
 * DynamoTotalsStore stores it (shared/store/watermark.ts: shard keys, Binary values compared byte by
 * byte, pruning by hour), and fault injection: a write may fail before it is applied, or be applied
 * and then fail (a lost response).
 */
import { addTotals, emptyTotals, type Totals } from '../../shared/domain/totals.js';
import type { ApplyOutcome, TotalsKey, TotalsWriter } from '../../shared/store/totals-store.js';
import {
  decodeWatermark,
  holdsSeq,
  isBelow,
  shardKey,
  WATERMARK_PRUNE_AFTER_HOURS,
  watermarkAgeHours,
  watermarkValue,
} from '../../shared/store/watermark.js';

export type Fault = 'none' | 'before' | 'after';

/**
 * DynamoTotalsStore's watermark condition, in memory (also bench/lib/counting-totals.ts): a first
 * attempt (`expected` undefined) needs the shard's stored watermark absent or below `fromSeq`; a
 * retry needs it absent (`expected` null) or holding exactly `expected`. Null when the write may
 * go ahead, else the store's refusal: not applied, with the sequence number the shard was applied
 * through.
 */
export function watermarkRefusal(
  stored: Uint8Array | undefined,
  watermark: { readonly fromSeq: string; readonly expected?: string | null },
): ApplyOutcome | null {
  const ok =
    watermark.expected === undefined
      ? stored === undefined || isBelow(stored, watermark.fromSeq)
      : watermark.expected === null
        ? stored === undefined
        : stored !== undefined && holdsSeq(stored, watermark.expected);
  if (ok) return null;
  const decoded = decodeWatermark(stored);
  return { applied: false, appliedThrough: decoded === null ? null : decoded.seq };
}

export class MemoryTotalsWriter implements TotalsWriter {
  readonly items = new Map<string, { totals: Totals; watermarks: Map<string, Uint8Array> }>();
  readonly writesByItem = new Map<string, number>();
  fault: (key: TotalsKey) => Fault = () => 'none';
  /** Epoch seconds of each write (watermark hours, pruning). */
  nowSeconds: () => number = () => 1_615_600_000;

  static id(key: TotalsKey): string {
    return `${key.campaignId}|${key.unitId}|${key.day}`;
  }

  totals(key: TotalsKey): Totals {
    return this.items.get(MemoryTotalsWriter.id(key))?.totals ?? emptyTotals();
  }

  /** A unit's running total: the sum of its DAY items, as readers derive it. */
  total(campaignId: string, unitId: string): Totals {
    let sum = emptyTotals();
    for (const [id, item] of this.items)
      if (id.startsWith(`${campaignId}|${unitId}|`)) sum = addTotals(sum, item.totals);
    return sum;
  }

  async applyDelta(
    key: TotalsKey,
    delta: Totals,
    watermark: { shard: string; fromSeq: string; toSeq: string; expected?: string | null },
  ): Promise<ApplyOutcome> {
    const id = MemoryTotalsWriter.id(key);
    this.writesByItem.set(id, (this.writesByItem.get(id) ?? 0) + 1);
    const fault = this.fault(key);
    if (fault === 'before') throw new Error('injected failure before the write');
    const item = this.items.get(id) ?? { totals: emptyTotals(), watermarks: new Map<string, Uint8Array>() };
    const name = shardKey(watermark.shard);
    const stored = item.watermarks.get(name);
    const refused = watermarkRefusal(stored, watermark);
    if (refused) return refused;
    const now = this.nowSeconds();
    item.totals = addTotals(item.totals, delta);
    item.watermarks.set(name, watermarkValue(watermark.toSeq, now));
    for (const [other, value] of item.watermarks) {
      if ((watermarkAgeHours(value, now) ?? 0) >= WATERMARK_PRUNE_AFTER_HOURS) item.watermarks.delete(other);
    }
    this.items.set(id, item);
    if (fault === 'after') throw new Error('injected failure after the write (response lost)');
    const t = item.totals;
    const negative = [
      ...(t.count < 0 ? ['n'] : []),
      ...Object.entries(t.byKind).flatMap(([k, v]) => (v < 0 ? [`k:${k}`] : [])),
      ...Object.entries(t.byChannel).flatMap(([k, v]) => (v < 0 ? [`c:${k}`] : [])),
      ...Object.entries(t.byGroup).flatMap(([k, v]) => (v < 0 ? [`g:${k}`] : [])),
    ];
    return negative.length > 0 ? { applied: true, negative } : { applied: true };
  }
}
