import { describe, expect, it } from 'vitest';
import { CatalogCache, MAX_CACHED_CAMPAIGNS } from '../../../../shared/catalog/catalog-cache.js';
import { importCampaign } from '../../../../shared/catalog/import.js';
import { CampaignFile } from '../../../../shared/schemas/campaign.js';
import { aCampaignFile } from '../../../support/builders.js';
import { MemoryCampaignStore } from '../../../support/memory-campaign-store.js';

/** A store that counts full loads (listUnits) and version checks. */
class CountingStore extends MemoryCampaignStore {
  loads = 0;
  checks = 0;
  override async listUnits(campaignId: string) {
    this.loads++;
    return super.listUnits(campaignId);
  }
  override async catalogVersion(campaignId: string) {
    this.checks++;
    return super.catalogVersion(campaignId);
  }
}

/** The test campaign imported into a counting store, and a 60 s cache over it checking the version every 2 s, at clock.now. */
async function aCache() {
  const store = new CountingStore();
  const file = CampaignFile.parse(aCampaignFile());
  await importCampaign(store, file);
  const clock = { now: 0 };
  const cache = new CatalogCache(store, 60_000, () => clock.now, 2_000);
  return { store, file, clock, cache };
}

describe('CatalogCache', () => {
  it('sees an import within the version check interval, and reloads only when the version changed', async () => {
    // Arrange: a 60 s cache whose version is checked every 2 s
    const { store, file, clock, cache } = await aCache();
    expect((await cache.get(file.campaign.id))?.hierarchy.has('12002')).toBe(true);
    const loadsAfterFirst = store.loads;

    // Act 1: 3 s later, nothing changed: one version read, no reload
    clock.now = 3_000;
    await cache.get(file.campaign.id);
    expect(store.loads).toBe(loadsAfterFirst);
    expect(store.checks).toBeGreaterThan(0);

    // Act 2: 12002 removed and 12101 moved under 323, then 2 s pass
    const edited = CampaignFile.parse({
      ...aCampaignFile(),
      units: aCampaignFile()
        .units.filter((u) => u.id !== '12002')
        .map((u) => (u.id === '12101' ? { ...u, parentId: '323' } : u)),
    });
    await importCampaign(store, edited, { allowRemoval: true });
    const loadsBeforeReload = store.loads;
    clock.now = 5_100;
    const view = await cache.get(file.campaign.id);

    // Assert
    expect(view?.hierarchy.has('12002')).toBe(false);
    expect(view?.hierarchy.ancestorsOf('12101')).toEqual(['33', '323']);
    expect(store.loads).toBe(loadsBeforeReload + 1);
  });

  it('within the interval answers from memory without any read', async () => {
    const { store, file, clock, cache } = await aCache();
    await cache.get(file.campaign.id);
    const before = { loads: store.loads, checks: store.checks };
    clock.now = 1_500;
    await Promise.all([cache.get(file.campaign.id), cache.get(file.campaign.id)]);
    expect({ loads: store.loads, checks: store.checks }).toEqual(before);
  });

  describe(`holds at most MAX_CACHED_CAMPAIGNS (${MAX_CACHED_CAMPAIGNS}) campaigns`, () => {
    it('made-up ids, however many, neither grow it nor displace a live campaign', async () => {
      // Arrange: the live campaign is cached
      const { store, file, clock, cache } = await aCache();
      await cache.get(file.campaign.id);
      const loads = store.loads;
      // Act: a holder of wide grants names 1,000 campaigns that do not exist, each once
      for (let i = 0; i < 1_000; i++) expect(await cache.get(`made-up-${i}`)).toBeNull();
      const sizeAfterFlood = cache.size;
      clock.now = 1_000;
      const live = await cache.get(file.campaign.id);
      // Assert
      expect(sizeAfterFlood).toBeLessThanOrEqual(MAX_CACHED_CAMPAIGNS);
      expect(live?.hierarchy.has('12002')).toBe(true);
      expect(store.loads).toBe(loads + 1_000); // the live one served from memory, not loaded again
    });

    it('past the bound, real campaigns evict the least recently used one', async () => {
      // Arrange: every id names a copy of the test campaign
      const { store, file, clock, cache } = await aCache();
      const stored = await store.getCampaign(file.campaign.id);
      const units = await store.listUnits(file.campaign.id);
      store.getCampaign = async (id) => (stored ? { ...stored, id } : null);
      store.listUnits = async () => {
        store.loads++;
        return units;
      };
      const ids = Array.from({ length: MAX_CACHED_CAMPAIGNS + 1 }, (_, i) => `campaign-${i}`);
      // Act: all but the last cached, the first used again, then the last one asked
      for (const id of ids.slice(0, -1)) await cache.get(id);
      await cache.get('campaign-0');
      await cache.get(ids.at(-1) as string);
      const loads = store.loads;
      clock.now = 1_000;
      await cache.get('campaign-0'); // recently used: still cached
      const afterRecent = store.loads;
      await cache.get('campaign-1'); // least recently used: evicted, loaded again
      // Assert
      expect(cache.size).toBeLessThanOrEqual(MAX_CACHED_CAMPAIGNS);
      expect(afterRecent).toBe(loads);
      expect(store.loads).toBe(loads + 1);
    });
  });
});
