import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compareSeq,
  planBatch,
  type RolledEvent,
  type RollupRecord,
} from '../../../../shared/domain/rollup.js';
import { applyBatch } from '../../../../shared/rollup/apply.js';
import { MemoryTotalsWriter } from '../../../support/memory-totals-writer.js';
import * as model from '../../../support/rollup-model.js';

const anEvent = (overrides: Partial<RolledEvent> = {}): RolledEvent => ({
  campaignId: 'c1',
  unitId: '12001',
  path: ['VN', '33', '323'],
  day: '2021-03-13',
  count: 1,
  kind: 'new',
  channel: 'fixed',
  ...overrides,
});

describe('planBatch()', () => {
  it('plans one increment per touched DAY item: the unit and each ancestor (no running-total item)', () => {
    const plans = planBatch([
      { seq: '10', event: anEvent({ count: 2 }) },
      { seq: '11', event: anEvent({ unitId: '12002', kind: 'renewal', group: 'official' }) },
      { seq: '12', event: anEvent({ day: '2021-03-12' }) },
    ]);
    const ids = plans.map((p) => `${p.key.unitId}/${p.key.day}`).sort();
    expect(ids).toEqual(
      [
        ...['12001', '12002', '323', '33', 'VN'].map((u) => `${u}/2021-03-13`),
        ...['12001', '323', '33', 'VN'].map((u) => `${u}/2021-03-12`),
      ].sort(),
    );
    const root = plans.find((p) => p.key.unitId === 'VN' && p.key.day === '2021-03-13');
    expect(root?.contributions.map((c) => c.seq)).toEqual(['10', '11']);
  });

  it('orders contributions by sequence number as numbers, not strings', () => {
    expect(compareSeq('9', '10')).toBe(-1);
    expect(compareSeq('000000000000000000123', '99')).toBe(1);
    expect(compareSeq('1234567890123456789012345678901234567890', '999999999999999999999')).toBe(1);
  });
});

describe('applyBatch()', () => {
  it('writes the root and province DAY items once for 1,000 events of one district', async () => {
    // Arrange: 1,000 events spread over 20 communes of district 323
    const records: RollupRecord[] = Array.from({ length: 1000 }, (_, i) => ({
      seq: String(1000 + i),
      event: anEvent({ unitId: `12${String(i % 20).padStart(3, '0')}` }),
    }));
    const writer = new MemoryTotalsWriter();
    // Act
    const result = await applyBatch(records, 'shard-1', writer);
    // Assert
    expect(result.failedFrom).toBeNull();
    for (const unitId of ['VN', '33', '323']) {
      expect(
        writer.writesByItem.get(MemoryTotalsWriter.id({ campaignId: 'c1', unitId, day: '2021-03-13' })),
      ).toBe(1);
    }
    expect(writer.total('c1', 'VN').count).toBe(1000);
    expect(result.writes).toBe(20 + 3);
  });

  it('changes nothing when a batch is delivered again, or again in halves', async () => {
    const records: RollupRecord[] = Array.from({ length: 10 }, (_, i) => ({
      seq: String(i + 1),
      event: anEvent(),
    }));
    const writer = new MemoryTotalsWriter();
    await applyBatch(records, 's', writer);
    const again = await applyBatch(records, 's', writer);
    await applyBatch(records.slice(0, 5), 's', writer);
    await applyBatch(records.slice(5), 's', writer);
    expect(again.skipped).toBe(again.writes);
    expect(writer.total('c1', 'VN').count).toBe(10);
  });

  it('reports the earliest record with incomplete effects, and the retry from it completes exactly', async () => {
    // Arrange: writes to district 324 fail once, before being applied
    const records: RollupRecord[] = [
      { seq: '1', event: anEvent() },
      { seq: '2', event: anEvent({ unitId: '12101', path: ['VN', '33', '324'] }) },
      { seq: '3', event: anEvent() },
    ];
    const writer = new MemoryTotalsWriter();
    let failures = 1;
    writer.fault = (key) => (key.unitId === '324' && failures-- > 0 ? 'before' : 'none');
    // Act
    const first = await applyBatch(records, 's', writer);
    const retry = await applyBatch(records.slice(1), 's', writer);
    // Assert
    expect(first.failedFrom).toBe('2');
    expect(retry.failedFrom).toBeNull();
    expect(writer.total('c1', 'VN').count).toBe(3);
    expect(writer.total('c1', '324').count).toBe(1);
    expect(writer.total('c1', '323').count).toBe(2);
  });
});

/** A random hierarchy, events on it, and a stream of records cut into shards. */
const scenario = fc
  .record({
    parents: fc.array(fc.nat(), { minLength: 1, maxLength: 25 }),
    events: model.rawEvents({ days: 3, maxLength: 120 }),
    seqBase: fc.constantFrom(1n, 10n ** 20n, 10n ** 38n),
    faultRate: fc.constantFrom(0, 0.05, 0.2, 0.5),
    duplicateRate: fc.constantFrom(0, 0.2, 0.5),
    crashRate: fc.constantFrom(0, 0.1),
    seed: fc.integer(),
  })
  .map((s) => {
    const { unitCount, eventOf } = model.hierarchy(s.parents);
    const shards: RollupRecord[][] = [[], [], []];
    let seq = s.seqBase;
    const events = s.events.map((e) => {
      const event = eventOf(e);
      seq += BigInt(1 + (e.count % 7)) * 1000n;
      shards[e.shard]?.push({ seq: String(seq), event });
      return event;
    });
    return { ...s, unitCount, events, shards: shards.filter((sh) => sh.length > 0) };
  });

describe('roll-up exactly once (fast-check)', () => {
  it('ends with exact totals at every unit, day, kind, channel and group, whatever the batching, redeliveries and failures', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        // Arrange
        const { random, writer } = model.faultyWriter(s, 400); // faults stop eventually, as a real outage ends
        // Act: shards run concurrently, each in its own order
        await Promise.all(
          s.shards.map((records, i) =>
            model.runEventSourceMapping(
              records,
              (batch) => applyBatch(batch, `shard-${i}`, writer),
              random,
              s,
              {
                maxSteps: 2000,
                maxBatch: 40,
              },
            ),
          ),
        );
        // Assert
        const expected = model.expectedTotals(s.events);
        const actual = new Map([...writer.items].map(([id, item]) => [id, item.totals]));
        expect(actual).toEqual(expected.byItem);
        // Each unit's running total, derived from its DAY items as readers derive it
        for (const [unitId, total] of expected.byUnit) expect(writer.total('c1', unitId)).toEqual(total);
      }),
      { numRuns: 400, seed: 42 },
    );
  });
});
