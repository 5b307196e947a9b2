import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  admit,
  type CorrectionRef,
  type CorrectionState,
  supersedes,
} from '../../../../shared/domain/corrections.js';
import type { RolledEvent, RollupRecord } from '../../../../shared/domain/rollup.js';
import type { Totals } from '../../../../shared/domain/totals.js';
import { applyBatch } from '../../../../shared/rollup/apply.js';
import { MemoryCorrectionStore } from '../../../support/memory-correction-store.js';
import { MemoryTotalsWriter } from '../../../support/memory-totals-writer.js';
import * as model from '../../../support/rollup-model.js';

const ref = (eventId: string, occurredAt: string, count: number): CorrectionRef => ({
  eventId,
  occurredAt,
  count,
});

/** Admits corrections in the order given; returns the deltas and the final state. */
function admitAll(corrections: readonly CorrectionRef[], originalCount: number) {
  let state: CorrectionState | null = null;
  const deltas: number[] = [];
  for (const c of corrections) {
    const outcome = admit(state, c, originalCount);
    deltas.push(outcome.admission.delta);
    if (outcome.fresh) state = outcome.next;
  }
  return { deltas, state };
}

describe('admission of corrections', () => {
  it('records new count − count in force, and reuses the recorded delta when a correction comes again', () => {
    const first = ref('fix-1', '2021-03-13T03:00:00.000Z', 37);
    const { deltas } = admitAll([first, first, ref('fix-2', '2021-03-13T04:00:00.000Z', 40), first], 370);
    expect(deltas).toEqual([-333, -333, 3, -333]);
  });

  it('gives an older correction arriving after a later one delta 0, and records the count in force as its from', () => {
    const later = ref('fix-b', '2021-03-13T05:00:00.000Z', 40);
    const older = ref('fix-a', '2021-03-13T04:00:00.000Z', 37);
    const { state } = admitAll([later], 370);
    const outcome = admit(state, older, 370);
    expect(outcome.admission).toEqual({ delta: 0, from: 40, to: 37 });
  });

  it('breaks occurredAt ties by the greater eventId, whatever the order', () => {
    const at = '2021-03-13T05:00:00.000Z';
    expect(supersedes(ref('b', at, 1), ref('a', at, 2))).toBe(true);
    expect(supersedes(ref('a', at, 1), ref('b', at, 2))).toBe(false);
    // Instants compare as instants, not as strings
    expect(supersedes(ref('a', '2021-03-13T05:00:00.500Z', 1), ref('b', '2021-03-13T05:00:00Z', 1))).toBe(
      true,
    );
  });

  it('sums to final count in force − original count in every arrival order (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.uniqueArray(
          fc.record({
            id: fc.stringMatching(/^[a-z]{1,3}$/),
            minute: fc.integer({ min: 0, max: 5 }),
            count: fc.integer({ min: 0, max: 1000 }),
          }),
          { selector: (c) => c.id, minLength: 1, maxLength: 8 },
        ),
        fc.infiniteStream(fc.nat()),
        (originalCount, raw, picks) => {
          const corrections = raw.map((c) => ref(c.id, `2021-03-13T05:0${c.minute}:00.000Z`, c.count));
          const latest = corrections.reduce((a, b) => (supersedes(b, a) ? b : a));
          // A random arrival order with redeliveries
          const arrivals = [
            ...corrections,
            ...corrections.filter((_, i) => (picks.next().value ?? 0) % 3 === i % 3),
          ];
          const shuffled = arrivals
            .map((c) => ({ c, k: picks.next().value ?? 0 }))
            .sort((a, b) => a.k - b.k)
            .map(({ c }) => c);
          const { deltas, state } = admitAll(shuffled, originalCount);
          const firstTimes = new Set<string>();
          let sum = 0;
          shuffled.forEach((c, i) => {
            if (firstTimes.has(c.eventId)) return;
            firstTimes.add(c.eventId);
            sum += deltas[i] ?? 0;
          });
          expect(sum).toBe(latest.count - originalCount);
          expect(state?.latest).toEqual(latest);
        },
      ),
      { numRuns: 500, seed: 7 },
    );
  });
});

