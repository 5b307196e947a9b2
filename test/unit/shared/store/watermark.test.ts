/**
 * The compact watermark encoding (shared/store/watermark.ts): order-preserving sequence bytes, exact
 * shard keys, and the roll-up's exactly-once effect across shard rollover with pruning.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { functions } from '../../../../infra/topology.js';
import type { RolledEvent, RollupRecord } from '../../../../shared/domain/rollup.js';
import { applyBatch } from '../../../../shared/rollup/apply.js';
import {
  compareBytes,
  decodeWatermark,
  encodeSeq,
  holdsSeq,
  isBelow,
  MAX_DELIVERABLE_RECORD_AGE_SECONDS,
  shardKey,
  WATERMARK_PRUNE_AFTER_HOURS,
  watermarkAgeHours,
  watermarkValue,
} from '../../../../shared/store/watermark.js';
import { MemoryTotalsWriter } from '../../../support/memory-totals-writer.js';
import { expectedTotals, faultyWriter } from '../../../support/rollup-model.js';

/** Sequence numbers as AWS and DynamoDB Local write them: 1 to 40 decimal digits. */
const sequence = fc.bigInt({ min: 0n, max: 10n ** 40n - 1n });
const hex8 = fc.integer({ min: 0, max: 0xffffffff }).map((n) => n.toString(16).padStart(8, '0'));
const awsShardId = fc
  .tuple(fc.bigInt({ min: 0n, max: 10n ** 20n - 1n }), hex8)
  .map(([t, h]) => `shardId-${t.toString().padStart(20, '0')}-${h}`);
const anyShardId = fc.oneof(awsShardId, fc.string({ minLength: 1, maxLength: 60 }));
const epochSeconds = fc.integer({ min: 1_500_000_000, max: 2_500_000_000 });
const sign = (x: bigint) => (x < 0n ? -1 : x > 0n ? 1 : 0);

describe('watermark encoding', () => {
  it('compares sequence numbers byte by byte exactly as the integers compare', () => {
    fc.assert(
      fc.property(sequence, sequence, epochSeconds, (a, b, t) => {
        expect(compareBytes(encodeSeq(a), encodeSeq(b))).toBe(sign(a - b));
        // The stored form (with the hour of the write) against a bare one, as the store's conditions do
        const stored = watermarkValue(a.toString(), t);
        expect(isBelow(stored, b.toString())).toBe(a < b);
        expect(holdsSeq(stored, b.toString())).toBe(a === b);
        expect(decodeWatermark(stored)).toEqual({ seq: a.toString(), hour: Math.floor(t / 3600) & 0xff });
      }),
      { numRuns: 2000, seed: 16 },
    );
  });

  it('reads zero-padded sequence numbers (DynamoDB Local) as the same integers', () => {
    expect(compareBytes(encodeSeq('000000000000000000123'), encodeSeq('123'))).toBe(0);
    expect(isBelow(watermarkValue('000000000000000000099', 0), '100')).toBe(true);
  });

  it('gives different shards different keys, short for AWS shard ids, never a count or key name', () => {
    fc.assert(
      fc.property(fc.uniqueArray(anyShardId, { minLength: 2, maxLength: 60 }), (ids) => {
        const keys = ids.map(shardKey);
        expect(new Set(keys).size).toBe(ids.length);
        for (const [i, key] of keys.entries()) {
          if (/^shardId-\d{20}-[0-9a-f]{8}$/.test(ids[i] ?? '')) {
            expect(key).toMatch(/^[-0-9A-Z_a-z]{12,17}$/);
          } else {
            expect(key).toBe(`~${ids[i]}`); // kept whole: '~' is not a base-64 digit, nor the start of a count
          }
        }
      }),
      { numRuns: 500, seed: 16 },
    );
  });

  it('keeps a watermark of an AWS shard with a 28-digit sequence number within 27 bytes', () => {
    const name = shardKey('shardId-00000001615600000000-2bac9cd2');
    const value = watermarkValue('4421584500000000017450439091', 1_615_600_000);
    expect(name.length + value.length).toBeLessThanOrEqual(27);
  });

  it('prunes only after the records a watermark covers are past the mapping’s maximum record age', () => {
    const rollup = functions.find((f) => f.stream)?.stream;
    expect(rollup?.maxRecordAgeSeconds).toBeGreaterThan(0);
    expect(rollup?.maxRecordAgeSeconds).toBeLessThanOrEqual(MAX_DELIVERABLE_RECORD_AGE_SECONDS);
    // Written at any second of hour h, pruned from hour h + PRUNE on: at least (PRUNE - 1) h later
    expect((WATERMARK_PRUNE_AFTER_HOURS - 1) * 3600).toBeGreaterThan(MAX_DELIVERABLE_RECORD_AGE_SECONDS);
    expect(watermarkAgeHours(watermarkValue('5', 3600 * 10 + 3599), 3600 * 36)).toBe(26);
    // Read modulo 256 hours, an age is never more than the true one: never pruned early
    fc.assert(
      fc.property(epochSeconds, fc.integer({ min: 0, max: 3600 * 2000 }), (t, elapsed) => {
        const age = watermarkAgeHours(watermarkValue('5', t), t + elapsed) ?? -1;
        expect(age).toBeGreaterThanOrEqual(0);
        expect(age * 3600).toBeLessThanOrEqual(elapsed + 3600);
        if (age >= WATERMARK_PRUNE_AFTER_HOURS)
          expect(elapsed).toBeGreaterThan(MAX_DELIVERABLE_RECORD_AGE_SECONDS);
      }),
      { numRuns: 2000, seed: 16 },
    );
  });
});

