/** The roll-up handler against DynamoDB Local: one write per touched item per batch, poison records set aside. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHandler } from '../../functions/rollup.js';
import type { RolledEvent } from '../../shared/domain/rollup.js';
import { FilePoisonSink } from '../../shared/rollup/poison-sink.js';
import { totalsKey } from '../../shared/store/keys.js';
import { campaignTable } from '../../shared/store/tables.js';
import { DynamoTotalsStore } from '../../shared/store/totals-store.js';
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

  it('writes the root and province items once for a batch of 1,000 events of one district', async () => {
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
      const total = totalsKey('c1', unitId, null);
      const day = totalsKey('c1', unitId, '2021-03-13');
      expect(writesByKey.get(`${total.pk}|${total.sk}`)).toBe(1);
      expect(writesByKey.get(`${day.pk}|${day.sk}`)).toBe(1);
    }
    expect([...writesByKey.values()].reduce((a, b) => a + b, 0)).toBe((25 + 2) * 2);
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

describe('watermark pruning on DynamoDB Local', () => {
  it("removes a shard's watermark once it has not written for 30 h, and keeps fresh ones", async () => {
    // Arrange
    const table = await createTestTable(campaignTable);
    let now = 1_615_600_000;
    const store = new DynamoTotalsStore(table.db, table.name, () => now);
    const key = { campaignId: 'c1', unitId: '33', day: null };
    const one = { count: 1, byKind: { new: 1 }, byChannel: { fixed: 1 }, byGroup: {} };
    try {
      // Act: shard A writes, shard B writes 29 h later, shard C writes 31 h after A
      await store.applyDelta(key, one, { shard: 'A', fromSeq: '100', toSeq: '100' });
      now += 29 * 3600;
      await store.applyDelta(key, one, { shard: 'B', fromSeq: '5', toSeq: '5' });
      const afterB = await table.db.send(
        new GetCommand({ TableName: table.name, Key: totalsKey('c1', '33', null) }),
      );
      now += 2 * 3600;
      await store.applyDelta(key, one, { shard: 'C', fromSeq: '7', toSeq: '9' });
      const afterC = await table.db.send(
        new GetCommand({ TableName: table.name, Key: totalsKey('c1', '33', null) }),
      );
      // A redelivery to B is still recognised, and a catch-up against C's watermark works
      const redelivered = await store.applyDelta(key, one, { shard: 'B', fromSeq: '5', toSeq: '5' });
      const partly = await store.applyDelta(key, one, { shard: 'C', fromSeq: '8', toSeq: '12' });
      const caughtUp = await store.applyDelta(key, one, {
        shard: 'C',
        fromSeq: '10',
        toSeq: '12',
        expected: '9',
      });
      // Assert
      expect(
        Object.keys(afterB.Item ?? {})
          .filter((k) => k.startsWith('w:'))
          .sort(),
      ).toEqual(['w:A', 'w:B']);
      expect(
        Object.keys(afterC.Item ?? {})
          .filter((k) => k.startsWith('w:'))
          .sort(),
      ).toEqual(['w:B', 'w:C']);
      expect(afterC.Item?.['w:C']).toBe(`${'9'.padStart(40, '0')}|${now}`);
      expect(redelivered).toEqual({ applied: false, appliedThrough: '5' });
      expect(partly).toEqual({ applied: false, appliedThrough: '9' });
      expect(caughtUp).toEqual({ applied: true });
      expect((await store.getTotal('c1', '33')).count).toBe(4);
    } finally {
      await table.drop();
    }
  });
});
