/**
 * Reorganisation transfers on DynamoDB Local: exactly once under re-runs, an interrupted pass, and
 * roll-up writes that land between a transfer's read and its transaction.
 */
import { describe, expect, it } from 'vitest';
import { makeHandler } from '../../functions/rollup.js';
import { boundaryTransfers, type TreeUnit } from '../../shared/domain/reorganise.js';
import type { RolledEvent } from '../../shared/domain/rollup.js';
import { runMigration } from '../../shared/jobs/migration-job.js';
import { DynamoMigrationStore } from '../../shared/store/migration-store.js';
import { campaignTable } from '../../shared/store/tables.js';
import { DynamoTotalsStore } from '../../shared/store/totals-store.js';
import { type TestTable, useTestTable } from '../support/dynamo.js';
import { aStreamRecord } from '../support/stream-records.js';

/** N → { P1 → A → c1, P2 → B }; the reorganisation moves c1 from A to B. */
const before: TreeUnit[] = [
  { id: 'N', parentId: null },
  { id: 'P1', parentId: 'N' },
  { id: 'A', parentId: 'P1' },
  { id: 'c1', parentId: 'A' },
  { id: 'P2', parentId: 'N' },
  { id: 'B', parentId: 'P2' },
];
const after = before.map((u) => (u.id === 'c1' ? { ...u, parentId: 'B' } : u));
const OLD_PATH = ['N', 'P1', 'A'];
const NEW_PATH = ['N', 'P2', 'B'];

const SHARD = 'shardId-00000001615600000000-reorg';

describe('reorganisation transfers on DynamoDB Local', () => {
  let table: TestTable;
  let totals: DynamoTotalsStore;
  let seq = 1000;
  let campaignId = 'r0';
  /** What each unit must show once converged, on the new tree. */
  let ledger: Map<string, number>;

  const rollUp = async (events: Partial<RolledEvent>[]) => {
    const handler = makeHandler({
      totals,
      poison: {
        quarantine: async () => {
          throw new Error('no poison expected');
        },
      },
    });
    const records = events.map((e) =>
      aStreamRecord(String(seq++), {
        campaignId,
        unitId: 'c1',
        path: OLD_PATH,
        day: '2021-03-13',
        count: 1,
        kind: 'new',
        channel: 'fixed',
        ...e,
      }),
    );
    const response = await handler({ Records: records, shardId: SHARD });
    expect(response.batchItemFailures).toEqual([]);
    for (const e of events) {
      // Every event of c1 counts at c1 and, on the new tree, at B, P2 and N.
      for (const unit of ['c1', 'B', 'P2', 'N']) ledger.set(unit, (ledger.get(unit) ?? 0) + (e.count ?? 1));
    }
  };

  const expectConverged = async () => {
    for (const unit of ['N', 'P1', 'A', 'c1', 'P2', 'B']) {
      const t = await totals.getTotal(campaignId, unit);
      expect({ unit, n: t.count, kind: t.byKind.new ?? 0 }).toEqual({
        unit,
        n: ledger.get(unit) ?? 0,
        kind: ledger.get(unit) ?? 0,
      });
    }
  };

  const startMigration = async (store: DynamoMigrationStore) => {
    const transfers = boundaryTransfers(before, after);
    expect(
      await store.begin({
        campaignId,
        epoch: 1,
        status: 'importing',
        structureHash: 'h',
        transfers,
        affected: [],
        startedAt: new Date(0).toISOString(),
        passes: 0,
        moved: 0,
      }),
    ).toBe(true);
    await store.setStatus(campaignId, 1, 'pending', new Date(0).toISOString());
    return transfers;
  };

  useTestTable(campaignTable, async (t) => {
    table = t;
    totals = new DynamoTotalsStore(t.db, t.name);
  });

  it('moves each DAY item exactly once, however often the pass runs, and converges', async () => {
    // Arrange: old history on two days, rolled up under epoch 0 with the old path
    campaignId = 'r1';
    ledger = new Map();
    await rollUp([{ count: 3 }, { count: 4, day: '2021-03-14' }]);
    const store = new DynamoMigrationStore(table.db, table.name);
    const transfers = await startMigration(store);

    // Act: three passes, then the job (which also records convergence)
    const first = await store.runPass(campaignId, 1, transfers);
    const second = await store.runPass(campaignId, 1, transfers);
    const run = await runMigration({ migrations: store, clock: () => new Date(), settleMs: 0 }, campaignId);

    // Assert
    expect(first).toMatchObject({ items: 2, transfers: 2 });
    expect(second).toMatchObject({ items: 2, transfers: 0 });
    expect(run).toMatchObject({ status: 'converged', moved: 0 });
    await expectConverged();
    const days = await totals.getDays(campaignId, 'P2');
    expect(days.map((d) => [d.day, d.totals.count])).toEqual([
      ['2021-03-13', 3],
      ['2021-03-14', 4],
    ]);
  });

  it('stays exact when roll-up writes land between a transfer read and its transaction', async () => {
    campaignId = 'r2';
    ledger = new Map();
    await rollUp([{ count: 5 }]);
    let interleaved = 0;
    // Between the read and the transaction: an old-epoch event (a stale catalogue) and a new one.
    const store = new DynamoMigrationStore(table.db, table.name, async () => {
      if (interleaved++ < 2) {
        await rollUp([{ count: 2 }, { count: 7, epoch: 1, path: NEW_PATH }]);
      }
    });
    const transfers = await startMigration(store);

    const pass = await store.runPass(campaignId, 1, transfers);

    expect(pass.retries).toBe(2);
    await expectConverged();
  });

  it('resumes an interrupted pass, and a later reconciliation moves stale-catalogue events', async () => {
    campaignId = 'r3';
    ledger = new Map();
    await rollUp([{ count: 1 }, { count: 2, day: '2021-03-14' }, { count: 3, day: '2021-03-15' }]);
    let calls = 0;
    const crashing = new DynamoMigrationStore(table.db, table.name, async () => {
      if (++calls === 2) throw new Error('runner killed');
    });
    const transfers = await startMigration(crashing);
    await expect(crashing.runPass(campaignId, 1, transfers)).rejects.toThrow('runner killed');

    // A fresh runner resumes; then an old-epoch event arrives late (after the first convergence).
    const store = new DynamoMigrationStore(table.db, table.name);
    await runMigration({ migrations: store, clock: () => new Date(), settleMs: 0 }, campaignId);
    await expectConverged();
    await rollUp([
      { count: 9, day: '2021-03-14' },
      { count: 4, epoch: 1, path: NEW_PATH },
    ]);
    const late = await runMigration({ migrations: store, clock: () => new Date(), settleMs: 0 }, campaignId);

    expect(late).toMatchObject({ status: 'converged', moved: 1 });
    await expectConverged();
  });
});
