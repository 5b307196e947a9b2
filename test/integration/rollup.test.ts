/** The roll-up handler against DynamoDB Local: one write per touched DAY item per batch, poison records set aside. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHandler } from '../../functions/rollup.js';
import type { RolledEvent } from '../../shared/domain/rollup.js';
import { FilePoisonSink } from '../../shared/rollup/poison-sink.js';
import { dayKey } from '../../shared/store/keys.js';
import { campaignTable } from '../../shared/store/tables.js';
import { DynamoTotalsStore } from '../../shared/store/totals-store.js';
import { shardKey, watermarkValue } from '../../shared/store/watermark.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';
import { aStreamRecord } from '../support/stream-records.js';

const event = (unitId: string, overrides: Partial<RolledEvent> = {}): RolledEvent => ({
  campaignId: 'c1',
  unitId,
  path: ['33', '323'],
  day: '2021-03-13',
  count: 1,
  kind: 'new',
  channel: 'fixed',
  ...overrides,
});

describe('roll-up on DynamoDB Local', () => {
  let table: TestTable;
  let store: DynamoTotalsStore;
  const writesByKey = new Map<string, number>();
  const poisonFile = join(mkdtempSync(join(tmpdir(), 'quota-rollup-')), 'failures.jsonl');

  beforeAll(async () => {
    table = await createTestTable(campaignTable);
    table.db.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'UpdateItemCommand') {
          const key = (args.input as { Key?: { pk?: { S?: string }; sk?: { S?: string } } }).Key;
          const id = `${key?.pk?.S}|${key?.sk?.S}`;
          writesByKey.set(id, (writesByKey.get(id) ?? 0) + 1);
        }
        return next(args);
      },
      { step: 'finalizeRequest', name: 'countUpdates' },
    );
    store = new DynamoTotalsStore(table.db, table.name);
  });
  afterAll(async () => table.drop());

  it('writes the province and district DAY items once for a batch of 1,000 events of one district', async () => {
    // Arrange: 1,000 events over 25 communes of district 323, province 33 as root
    const records = Array.from({ length: 1000 }, (_, i) =>
      aStreamRecord(String(100 + i), event(`11${String(i % 25).padStart(3, '0')}`, { count: 1 + (i % 3) })),
    );
    const handler = makeHandler({ totals: store, poison: new FilePoisonSink(poisonFile) });
    // Act
    const response = await handler({ Records: records, shardId: 'shardId-00000001615600000000-aaaa' });
    // Assert
    expect(response.batchItemFailures).toEqual([]);
    for (const unitId of ['33', '323']) {
      const day = dayKey('c1', unitId, '2021-03-13');
      expect(writesByKey.get(`${day.pk}|${day.sk}`)).toBe(1);
    }
    expect([...writesByKey.values()].reduce((a, b) => a + b, 0)).toBe(25 + 2);
    const expected = Array.from({ length: 1000 }, (_, i) => 1 + (i % 3)).reduce((a, b) => a + b, 0);
    expect((await store.getTotal('c1', '33')).count).toBe(expected);
  });

  it('changes nothing when the same batch is delivered again', async () => {
    const records = Array.from({ length: 1000 }, (_, i) =>
      aStreamRecord(String(100 + i), event(`11${String(i % 25).padStart(3, '0')}`, { count: 1 + (i % 3) })),
    );
    const before = (await store.getTotal('c1', '33')).count;
    const handler = makeHandler({ totals: store, poison: new FilePoisonSink(poisonFile) });
    await handler({ Records: records.slice(400), shardId: 'shardId-00000001615600000000-aaaa' });
    expect((await store.getTotal('c1', '33')).count).toBe(before);
  });

  it('sets a poison record aside at once and rolls up the records behind it', async () => {
    // Arrange
    const before = (await store.getTotal('c1', '324')).count;
    const records = [
      aStreamRecord('5000', event('12101', { path: ['33', '324'] })),
      aStreamRecord('5001', { campaignId: 'c1', unitId: '12101', count: 'many' }),
      aStreamRecord('5002', event('12101', { path: ['33', '324'], count: 4 })),
    ];
    const handler = makeHandler({ totals: store, poison: new FilePoisonSink(poisonFile) });
    // Act
    const response = await handler({ Records: records, shardId: 'shardId-00000001615600000000-aaaa' });
    // Assert
    expect(response.batchItemFailures).toEqual([]);
    expect((await store.getTotal('c1', '324')).count).toBe(before + 5);
    const lines = readFileSync(poisonFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ condition: 'PoisonRecord', sequenceNumber: '000000000000000005001' });
    expect(lines[0].reason).toContain('count');
  });

  it('refuses an event without a shard id rather than risk a double count', async () => {
    const handler = makeHandler({ totals: store, poison: new FilePoisonSink(poisonFile) });
    await expect(handler({ Records: [aStreamRecord('1', event('11000'))] })).rejects.toThrow(
      'tumbling window',
    );
  });
});

describe('watermarks on DynamoDB Local', () => {
  const one = { count: 1, byKind: { new: 1 }, byChannel: { fixed: 1 }, byGroup: {} };
  const shardA = 'shardId-00000001615600000000-0000000a';
  const shardB = 'shardId-00000001615700000000-0000000b';
  const shardC = 'shardId-00000001615800000000-0000000c';
  const watermarkNames = (item: Record<string, unknown> | undefined) =>
    Object.entries(item ?? {})
      .filter(([, v]) => v instanceof Uint8Array)
      .map(([k]) => k)
      .sort();

  it("compares Binary watermarks as numbers, and removes a shard's once it is 26 h old", async () => {
    // Arrange
    const table = await createTestTable(campaignTable);
    let now = 1_615_600_000;
    const store = new DynamoTotalsStore(table.db, table.name, () => now);
    const key = { campaignId: 'c1', unitId: '33', day: '2021-03-13' };
    try {
      // Act: shard A writes (a 28-digit sequence number), shard B 25 h later, shard C 2 h after that
      await store.applyDelta(key, one, {
        shard: shardA,
        fromSeq: '4421584500000000017450439091',
        toSeq: '4421584500000000017450439091',
      });
      // 99 < 100 as numbers, though "99" > "100" as strings: the redelivery test must use numbers
      const belowAsNumber = await store.applyDelta(key, one, {
        shard: shardA,
        fromSeq: '999999999999999999999',
        toSeq: '999999999999999999999',
      });
      now += 25 * 3600;
      await store.applyDelta(key, one, { shard: shardB, fromSeq: '5', toSeq: '5' });
      const afterB = await store.getDayItem('c1', '33', '2021-03-13');
      now += 2 * 3600;
      await store.applyDelta(key, one, { shard: shardC, fromSeq: '7', toSeq: '9' });
      const afterC = await store.getDayItem('c1', '33', '2021-03-13');
      // A redelivery to B is still recognised, and a catch-up against C's watermark works
      const redelivered = await store.applyDelta(key, one, { shard: shardB, fromSeq: '5', toSeq: '5' });
      const partly = await store.applyDelta(key, one, { shard: shardC, fromSeq: '8', toSeq: '12' });
      const wrongExpectation = await store.applyDelta(key, one, {
        shard: shardC,
        fromSeq: '10',
        toSeq: '12',
        expected: '8',
      });
      const caughtUp = await store.applyDelta(key, one, {
        shard: shardC,
        fromSeq: '10',
        toSeq: '12',
        expected: '9',
      });
      // Assert
      expect(belowAsNumber).toEqual({ applied: false, appliedThrough: '4421584500000000017450439091' });
      expect(watermarkNames(afterB)).toEqual([shardKey(shardA), shardKey(shardB)].sort());
      expect(watermarkNames(afterC)).toEqual([shardKey(shardB), shardKey(shardC)].sort());
      expect(afterC?.[shardKey(shardC)]).toEqual(watermarkValue('9', now));
      expect(redelivered).toEqual({ applied: false, appliedThrough: '5' });
      expect(partly).toEqual({ applied: false, appliedThrough: '9' });
      expect(wrongExpectation).toEqual({ applied: false, appliedThrough: '9' });
      expect(caughtUp).toEqual({ applied: true });
      expect((await store.getTotal('c1', '33')).count).toBe(4);
    } finally {
      await table.drop();
    }
  });

  it("derives a unit's total from its DAY items, and reads a day of many units in one batch", async () => {
    // Arrange
    const table = await createTestTable(campaignTable);
    const store = new DynamoTotalsStore(table.db, table.name);
    try {
      for (const [unitId, day, n] of [
        ['33', '2021-03-12', 2],
        ['33', '2021-03-13', 3],
        ['323', '2021-03-13', 4],
      ] as const) {
        await store.applyDelta(
          { campaignId: 'c1', unitId, day },
          { count: n, byKind: { new: n }, byChannel: { fixed: n }, byGroup: {} },
          { shard: shardA, fromSeq: String(n), toSeq: String(n) },
        );
      }
      // Act
      const totals = await store.getTotals('c1', ['33', '323', '324']);
      const ofDay = await store.getTotals('c1', ['33', '323', '324'], '2021-03-13');
      // Assert
      expect([...totals].map(([id, t]) => [id, t.count, t.byKind.new ?? 0])).toEqual([
        ['33', 5, 5],
        ['323', 4, 4],
        ['324', 0, 0],
      ]);
      expect([...ofDay].map(([id, t]) => [id, t.count])).toEqual([
        ['33', 3],
        ['323', 4],
        ['324', 0],
      ]);
    } finally {
      await table.drop();
    }
  });
});
