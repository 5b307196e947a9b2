/**
 * Reorganisation around the catalogue: intake stamps the epoch and refuses merged units, the cache
 * keeps its previous view while a structural import is half-written, an import records the migration
 * and refuses a second one while it converges, and the simulator's reform matches the scenario file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../../infra/local/paths.js';
import { reform2025 } from '../../../../infra/local/simulate/reform.js';
import { CatalogCache } from '../../../../shared/catalog/catalog-cache.js';
import { ImportRefused, importCampaign } from '../../../../shared/catalog/import.js';
import { parseGrants } from '../../../../shared/domain/grants.js';
import { buildHierarchy } from '../../../../shared/domain/hierarchy.js';
import { checkEvent } from '../../../../shared/domain/intake.js';
import { runMigration } from '../../../../shared/jobs/migration-job.js';
import { CampaignFile } from '../../../../shared/schemas/campaign.js';
import type { CatalogState } from '../../../../shared/store/campaign-store.js';
import type { MigrationState } from '../../../../shared/store/migration-store.js';
import { aCampaignFile, anIntakeEvent } from '../../../support/builders.js';
import { MemoryCampaignStore } from '../../../support/memory-campaign-store.js';

/** The memory store with the catalogue state (epoch, pending) the DynamoDB store keeps. */
class EpochStore extends MemoryCampaignStore {
  readonly states = new Map<string, { epoch: number; pending: boolean; version: number }>();
  override async putCampaign(
    campaign: CampaignFile['campaign'],
    state?: { epoch: number; pending: boolean },
  ) {
    await super.putCampaign(campaign);
    const version = (this.states.get(campaign.id)?.version ?? 0) + 1;
    this.states.set(campaign.id, { epoch: state?.epoch ?? 0, pending: state?.pending ?? false, version });
  }
  async catalogState(id: string): Promise<CatalogState | null> {
    const s = this.states.get(id);
    return s ? { version: String(s.version), epoch: s.epoch, pending: s.pending } : null;
  }
  override async catalogVersion(id: string) {
    const s = this.states.get(id);
    return s ? String(s.version) : null;
  }
}

class MemoryMigrations {
  state: MigrationState | null = null;
  async get() {
    return this.state;
  }
  async begin(state: MigrationState) {
    if (this.state && this.state.status !== 'converged') return false;
    this.state = state;
    return true;
  }
  async setStatus(_c: string, _e: number, status: 'pending', at: string) {
    if (this.state) this.state = { ...this.state, status, startedAt: at };
  }
}

const base = () => CampaignFile.parse(aCampaignFile());
/** 12001 moved from 323 to 324; 323 merged into 33 (its other commune moved to 33 first). */
const reorganised = () => {
  const file = base();
  return {
    ...file,
    units: file.units.map((u) =>
      u.id === '12001'
        ? { ...u, parentId: '324' }
        : u.id === '12002'
          ? { ...u, parentId: '33' }
          : u.id === '323'
            ? { ...u, mergedInto: '33' }
            : u,
    ),
  };
};