describe('applyBatch() with corrections', () => {
  const base: RolledEvent = {
    campaignId: 'c1',
    unitId: '12001',
    path: ['VN', '33', '323'],
    day: '2021-03-13',
    count: 370,
    kind: 'new',
    channel: 'fixed',
    group: 'official',
  };
  const fix = (eventId: string, count: number, occurredAt: string): RolledEvent => ({
    ...base,
    count,
    correction: { eventId, occurredAt, corrects: 'orig-1', originalCount: 370 },
  });

  it('moves the unit and every ancestor by the signed delta on the original day, kind, channel and group', async () => {
    const writer = new MemoryTotalsWriter();
    const corrections = new MemoryCorrectionStore();
    await applyBatch([{ seq: '1', event: base }], 's1', writer, corrections);
    const result = await applyBatch(
      [{ seq: '2', event: fix('fix-1', 37, '2021-03-14T01:00:00.000Z') }],
      's2',
      writer,
      corrections,
    );
    expect(result.failedFrom).toBeNull();
    expect(result.negative).toEqual([]);
    for (const unitId of ['12001', '323', '33', 'VN']) {
      expect(writer.totals({ campaignId: 'c1', unitId, day: '2021-03-13' })).toEqual({
        count: 37,
        byKind: { new: 37 },
        byChannel: { fixed: 37 },
        byGroup: { official: 37 },
      });
    }
  });

  it('reports (never clamps) a total taken below zero when a correction is rolled up before its original', async () => {
    const writer = new MemoryTotalsWriter();
    const corrections = new MemoryCorrectionStore();
    const early = await applyBatch(
      [{ seq: '9', event: fix('fix-1', 0, '2021-03-14T01:00:00.000Z') }],
      's2',
      writer,
      corrections,
    );
    expect(early.negative.map((n) => n.key.unitId).sort()).toEqual(['12001', '323', '33', 'VN']);
    expect(early.negative[0]?.counts).toEqual(['n', 'k:new', 'c:fixed', 'g:official']);
    expect(writer.total('c1', 'VN').count).toBe(-370);
    const late = await applyBatch([{ seq: '1', event: base }], 's1', writer, corrections);
    expect(late.negative).toEqual([]);
    expect(writer.total('c1', 'VN').count).toBe(0);
  });

  it('refuses a batch with corrections when no correction store is given', async () => {
    await expect(
      applyBatch(
        [{ seq: '2', event: fix('fix-1', 1, '2021-03-14T01:00:00.000Z') }],
        's',
        new MemoryTotalsWriter(),
      ),
    ).rejects.toThrow(/correction store/);
  });

  it('applies nothing from a correction whose admission failed, and the retry from it completes exactly', async () => {
    const writer = new MemoryTotalsWriter();
    const corrections = new MemoryCorrectionStore();
    await applyBatch([{ seq: '1', event: base }], 's1', writer, corrections);
    let failures = 1;
    corrections.fault = () => (failures-- > 0 ? 'after' : 'none');
    const records: RollupRecord[] = [
      { seq: '5', event: { ...base, count: 2, correction: undefined } },
      { seq: '6', event: fix('fix-1', 37, '2021-03-14T01:00:00.000Z') },
      { seq: '7', event: { ...base, count: 1 } },
    ];
    const first = await applyBatch(records, 's2', writer, corrections);
    expect(first.failedFrom).toBe('6');
    expect(writer.total('c1', 'VN').count).toBe(372);
    const retry = await applyBatch(records.slice(1), 's2', writer, corrections);
    expect(retry.failedFrom).toBeNull();
    expect(writer.total('c1', 'VN').count).toBe(37 + 2 + 1);
  });
});

/**
 * Random events and corrections of them on a random hierarchy, in insertion order (a correction is
 * stored after its original), cut into shards: the roll-up sees them in any cross-shard order.
 */
