/**
 * An in-memory TotalsWriter with DynamoDB's conditional semantics for the watermark, and fault
 * injection: a write may fail before it is applied, or be applied and then fail (a lost response).
 */
import { addTotals, emptyTotals, type Totals } from '../../shared/domain/totals.js';
import {
  type ApplyOutcome,
  padSequence,
  type TotalsKey,
  type TotalsWriter,
} from '../../shared/store/totals-store.js';

export type Fault = 'none' | 'before' | 'after';

export class MemoryTotalsWriter implements TotalsWriter {
  readonly items = new Map<string, { totals: Totals; watermarks: Map<string, string> }>();
  readonly writesByItem = new Map<string, number>();
  fault: (key: TotalsKey) => Fault = () => 'none';

  static id(key: TotalsKey): string {
    return `${key.campaignId}|${key.unitId}|${key.day ?? 'TOTAL'}`;
  }

  totals(key: TotalsKey): Totals {
    return this.items.get(MemoryTotalsWriter.id(key))?.totals ?? emptyTotals();
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
    const item = this.items.get(id) ?? { totals: emptyTotals(), watermarks: new Map<string, string>() };
    const stored = item.watermarks.get(watermark.shard);
    const ok =
      watermark.expected === undefined
        ? stored === undefined || stored < padSequence(watermark.fromSeq)
        : watermark.expected === null
          ? stored === undefined
          : stored === padSequence(watermark.expected);
    if (!ok)
      return {
        applied: false,
        appliedThrough: stored === undefined ? null : stored.replace(/^0+(?=\d)/, ''),
      };
    item.totals = addTotals(item.totals, delta);
    item.watermarks.set(watermark.shard, padSequence(watermark.toSeq));
    this.items.set(id, item);
    if (fault === 'after') throw new Error('injected failure after the write (response lost)');
    return { applied: true };
  }
}
