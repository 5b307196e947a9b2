import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_CAMPAIGN_BODY_BYTES, makeHandler } from '../../../functions/campaign-admin.js';
import { aCampaignFile, anHttpEvent, aUnit, type EventOptions } from '../../support/builders.js';
import { MemoryCampaignStore } from '../../support/memory-campaign-store.js';

const put = (body: unknown, options: Partial<EventOptions> = {}) =>
  anHttpEvent({
    method: 'PUT',
    path: '/v1/campaigns/cccd-2021-test',
    routeKey: 'PUT /v1/campaigns/{campaignId}',
    pathParameters: { campaignId: 'cccd-2021-test' },
    body,
    ...options,
  });

const json = (body: string | undefined) => JSON.parse(body ?? 'null');

describe('PUT /v1/campaigns/{campaignId}', () => {
  let store: MemoryCampaignStore;
  let handler: ReturnType<typeof makeHandler>;
  beforeEach(() => {
    store = new MemoryCampaignStore();
    handler = makeHandler({ store });
  });

  it('creates the campaign (201) and then reports an identical re-import as unchanged with no write', async () => {
    // Act
    const first = await handler(put(aCampaignFile()));
    const writesAfterFirst = store.writes;
    const second = await handler(put(aCampaignFile()));
    // Assert
    expect(first.statusCode).toBe(201);
    expect(json(first.body)).toMatchObject({ campaign: 'created', units: { created: 6, unchanged: 0 } });
    expect(second.statusCode).toBe(200);
    expect(json(second.body)).toMatchObject({
      campaign: 'unchanged',
      units: { created: 0, updated: 0, unchanged: 6 },
    });
    expect(store.writes).toBe(writesAfterFirst);
    expect((await store.listUnits('cccd-2021-test')).find((u) => u.id === '12001')?.path).toEqual([
      '33',
      '323',
    ]);
  });

  it('says what an edited file changed', async () => {
    await handler(put(aCampaignFile()));
    const edited = aCampaignFile();
    edited.units = edited.units.map((u) => (u.id === '12001' ? { ...u, deadline: '2021-06-10' } : u));
    const response = await handler(put(edited));
    expect(response.statusCode).toBe(200);
    expect(json(response.body).changes).toEqual(['  unit 12001 (Xã Một) deadline: 2021-06-18 → 2021-06-10']);
  });

  it('lists every problem of an invalid file as problem+json, and stores nothing', async () => {
    // Arrange: unknown parent, negative target, bad date
    const bad = aCampaignFile();
    bad.units.push(aUnit({ id: '99999', parentId: '404', target: -5, deadline: '2021-02-30' }));
    // Act
    const response = await handler(put(bad));
    // Assert
    expect(response.statusCode).toBe(400);
    expect(response.headers?.['content-type']).toBe('application/problem+json');
    const problem = json(response.body);
    const paths = problem.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['units[6].target', 'units[6].deadline']));
    expect(problem.status).toBe(400);
    expect(store.writes).toBe(0);
  });

  it('reports an unknown parent once the schema holds', async () => {
    const bad = aCampaignFile();
    bad.units.push(aUnit({ id: '99999', parentId: '404' }));
    const problem = json((await handler(put(bad))).body);
    expect(problem.errors).toEqual([expect.objectContaining({ path: 'units[6].parentId' })]);
  });

  it.each([
    ['not JSON', '{"campaign":', 400],
    ['an empty body', '', 400],
    ['a JSON array', '[]', 400],
  ])('answers %s with 400', async (_, body, status) => {
    const response = await handler(put(body));
    expect(response.statusCode).toBe(status);
    expect(json(response.body).type).toBe('urn:problem:validation');
  });

  it('refuses a body over the limit with 413 before parsing', async () => {
    const response = await handler(put(`"${'x'.repeat(MAX_CAMPAIGN_BODY_BYTES)}"`));
    expect(response.statusCode).toBe(413);
  });

  it('refuses a file whose campaign id differs from the path', async () => {
    const response = await handler(put(aCampaignFile({ campaign: { id: 'other-campaign' } })));
    expect(response.statusCode).toBe(400);
    expect(json(response.body).errors).toEqual([expect.objectContaining({ path: 'campaign.id' })]);
  });

  it('needs a token (401), the admin scope (403), and "*" to create a campaign (403 for its root admin)', async () => {
    const noToken = await handler(put(aCampaignFile(), { claims: null }));
    const noScope = await handler(
      put(aCampaignFile(), { claims: { sub: 'p', scope: 'progress:read', units: ['*'] } }),
    );
    const district = await handler(
      put(aCampaignFile(), { claims: { sub: 'd', scope: 'admin', units: ['323'] } }),
    );
    const root = await handler(put(aCampaignFile(), { claims: { sub: 'r', scope: 'admin', units: ['33'] } }));
    const national = await handler(
      put(aCampaignFile(), { claims: { sub: 'n', scope: 'admin', units: ['*'] } }),
    );
    expect([noToken.statusCode, noScope.statusCode, district.statusCode, root.statusCode]).toEqual([
      401, 403, 403, 403,
    ]);
    expect(json(root.body).detail).toMatch(/Creating campaign cccd-2021-test needs the grant "\*"/);
    expect(national.statusCode).toBe(201);
    expect(await store.getCampaign('cccd-2021-test')).not.toBeNull();
  });

  describe('authority, judged against the stored campaign', () => {
    const admin = (...units: string[]) => ({ claims: { sub: 'a', scope: 'admin', units } });
    beforeEach(async () => {
      expect((await handler(put(aCampaignFile(), admin('*')))).statusCode).toBe(201);
    });

    it('refuses a commune admin whose file makes its commune the root with the province under it', async () => {
      // Arrange
      const file = aCampaignFile();
      file.units = file.units.map((u) =>
        u.id === '12001' ? { ...u, parentId: null } : u.id === '33' ? { ...u, parentId: '12001' } : u,
      );
      const writes = store.writes;
      // Act
      const response = await handler(put(file, admin('12001')));
      // Assert
      expect(response.statusCode).toBe(403);
      expect(json(response.body).detail).toMatch(/root unit 33/);
      expect(store.writes).toBe(writes);
      expect((await store.listUnits('cccd-2021-test')).find((u) => u.id === '33')?.parentId).toBeNull();
    });

    it('refuses a district admin removals (even with allowRemoval) and edits outside its subtree', async () => {
      const smaller = aCampaignFile();
      smaller.units = smaller.units.filter((u) => u.id !== '12101');
      const removal = await handler(
        put(smaller, { ...admin('323'), queryStringParameters: { allowRemoval: 'true' } }),
      );
      const neighbour = aCampaignFile();
      neighbour.units = neighbour.units.map((u) => (u.id === '324' ? { ...u, target: 1 } : u));
      const edit = await handler(put(neighbour, admin('323')));
      expect([removal.statusCode, edit.statusCode]).toEqual([403, 403]);
      expect((await store.listUnits('cccd-2021-test')).map((u) => u.id)).toContain('12101');
    });

    it('lets the province admin update its targets, and a district admin its communes', async () => {
      const province = aCampaignFile();
      province.units = province.units.map((u) => (u.id === '33' ? { ...u, target: 2000 } : u));
      // The district's file is the stored campaign (with the province's new target) and its own edit.
      const communes = {
        ...province,
        units: province.units.map((u) => (u.id === '12001' ? { ...u, target: 250 } : u)),
      };
      expect((await handler(put(province, admin('33')))).statusCode).toBe(200);
      expect((await handler(put(communes, admin('cccd-2021-test:323')))).statusCode).toBe(200);
      expect((await store.listUnits('cccd-2021-test')).find((u) => u.id === '12001')?.target).toBe(250);
    });

    it('answers 403 to an admin whose grants name another campaign only, before reading anything', async () => {
      const response = await handler(put(aCampaignFile(), admin('cccd-2021-other:*')));
      expect(response.statusCode).toBe(403);
    });
  });

  it('refuses to remove stored units unless asked (409), then removes them', async () => {
    await handler(put(aCampaignFile()));
    const smaller = aCampaignFile();
    smaller.units = smaller.units.filter((u) => u.id !== '12002');
    smaller.units = smaller.units.map((u) => (u.id === '323' ? { ...u, target: 300 } : u));
    const refused = await handler(put(smaller));
    expect(refused.statusCode).toBe(409);
    expect(json(refused.body).detail).toContain('12002');
    expect((await store.listUnits('cccd-2021-test')).map((u) => u.id)).toContain('12002');
    const allowed = await handler(put(smaller, { queryStringParameters: { allowRemoval: 'true' } }));
    expect(allowed.statusCode).toBe(200);
    expect((await store.listUnits('cccd-2021-test')).map((u) => u.id)).not.toContain('12002');
  });

  it('answers 500 without internals when the store fails', async () => {
    const failing = makeHandler({
      store: Object.assign(new MemoryCampaignStore(), {
        getCampaign: async () => {
          throw new Error('secret table arn');
        },
      }),
    });
    const response = await failing(put(aCampaignFile()));
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('secret');
  });
});