describe('reorganisation around the catalogue', () => {
  it('intake stamps the epoch of its catalogue and rejects a merged unit, naming its successor', () => {
    // Arrange
    const file = reorganised();
    const view = { campaign: file.campaign, hierarchy: buildHierarchy(file.units), epoch: 2 };
    const context = {
      grants: parseGrants(['33']),
      catalogOf: () => view,
      now: new Date('2021-03-13T10:00:00Z'),
    };

    // Act
    const moved = checkEvent(anIntakeEvent({ unitId: '12001' }), context);
    const merged = checkEvent(anIntakeEvent({ unitId: '323' }), context);

    // Assert
    expect(moved).toMatchObject({ ok: true, event: { epoch: 2, path: ['33', '324'] } });
    expect(merged).toMatchObject({ ok: false, error: 'unit 323 was merged into 33; post for 33' });
  });

  it('an import that moves or merges records the migration, bumps the epoch in two phases, and a second is refused', async () => {
    // Arrange
    const store = new EpochStore();
    const migrations = new MemoryMigrations();
    await importCampaign(store, base(), { reorganise: { migrations } });
    const cache = new CatalogCache(store, 60_000, () => 0, 0);
    expect((await cache.get('cccd-2021-test'))?.epoch).toBe(0);
    const seen: boolean[] = [];
    const putUnits = store.putUnits.bind(store);
    store.putUnits = async (...args) => {
      seen.push((await store.catalogState('cccd-2021-test'))?.pending ?? false);
      // Half-written: the cache keeps the previous (consistent) view and its epoch.
      const view = await cache.get('cccd-2021-test');
      expect(view?.epoch).toBe(0);
      expect(view?.hierarchy.get('12001')?.parentId).toBe('323');
      return putUnits(...args);
    };

    // Act
    const plan = await importCampaign(store, reorganised(), {
      reorganise: {
        migrations,
        totals: async () =>
          new Map([
            ['12001', 5],
            ['323', 9],
            ['324', 1],
            ['33', 10],
          ]),
      },
    });

    // Assert
    expect(seen).toEqual([true]);
    expect((await store.catalogState('cccd-2021-test'))?.epoch).toBe(1);
    expect((await cache.get('cccd-2021-test'))?.epoch).toBe(1);
    expect(migrations.state).toMatchObject({ epoch: 1, status: 'pending' });
    expect(plan.reorganisation?.transfers).toEqual([
      {
        unitId: '12001',
        // 323 is merged: it keeps its past, nothing is subtracted from it.
        targets: [{ unitId: '324', sign: 1 }],
      },
    ]);
    expect(plan.reorganisation?.totals).toEqual(
      expect.arrayContaining([
        { unitId: '323', before: 9, after: 9 },
        { unitId: '324', before: 1, after: 6 },
      ]),
    );
    const undo = base();
    await expect(importCampaign(store, undo, { reorganise: { migrations } })).rejects.toThrow(ImportRefused);
    await expect(importCampaign(store, undo, { reorganise: { migrations } })).rejects.toThrow(
      /still reorganising \(epoch 1\)/,
    );
  });

  it('an import killed mid-way is finished by importing the same file again, and only by that file', async () => {
    // Arrange: the unit writes fail once (the process dies after the migration was recorded)
    const store = new EpochStore();
    const migrations = new MemoryMigrations();
    await importCampaign(store, base(), { reorganise: { migrations } });
    const putUnits = store.putUnits.bind(store);
    store.putUnits = async () => {
      throw new Error('killed');
    };
    await expect(importCampaign(store, reorganised(), { reorganise: { migrations } })).rejects.toThrow(
      'killed',
    );
    store.putUnits = putUnits;
    expect(migrations.state).toMatchObject({ epoch: 1, status: 'importing' });
    expect((await store.catalogState('cccd-2021-test'))?.pending).toBe(true);

    // Act
    const other = importCampaign(store, base(), { reorganise: { migrations } });
    await expect(other).rejects.toThrow(/interrupted reorganisation .* import the same file again/);
    const plan = await importCampaign(store, reorganised(), { reorganise: { migrations } });

    // Assert
    expect(plan.reorganisation?.epoch).toBe(1);
    expect(migrations.state).toMatchObject({ epoch: 1, status: 'pending' });
    expect(await store.catalogState('cccd-2021-test')).toMatchObject({ epoch: 1, pending: false });
    expect((await store.listUnits('cccd-2021-test')).find((u) => u.id === '12001')?.parentId).toBe('324');
  });

  it('the scheduled job takes on a migration whose import died after making the new epoch current', async () => {
    // Arrange: recorded as importing, but the catalogue already has epoch 1 (the process died before `pending`)
    const store = new EpochStore();
    const migrations = new MemoryMigrations();
    await importCampaign(store, base(), { reorganise: { migrations } });
    migrations.setStatus = async () => {
      throw new Error('killed');
    };
    await expect(importCampaign(store, reorganised(), { reorganise: { migrations } })).rejects.toThrow(
      'killed',
    );
    migrations.setStatus = MemoryMigrations.prototype.setStatus.bind(migrations);
    const passes: number[] = [];
    const ports = {
      migrations: {
        ...migrations,
        get: () => migrations.get(),
        setStatus: (c: string, e: number, status: 'pending' | 'converged', at: string) =>
          migrations.setStatus(c, e, status as 'pending', at),
        runPass: async (_c: string, epoch: number) => {
          passes.push(epoch);
          return { items: 0, transfers: 0, retries: 0 };
        },
        recordPass: async () => {},
      },
      clock: () => new Date('2021-03-13T10:00:00Z'),
    };

    // Act
    const without = await runMigration(ports, 'cccd-2021-test');
    const run = await runMigration({ ...ports, catalog: store }, 'cccd-2021-test');

    // Assert
    expect(without).toBeNull();
    expect(run).toMatchObject({ epoch: 1, passes: 1 });
    expect(passes).toEqual([1]);
    expect(migrations.state?.status).not.toBe('importing');
  });

  it('a dry run shows the reorganisation plan with totals before and after, and writes nothing', async () => {
    // Arrange
    const store = new EpochStore();
    const migrations = new MemoryMigrations();
    await importCampaign(store, base(), { reorganise: { migrations } });
    const writes = store.writes;

    // Act
    const plan = await importCampaign(store, reorganised(), {
      dryRun: true,
      reorganise: { migrations, totals: async () => new Map([['12001', 5]]) },
    });

    // Assert
    expect(plan.reorganisation?.totals).toEqual(
      expect.arrayContaining([{ unitId: '324', before: 0, after: 5 }]),
    );
    expect(store.writes).toBe(writes);
    expect(migrations.state).toBeNull();
    expect((await store.catalogState('cccd-2021-test'))?.epoch).toBe(0);
  });

  it('the simulator reform of reform-2025/before.json is the structure of reform-2025/after.json', () => {
    const read = (name: string) =>
      CampaignFile.parse(JSON.parse(readFileSync(join(REPO_ROOT, 'scenarios/reform-2025', name), 'utf8')));
    const structure = (f: CampaignFile) => f.units.map((u) => [u.id, u.parentId, u.mergedInto ?? null]);

    expect(structure(reform2025(read('before.json')))).toEqual(structure(read('after.json')));
  });
});
