/**
 * An in-memory TotalsReader for handler unit tests (the DynamoDB adapter has its own integration
 * tests). Seeded with DAY totals; a unit's total is the sum of its days, as the store derives it.
 * Counts its calls, so a test can show how many reads a request costs.
 */
import { addTotals, emptyTotals, type Totals, totalsOfEvent } from '../../shared/domain/totals.js';
import type { TotalsReader } from '../../shared/store/totals-store.js';

export interface TotalsReads {
  getTotals: { campaignId: string; unitIds: readonly string[]; day?: string | undefined }[];
  getDays: { campaignId: string; unitId: string; from?: string | undefined; to?: string | undefined }[];
}

/** Totals of `count` intakes of one kind/channel/group: `someTotals(5, { group: 'official' })`. */
export function someTotals(
  count: number,
  options: { kind?: string; channel?: 'fixed' | 'mobile'; group?: string } = {},
): Totals {
  return totalsOfEvent({
    count,
    kind: options.kind ?? 'new',
    channel: options.channel ?? 'fixed',
    group: options.group,
  });
}

export class MemoryTotalsStore implements TotalsReader {
  /** campaignId#unitId → day → totals */
  private readonly days = new Map<string, Map<string, Totals>>();
  readonly reads: TotalsReads = { getTotals: [], getDays: [] };

  /** Adds to a unit's DAY item (and so to its total). Does not roll up to ancestors: seed each unit read. */
  addDay(campaignId: string, unitId: string, day: string, totals: Totals): this {
    const key = `${campaignId}#${unitId}`;
    const unitDays = this.days.get(key) ?? new Map<string, Totals>();
    this.days.set(key, unitDays);
    unitDays.set(day, addTotals(unitDays.get(day) ?? emptyTotals(), totals));
    return this;
  }

  resetReads(): void {
    this.reads.getTotals.length = 0;
    this.reads.getDays.length = 0;
  }

  async getTotals(
    campaignId: string,
    unitIds: readonly string[],
    day?: string,
  ): Promise<Map<string, Totals>> {
    this.reads.getTotals.push({ campaignId, unitIds: [...unitIds], day });
    const result = new Map<string, Totals>();
    for (const unitId of unitIds) {
      let total = emptyTotals();
      for (const [d, t] of this.days.get(`${campaignId}#${unitId}`)?.entries() ?? []) {
        if (day === undefined || d === day) total = addTotals(total, t);
      }
      result.set(unitId, total);
    }
    return result;
  }

  async getDays(campaignId: string, unitId: string, from?: string, to?: string) {
    this.reads.getDays.push({ campaignId, unitId, from, to });
    return [...(this.days.get(`${campaignId}#${unitId}`)?.entries() ?? [])]
      .filter(([day]) => (from === undefined || day >= from) && (to === undefined || day <= to))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([day, totals]) => ({ day, totals }));
  }
}