/**
 * Simulated days of a stream whose shards roll over: a few shards open at a time, each replaced by a
 * child with a new id (and sequence numbers of its own range) every few hours; batches cut at random,
 * redeliveries and failures as Lambda's mapping produces them; the writer's clock follows the records.
 */
const rollover = fc.record({
  hours: fc.integer({ min: 30, max: 80 }),
  rolloverHours: fc.integer({ min: 1, max: 6 }),
  shards: fc.integer({ min: 1, max: 4 }),
  eventsPerHour: fc.integer({ min: 1, max: 6 }),
  faultRate: fc.constantFrom(0, 0.1, 0.3),
  duplicateRate: fc.constantFrom(0, 0.3),
  seed: fc.integer(),
});

const PATHS: Record<string, string[]> = { a1: ['R', 'A'], a2: ['R', 'A'], b1: ['R', 'B'], R: [] };
const START = 1_615_593_600; // 2021-03-13T00:00:00Z

describe('roll-up across shard rollover (fast-check)', () => {
  it('stays exact, and each item names exactly the shards that wrote it in the last 26 h', async () => {
    await fc.assert(
      fc.asyncProperty(rollover, async (s) => {
        // Arrange
        const { random, writer } = faultyWriter(s, 200);
        let now = START;
        writer.nowSeconds = () => now;
        /** item id → shard key → hour of its last applied write */
        const lastWrite = new Map<string, Map<string, number>>();
        const events: RolledEvent[] = [];
        const units = Object.keys(PATHS);
        let generation = -1;
        let open: { id: string; records: RollupRecord[]; next: bigint }[] = [];
        // Act
        for (let hour = 0; hour < s.hours; hour++) {
          now = START + hour * 3600 + Math.floor(random() * 3600);
          if (Math.floor(hour / s.rolloverHours) !== generation) {
            generation = Math.floor(hour / s.rolloverHours);
            open = Array.from({ length: s.shards }, (_, i) => ({
              id: `shardId-${String(1_615_593_600_000 + hour * 3_600_000 + i).padStart(20, '0')}-${Math.floor(
                random() * 0xffffffff,
              )
                .toString(16)
                .padStart(8, '0')}`,
              records: [],
              // Each shard's own range: a child may even start below its parent
              next: BigInt(Math.floor(random() * 1e9)) * 10n ** 19n + 1n,
            }));
          }
          for (let e = 0; e < s.eventsPerHour; e++) {
            const unitId = units[Math.floor(random() * units.length)] ?? 'R';
            const day = new Date((now - (random() < 0.2 ? 86_400 : 0)) * 1000).toISOString().slice(0, 10);
            const event: RolledEvent = {
              campaignId: 'c1',
              unitId,
              path: PATHS[unitId] ?? [],
              day,
              count: 1 + Math.floor(random() * 9),
              kind: random() < 0.5 ? 'new' : 'renewal',
              channel: 'fixed',
            };
            const shard = open[Math.floor(random() * open.length)];
            if (!shard) continue;
            shard.next += BigInt(1 + Math.floor(random() * 1000));
            shard.records.push({ seq: shard.next.toString(), event });
            events.push(event);
          }
          // This hour's records of each open shard, delivered as the mapping does (records of the shard
          // delivered in earlier hours of its life may come again: all younger than 24 h)
          for (const shard of open) {
            const pending = shard.records.filter((r) => !(r as { done?: boolean }).done);
            let checkpoint = 0;
            for (let steps = 0; checkpoint < pending.length; steps++) {
              if (steps > 500) throw new Error('no progress');
              const done = shard.records.filter((r) => (r as { done?: boolean }).done);
              if (done.length > 0 && random() < s.duplicateRate) {
                const from = Math.floor(random() * done.length);
                await applyBatch(done.slice(from, from + 1 + Math.floor(random() * 10)), shard.id, writer);
              }
              const batch = pending.slice(checkpoint, checkpoint + 1 + Math.floor(random() * 5));
              const result = await applyBatch(batch, shard.id, writer);
              const applied =
                result.failedFrom === null
                  ? batch.length
                  : batch.findIndex((r) => r.seq === result.failedFrom);
              for (const r of batch.slice(0, applied)) (r as { done?: boolean }).done = true;
              checkpoint += applied;
            }
            for (const r of pending) {
              for (const u of [r.event.unitId, ...r.event.path]) {
                const id = MemoryTotalsWriter.id({ campaignId: 'c1', unitId: u, day: r.event.day });
                const shards = lastWrite.get(id) ?? new Map<string, number>();
                shards.set(shardKey(shard.id), Math.floor(now / 3600));
                lastWrite.set(id, shards);
              }
            }
          }
        }
        // Assert: exact DAY items
        const actual = new Map([...writer.items].map(([id, item]) => [id, item.totals]));
        expect(actual).toEqual(expectedTotals(events).byItem);
        // Each item's watermarks: the shards whose last write is younger than the prune age at the item's last write
        for (const [id, shards] of lastWrite) {
          const latest = Math.max(...shards.values());
          const kept = [...shards]
            .filter(([, h]) => latest - h < WATERMARK_PRUNE_AFTER_HOURS)
            .map(([k]) => k);
          expect([...(writer.items.get(id)?.watermarks.keys() ?? [])].sort(), id).toEqual(kept.sort());
        }
      }),
      { numRuns: 80, seed: 16 },
    );
  });
});
