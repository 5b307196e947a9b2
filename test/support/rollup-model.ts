/**
 * The pieces the roll-up's exactly-once properties share: random events on a random hierarchy, the
 * event source mapping modelled (batches from a checkpoint, redeliveries, retries of the failed
 * suffix), faults that stop after a budget, and the totals a ledger of events must add up to.
 */
import fc from 'fast-check';
import { mulberry32 } from '../../shared/domain/generate.js';
import type { RolledEvent, RollupRecord } from '../../shared/domain/rollup.js';
import { addTotals, emptyTotals, type Totals, totalsOfEvent } from '../../shared/domain/totals.js';
import type { ApplyResult } from '../../shared/rollup/apply.js';
import type { Fault } from './memory-totals-writer.js';
import { MemoryTotalsWriter } from './memory-totals-writer.js';

/** Raw events: a unit index (folded onto the hierarchy), a day offset, counts, and the shard (0–2). */
export const rawEvents = (limits: { days: number; maxLength: number }) =>
  fc.array(
    fc.record({
      unit: fc.nat(),
      day: fc.integer({ min: 0, max: limits.days }),
      count: fc.integer({ min: 1, max: 50 }),
      kind: fc.constantFrom('new', 'renewal'),
      channel: fc.constantFrom('fixed', 'mobile'),
      group: fc.option(fc.constantFrom('official', 'student'), { nil: undefined }),
      shard: fc.integer({ min: 0, max: 2 }),
    }),
    { minLength: 1, maxLength: limits.maxLength },
  );

type RawEvent = {
  unit: number;
  day: number;
  count: number;
  kind: 'new' | 'renewal';
  channel: 'fixed' | 'mobile';
  group: 'official' | 'student' | undefined;
};

/** Unit i > 0 hangs under a random earlier unit: any depth, one root ("u0"). Gives events their place. */
export function hierarchy(parents: readonly number[]): {
  unitCount: number;
  eventOf: (e: RawEvent) => RolledEvent;
} {
  const parentOf = (i: number) => (i === 0 ? null : (parents[i] ?? 0) % i);
  const unitCount = parents.length + 1;
  const pathOf = (i: number): string[] => {
    const path: string[] = [];
    for (let p = parentOf(i); p !== null; p = parentOf(p)) path.unshift(`u${p}`);
    return path;
  };
  const eventOf = (e: RawEvent): RolledEvent => {
    const unit = e.unit % unitCount;
    return {
      campaignId: 'c1',
      unitId: `u${unit}`,
      path: pathOf(unit),
      day: `2021-03-1${e.day}`,
      count: e.count,
      kind: e.kind,
      channel: e.channel,
      group: e.group,
    };
  };
  return { unitCount, eventOf };
}

/** A write fails (before or after it is applied) at `rate`, until `budget` writes: a real outage ends. */
export function budgetedFault(random: () => number, rate: number, budget: number): () => Fault {
  let left = budget;
  return () => {
    if (left-- <= 0 || random() >= rate) return 'none';
    return random() < 0.5 ? 'before' : 'after';
  };
}

/** Lambda's event source mapping, modelled: batches from a checkpoint, redeliveries, retries of the failed suffix. */
export async function runEventSourceMapping(
  records: RollupRecord[],
  apply: (batch: RollupRecord[]) => Promise<ApplyResult>,
  random: () => number,
  rates: { duplicateRate: number; crashRate: number },
  limits: { maxSteps: number; maxBatch: number },
): Promise<void> {
  let checkpoint = 0;
  let steps = 0;
  while (checkpoint < records.length) {
    if (++steps > limits.maxSteps) throw new Error('no progress');
    const size = 1 + Math.floor(random() * Math.min(records.length - checkpoint, limits.maxBatch));
    const batch = records.slice(checkpoint, checkpoint + size);
    if (checkpoint > 0 && random() < rates.duplicateRate) {
      // A redelivery of records already checkpointed, cut differently.
      const from = Math.floor(random() * checkpoint);
      await apply(records.slice(from, from + 1 + Math.floor(random() * (checkpoint - from))));
    }
    const result = await apply(batch);
    if (random() < rates.crashRate) continue; // the invocation died: the same batch (or a half of it) comes again
    if (result.failedFrom === null) checkpoint += batch.length;
    else checkpoint = records.findIndex((r) => r.seq === result.failedFrom);
    await new Promise((r) => setImmediate(r)); // let other shards interleave
  }
}

/** What a ledger of events adds up to: each DAY item (by MemoryTotalsWriter.id) and each unit's running total. */
export function expectedTotals(ledger: readonly RolledEvent[]): {
  byItem: Map<string, Totals>;
  byUnit: Map<string, Totals>;
} {
  const byItem = new Map<string, Totals>();
  const byUnit = new Map<string, Totals>();
  for (const e of ledger) {
    for (const unitId of [e.unitId, ...e.path]) {
      const id = MemoryTotalsWriter.id({ campaignId: e.campaignId, unitId, day: e.day });
      byItem.set(id, addTotals(byItem.get(id) ?? emptyTotals(), totalsOfEvent(e)));
      byUnit.set(unitId, addTotals(byUnit.get(unitId) ?? emptyTotals(), totalsOfEvent(e)));
    }
  }
  return { byItem, byUnit };
}

/** A seeded random source and a MemoryTotalsWriter whose writes fail at the scenario's rate, within `budget` (`fault`: to share it). */
export function faultyWriter(
  s: { seed: number; faultRate: number },
  budget: number,
): { random: () => number; writer: MemoryTotalsWriter; fault: () => Fault } {
  const random = mulberry32(s.seed);
  const writer = new MemoryTotalsWriter();
  const fault = budgetedFault(random, s.faultRate, budget);
  writer.fault = fault;
  return { random, writer, fault };
}
