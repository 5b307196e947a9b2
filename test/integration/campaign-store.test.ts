/**
 * The catalogue against DynamoDB Local: a national import, an idempotent re-import, and reading
 * all units of the national campaign in a handful of Query pages.
 */
import { describe, expect, it } from 'vitest';
import { importCampaign } from '../../shared/catalog/import.js';
import { checkCampaign } from '../../shared/domain/catalog.js';
import { generateNational } from '../../shared/domain/generate.js';
import type { CampaignFile } from '../../shared/schemas/campaign.js';
import { DynamoCampaignStore } from '../../shared/store/campaign-store.js';
import { campaignTable } from '../../shared/store/tables.js';
import { countRequests, type RequestCounter, useTestTable } from '../support/dynamo.js';

describe('DynamoCampaignStore with a national campaign', () => {
  let requests: RequestCounter;
  let store: DynamoCampaignStore;
  let national: CampaignFile;

  useTestTable(campaignTable, async (t) => {
    requests = countRequests(t.db);
    store = new DynamoCampaignStore(t.db, t.name);
    const { file } = checkCampaign(generateNational({ seed: 1 }));
    if (!file) throw new Error('the generated national campaign must validate');
    national = file;
  });

  it('imports about 11,400 units, reporting progress', async () => {
    // Arrange
    const progress: number[] = [];
    // Act
    const plan = await importCampaign(store, national, { onProgress: (done) => progress.push(done) });
    // Assert
    expect(plan.created.length).toBe(national.units.length);
    expect(national.units.length).toBeGreaterThan(11_000);
    expect(progress.at(-1)).toBe(national.units.length);
    expect(requests.get('BatchWriteItemCommand')).toBeGreaterThanOrEqual(
      Math.ceil(national.units.length / 25),
    );
  });

  it('reads all units back in a handful of Query pages, never one request per unit', async () => {
    // Arrange
    requests.reset();
    // Act
    const units = await store.listUnits(national.campaign.id);
    // Assert
    expect(units).toHaveLength(national.units.length);
    expect(requests.get('QueryCommand')).toBeGreaterThanOrEqual(2); // more than one page: paging is exercised
    expect(requests.get('QueryCommand')).toBeLessThanOrEqual(10);
    expect(requests.total()).toBe(requests.get('QueryCommand'));
    const commune = units.find((u) => u.depth === 2);
    expect(commune?.path).toHaveLength(2);
  });

  it('writes nothing when the same file is imported again', async () => {
    requests.reset();
    const plan = await importCampaign(store, national);
    expect(plan.unchangedCount).toBe(national.units.length);
    expect(requests.get('BatchWriteItemCommand')).toBe(0);
    expect(requests.get('PutItemCommand')).toBe(0);
  });

  it('writes only the changed units of an edited file', async () => {
    // Arrange: move 5 communes' targets (their parents' sums stay consistent only as a warning matter)
    const edited: CampaignFile = {
      ...national,
      units: national.units.map((u, i) => (i >= 100 && i < 105 ? { ...u, name: `${u.name} (đổi tên)` } : u)),
    };
    requests.reset();
    // Act
    const plan = await importCampaign(store, edited);
    // Assert
    expect(plan.updated).toHaveLength(5);
    expect(requests.get('BatchWriteItemCommand')).toBe(1);
    const stored = await store.listUnits(national.campaign.id);
    expect(stored.filter((u) => u.name.endsWith('(đổi tên)'))).toHaveLength(5);
  });

  it('lists the campaign once its units are in', async () => {
    const campaigns = await store.listCampaigns();
    expect(campaigns.map((c) => c.id)).toEqual([national.campaign.id]);
    expect(await store.getCampaign(national.campaign.id)).toEqual(national.campaign);
  });
});
