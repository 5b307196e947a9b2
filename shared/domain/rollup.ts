/**
 * Roll-up aggregation, without I/O. A batch of stream records (one shard, in order) becomes one
 * planned increment per touched DAY item: the event's unit and each of its ancestors, on the local
 * day of occurredAt (a unit's running total is the sum of its DAY items, summed when read). Each plan
 * keeps its contributions per record
 * (sequence number → totals) so that, when some of them were already applied, only the later
 * ones are added (see shared/rollup/apply.ts for the exactly-once rule).
 */
import { addTotals, emptyTotals, type Totals, totalsOfEvent } from './totals.js';

/** What the roll-up needs of one stored intake event (the IntakeEvents item carries all of it). */
export interface RolledEvent {
  readonly campaignId: string;
  readonly unitId: string;
  /** Ancestors, root first. */
  readonly path: readonly string[];
  readonly day: string;
  readonly count: number;
  readonly kind: string;
  readonly channel: string;
  readonly group?: string | undefined;
  /**
   * A correction only (docs/ARCHITECTURE.md, corrections): its eventId and occurredAt, the event it
   * corrects and that event's stored count. `day`, kind, channel and group are the corrected
   * event's; `count` is the corrected count. It is planned only once admitted, as its signed delta
   * (shared/rollup/apply.ts).
   */
  readonly correction?: {
    readonly eventId: string;
    readonly occurredAt: string;
    readonly corrects: string;
    readonly originalCount: number;
  };
  /**
   * The catalogue epoch intake checked the event against (absent: 0); see shared/domain/reorganise.ts.
   * A correction carries its original's epoch, so its delta lands where the original was counted.
   */
  readonly epoch?: number | undefined;
}

export interface RollupRecord {
  /** The stream sequence number, a decimal string (compare as BigInt: lengths differ). */
  readonly seq: string;
  readonly event: RolledEvent;
}

export interface ItemKey {
  readonly campaignId: string;
  readonly unitId: string;
  /** The local day of the events counted. */
  readonly day: string;
}

export interface Contribution {
  readonly seq: string;
  readonly totals: Totals;
  /** The event's catalogue epoch (0 when none). */
  readonly epoch?: number;
}

export interface ItemPlan {
  readonly key: ItemKey;
  /** In stream order (ascending sequence number), one entry per record touching the item. */
  readonly contributions: readonly Contribution[];
}

export const compareSeq = (a: string, b: string): number => {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
};

const itemId = (k: ItemKey) => `${k.campaignId}\u0000${k.unitId}\u0000${k.day}`;

/**
 * One plan per DAY item touched by the records. A correction record contributes its admitted delta
 * (`deltas`, by sequence number; signed) on the corrected event's day, kind, channel and group; one
 * without a delta there, or with delta 0, contributes nothing.
 */
export function planBatch(
  records: readonly RollupRecord[],
  deltas?: ReadonlyMap<string, number>,
): ItemPlan[] {
  const sorted = [...records].sort((a, b) => compareSeq(a.seq, b.seq));
  const plans = new Map<string, { key: ItemKey; contributions: Contribution[] }>();
  for (const { seq, event } of sorted) {
    let count = event.count;
    if (event.correction !== undefined) {
      count = deltas?.get(seq) ?? 0;
      if (count === 0) continue;
    }
    const totals = totalsOfEvent({ ...event, count });
    for (const unitId of [event.unitId, ...event.path]) {
      const key: ItemKey = { campaignId: event.campaignId, unitId, day: event.day };
      const id = itemId(key);
      let plan = plans.get(id);
      if (!plan) {
        plan = { key, contributions: [] };
        plans.set(id, plan);
      }
      plan.contributions.push({ seq, totals, ...(event.epoch ? { epoch: event.epoch } : {}) });
    }
  }
  return [...plans.values()];
}

/** The contributions after a watermark (all of them when there is none). */
export function contributionsAfter(plan: ItemPlan, watermark: string | null): Contribution[] {
  if (watermark === null) return [...plan.contributions];
  return plan.contributions.filter((c) => compareSeq(c.seq, watermark) > 0);
}

export function sumContributions(contributions: readonly Contribution[]): Totals {
  return contributions.reduce((sum, c) => addTotals(sum, c.totals), emptyTotals());
}

/** The part of the contributions by catalogue epoch, for epochs ≥ 1 only (epoch 0 writes nothing extra). */
export function sumByEpoch(contributions: readonly Contribution[]): Map<number, Totals> {
  const out = new Map<number, Totals>();
  for (const c of contributions) {
    if (!c.epoch) continue;
    out.set(c.epoch, addTotals(out.get(c.epoch) ?? emptyTotals(), c.totals));
  }
  return out;
}