const scenario = fc
  .record({
    parents: fc.array(fc.nat(), { minLength: 1, maxLength: 15 }),
    events: model.rawEvents({ days: 2, maxLength: 60 }),
    corrections: fc.array(
      fc.record({
        of: fc.nat(),
        minute: fc.integer({ min: 0, max: 4 }),
        count: fc.integer({ min: 0, max: 60 }),
        shard: fc.integer({ min: 0, max: 2 }),
        delay: fc.nat({ max: 30 }),
      }),
      { maxLength: 60 },
    ),
    faultRate: fc.constantFrom(0, 0.05, 0.2, 0.4),
    duplicateRate: fc.constantFrom(0, 0.2, 0.5),
    crashRate: fc.constantFrom(0, 0.1),
    seed: fc.integer(),
  })
  .map((s) => {
    const { eventOf } = model.hierarchy(s.parents);
    const originals = s.events.map((e, i) => {
      const event = eventOf(e);
      return { id: `e${i}`, event, shard: e.shard, position: i * 10 };
    });
    const corrections = s.corrections.map((c, i) => {
      const original = originals[c.of % originals.length];
      if (!original) throw new Error('no original');
      const event: RolledEvent = {
        ...original.event,
        count: c.count,
        correction: {
          eventId: `x${i}`,
          occurredAt: `2021-03-15T01:0${c.minute}:00.000Z`,
          corrects: original.id,
          originalCount: original.event.count,
        },
      };
      return { event, shard: c.shard, position: original.position + 1 + c.delay, minute: c.minute };
    });
    // Insertion order (a correction after its original), then each shard's records in that order
    const all = [...originals, ...corrections].sort((a, b) => a.position - b.position);
    const shards: RollupRecord[][] = [[], [], []];
    all.forEach((r, i) => {
      shards[r.shard]?.push({ seq: String(1000 + i * 7), event: r.event });
    });
    // The ledger: each original at its final count in force
    const finalCount = new Map<string, { count: number; at: string; id: string }>();
    for (const c of corrections) {
      const x = c.event.correction;
      if (!x) continue;
      const current = finalCount.get(x.corrects);
      const candidate = { count: c.event.count, at: x.occurredAt, id: x.eventId };
      if (
        !current ||
        candidate.at > current.at ||
        (candidate.at === current.at && candidate.id > current.id)
      ) {
        finalCount.set(x.corrects, candidate);
      }
    }
    const ledger = originals.map((o) => ({
      ...o.event,
      count: finalCount.get(o.id)?.count ?? o.event.count,
    }));
    return { ...s, ledger, shards: shards.filter((sh) => sh.length > 0) };
  });

/** Totals without zero entries (a corrected-away kind leaves a 0 behind, which reads the same). */
const normal = (t: Totals) => {
  const strip = (r: Readonly<Record<string, number>>) =>
    Object.fromEntries(Object.entries(r).filter(([, v]) => v !== 0));
  return {
    count: t.count,
    byKind: strip(t.byKind),
    byChannel: strip(t.byChannel),
    byGroup: strip(t.byGroup),
  };
};

describe('roll-up of events and corrections exactly once (fast-check)', () => {
  it('ends with every level equal to the ledger of final counts, whatever the order, batching, redeliveries and failures', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        // Arrange
        const { random, writer, fault } = model.faultyWriter(s, 300);
        const corrections = new MemoryCorrectionStore();
        corrections.fault = fault;
        // Act: shards run concurrently, each in its own order
        await Promise.all(
          s.shards.map((records, i) =>
            model.runEventSourceMapping(
              records,
              (batch) => applyBatch(batch, `shard-${i}`, writer, corrections),
              random,
              s,
              { maxSteps: 3000, maxBatch: 20 },
            ),
          ),
        );
        // Assert: every DAY item and every running total equals the ledger's
        const expected = model.expectedTotals(s.ledger);
        const actual = new Map([...writer.items].map(([id, item]) => [id, normal(item.totals)]));
        expect(actual).toEqual(new Map([...expected.byItem].map(([id, t]) => [id, normal(t)])));
        for (const [unitId, total] of expected.byUnit)
          expect(normal(writer.total('c1', unitId))).toEqual(normal(total));
      }),
      { numRuns: 300, seed: 14 },
    );
  });
});
