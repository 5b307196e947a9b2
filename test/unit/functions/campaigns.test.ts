/**
 * The dashboard's read routes (functions/campaigns.ts) on the Hưng Yên catalogue: the caller's
 * campaigns and top units, search ignoring diacritics, risk history, and the scope rules.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { makeHandler, ROUTES } from '../../../functions/campaigns.js';
import { buildHierarchy } from '../../../shared/domain/hierarchy.js';
import type { CatalogView } from '../../../shared/domain/intake.js';
import { foldText, searchUnits, topUnits } from '../../../shared/domain/unit-search.js';
import { CampaignFile } from '../../../shared/schemas/campaign.js';
import {
  CampaignDetail,
  CampaignList,
  RiskHistoryResponse,
  UnitSearchResponse,
} from '../../../shared/schemas/dashboard.js';
import { anHttpEvent } from '../../support/builders.js';

const file = CampaignFile.parse(JSON.parse(readFileSync('scenarios/hung-yen-2021.json', 'utf8')));
const CAMPAIGN = file.campaign.id;
const view: CatalogView = { campaign: file.campaign, hierarchy: buildHierarchy(file.units) };

const claims = (units: string[], scope = 'progress:read') => ({
  sub: `leader-${units.join('-')}`,
  scope,
  units,
});

const handler = makeHandler({
  catalog: { get: async (id) => (id === CAMPAIGN ? view : null) },
  campaigns: { listCampaigns: async () => [{ id: CAMPAIGN }, { id: 'gone' }] },
  riskHistory: {
    history: async (_campaignId, unitId) =>
      unitId === '323'
        ? [
            { level: 'critical', since: '2021-03-10T20:00:00+07:00' },
            { level: 'on_track', since: '2021-03-05T20:00:00+07:00' },
          ]
        : [],
  },
});

function get(
  route: keyof typeof ROUTES,
  units: string[],
  options: { unitId?: string; query?: Record<string, string>; scope?: string } = {},
) {
  return handler(
    anHttpEvent({
      method: 'GET',
      path: '/x',
      routeKey: ROUTES[route],
      pathParameters: { campaignId: CAMPAIGN, ...(options.unitId && { unitId: options.unitId }) },
      ...(options.query && { queryStringParameters: options.query }),
      claims: claims(units, options.scope),
    }),
  );
}
const body = (r: { body?: string }) => JSON.parse(r.body ?? 'null') as unknown;

describe('foldText()', () => {
  it.each([
    ['Thị trấn Như Quỳnh', 'thi tran nhu quynh'],
    ['Tỉnh Hưng Yên', 'tinh hung yen'],
    ['Xã Đình Dù', 'xa dinh du'],
    ['  HUYỆN   Ân Thi ', 'huyen an thi'],
  ])('%s → %s', (text, folded) => expect(foldText(text)).toBe(folded));
});

describe('GET /v1/campaigns', () => {
  it("lists the campaign with the caller's top unit; a caller holding nothing there sees none", async () => {
    const province = CampaignList.parse(body(await get('list', ['33'])));
    expect(province.campaigns).toEqual([
      expect.objectContaining({
        id: CAMPAIGN,
        rootUnitId: '33',
        lastDeadline: '2021-06-18',
        grantedUnits: ['33'],
      }),
    ]);
    const district = CampaignList.parse(body(await get('list', [`${CAMPAIGN}:323`, '323', '32301'])));
    expect(district.campaigns[0]?.grantedUnits).toEqual(['323']);
    expect(CampaignList.parse(body(await get('list', ['other-campaign:33']))).campaigns).toEqual([]);
    expect(CampaignList.parse(body(await get('list', ['*']))).campaigns[0]?.grantedUnits).toEqual(['33']);
  });

  it('needs progress:read', async () => {
    expect((await get('list', ['33'], { scope: 'intake:write' })).statusCode).toBe(403);
  });
});

describe('GET /v1/campaigns/{campaignId}', () => {
  it("answers the settings and the caller's top units; 404 to a caller holding nothing there", async () => {
    const detail = CampaignDetail.parse(body(await get('detail', ['323', '326'])));
    expect(detail.campaign.timeZone).toBe('Asia/Ho_Chi_Minh');
    expect(detail.topUnits.map((u) => [u.id, u.name])).toEqual([
      ['323', 'Huyện Văn Lâm'],
      ['326', 'Huyện Văn Giang'],
    ]);
    expect((await get('detail', ['other:33'])).statusCode).toBe(404);
  });

  it('reads nothing for a caller holding nothing in the campaign: the same 404 whether it exists or not', async () => {
    // Every campaign id asked for would otherwise be read and kept in the catalogue cache.
    const reads: string[] = [];
    const counting = makeHandler({
      catalog: {
        get: async (id) => {
          reads.push(id);
          return id === CAMPAIGN ? view : null;
        },
      },
      campaigns: { listCampaigns: async () => [] },
      riskHistory: { history: async () => [] },
    });
    const detailOf = (campaignId: string) =>
      counting(
        anHttpEvent({
          method: 'GET',
          path: '/x',
          routeKey: ROUTES.detail,
          pathParameters: { campaignId },
          claims: claims(['other:33']),
        }),
      );
    const real = await detailOf(CAMPAIGN);
    const madeUp = await detailOf('made-up-campaign');
    expect([real.statusCode, madeUp.statusCode]).toEqual([404, 404]);
    expect(body(real)).toMatchObject({ detail: `No campaign "${CAMPAIGN}"` });
    expect(reads).toEqual([]);
  });
});

describe('GET /v1/campaigns/{campaignId}/units', () => {
  it('finds "Thị trấn …" typed without diacritics, with its ancestors, inside the grants only', async () => {
    const all = UnitSearchResponse.parse(body(await get('search', ['33'], { query: { q: 'thi tran' } })));
    expect(all.units.map((u) => u.name)).toContain('Thị trấn Như Quỳnh');
    expect(all.units.every((u) => u.name.startsWith('Thị trấn'))).toBe(true);
    const nhuQuynh = all.units.find((u) => u.name === 'Thị trấn Như Quỳnh');
    expect(nhuQuynh?.path).toEqual(['Tỉnh Hưng Yên', 'Huyện Văn Lâm']);

    const district = UnitSearchResponse.parse(
      body(await get('search', ['326'], { query: { q: 'THI TRAN' } })),
    );
    expect(district.units.map((u) => u.name)).toEqual(['Thị trấn Văn Giang']);
  });

  it('matches ids by prefix and stops at the limit', async () => {
    const r = UnitSearchResponse.parse(body(await get('search', ['33'], { query: { q: '32', limit: '3' } })));
    expect(r.units).toHaveLength(3);
    expect(r.units.every((u) => u.id.startsWith('32'))).toBe(true);
  });

  it('refuses an empty q, a limit over 50 and unknown parameters with 400, listing each', async () => {
    const queries: Record<string, string>[] = [
      { q: '' },
      { q: 'x', limit: '51' },
      { q: 'x', sort: 'name' },
      {},
    ];
    for (const query of queries) {
      const r = await get('search', ['33'], { query });
      expect(r.statusCode).toBe(400);
      expect((body(r) as { errors: unknown[] }).errors.length).toBeGreaterThan(0);
    }
  });
});

describe('GET …/units/{unitId}/risk-history', () => {
  it('lists the changes oldest first, each with the level before; asOf cuts later ones', async () => {
    const r = RiskHistoryResponse.parse(body(await get('riskHistory', ['33'], { unitId: '323' })));
    expect(r.changes).toEqual([
      { at: '2021-03-05T20:00:00+07:00', from: null, to: 'on_track' },
      { at: '2021-03-10T20:00:00+07:00', from: 'on_track', to: 'critical' },
    ]);
    const earlier = RiskHistoryResponse.parse(
      body(await get('riskHistory', ['33'], { unitId: '323', query: { asOf: '2021-03-08T00:00:00+07:00' } })),
    );
    expect(earlier.changes).toHaveLength(1);
  });

  it("refuses a sibling district's unit and an unknown unit (403), telling an unknown unit (404) only to a grant of the whole campaign", async () => {
    expect((await get('riskHistory', ['326'], { unitId: '323' })).statusCode).toBe(403);
    expect((await get('riskHistory', ['33'], { unitId: 'nope' })).statusCode).toBe(403);
    expect((await get('riskHistory', ['*'], { unitId: 'nope' })).statusCode).toBe(404);
    expect((await get('riskHistory', ['other-campaign:33'], { unitId: '323' })).statusCode).toBe(403);
  });
});

describe('topUnits() and searchUnits()', () => {
  it('drops granted units inside other granted units', () => {
    expect(topUnits(view.hierarchy, new Set(['33', '323']))).toEqual(['33']);
    expect(searchUnits(view.hierarchy, new Set(['unknown']), 'xa', 10)).toEqual([]);
  });
});
