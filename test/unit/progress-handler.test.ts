import { beforeEach, describe, expect, it } from 'vitest';
import { makeHandler, ROUTES } from '../../functions/progress.js';
import { ChildrenResponse, DailyResponse, ProgressResponse } from '../../shared/schemas/progress.js';
import { anHttpEvent, type EventOptions } from '../support/builders.js';
import { aCatalogView, fixedCatalog } from '../support/catalog.js';
import { MemoryTotalsStore, someTotals } from '../support/memory-totals.js';

const CAMPAIGN = 'cccd-2021-test';
/** 00:30 on 14 March in Hà Nội (UTC+7) while it is still the 13th in UTC: "today" is 2021-03-14. */
const NOW = new Date('2021-03-13T17:30:00Z');
const COMMUNE_12001 = { sub: 'xa-12001', scope: 'progress:read', units: '[12001]' };
const COMMUNE_12002 = { sub: 'xa-12002', scope: 'progress:read', units: '[12002]' };
const DISTRICT_323 = { sub: 'huyen-323', scope: 'progress:read', units: '[323]' };
const PROVINCE_33 = { sub: 'tinh-33', scope: 'progress:read', units: '[33]' };

type Route = keyof typeof ROUTES;

/** A GET of one of the three read routes, as API Gateway hands it to the function. */
function aReadRequest(
  route: Route,
  unitId: string,
  options: { query?: Record<string, string>; claims?: EventOptions['claims']; campaignId?: string } = {},
) {
  const campaignId = options.campaignId ?? CAMPAIGN;
  return anHttpEvent({
    method: 'GET',
    path: `/v1/campaigns/${campaignId}/units/${unitId}/${route}`,
    routeKey: ROUTES[route],
    pathParameters: { campaignId, unitId },
    ...(options.query && { queryStringParameters: options.query }),
    claims: options.claims === undefined ? PROVINCE_33 : options.claims,
  });
}

const json = (body: string | undefined): unknown => JSON.parse(body ?? 'null');
const problemOf = (body: string | undefined) =>
  json(body) as { status: number; detail?: string; errors?: { path: string; message: string }[] };

describe('GET progress, children and daily of a unit', () => {
  let totals: MemoryTotalsStore;
  let handler: ReturnType<typeof makeHandler>;
  beforeEach(() => {
    totals = new MemoryTotalsStore()
      .addDay(CAMPAIGN, '12001', '2021-03-01', someTotals(5))
      .addDay(CAMPAIGN, '12001', '2021-03-10', someTotals(3, { group: 'official', channel: 'mobile' }))
      .addDay(CAMPAIGN, '12001', '2021-03-14', someTotals(2, { kind: 'renewal' }))
      .addDay(CAMPAIGN, '12002', '2021-03-12', someTotals(90))
      .addDay(CAMPAIGN, '323', '2021-03-12', someTotals(300))
      .addDay(CAMPAIGN, '324', '2021-03-12', someTotals(36))
      .addDay(CAMPAIGN, '324', '2021-03-14', someTotals(4));
    handler = makeHandler({ catalog: fixedCatalog(aCatalogView()), totals, clock: () => NOW });
  });

  describe('progress', () => {
    it("answers the unit's figures, with today as the local day in the campaign time zone", async () => {
      // Act
      const response = await handler(aReadRequest('progress', '12001', { claims: COMMUNE_12001 }));
      // Assert
      expect(response.statusCode).toBe(200);
      const body = ProgressResponse.parse(json(response.body));
      expect(body).toMatchObject({
        campaignId: CAMPAIGN,
        unit: { id: '12001', name: 'Xã Một', level: 'commune', parentId: '323' },
        target: 300,
        deadline: '2021-06-18',
        total: 10,
        percent: 3.33,
        remaining: 290,
        byKind: { new: 8, renewal: 2 },
        byChannel: { fixed: 7, mobile: 3 },
        byGroup: { official: 3 },
        today: { day: '2021-03-14', count: 2 },
        subTargets: [],
        asOf: NOW.toISOString(),
        risk: { level: null, since: null },
      });
      expect(body.last14Days[0]).toEqual({ day: '2021-03-01', count: 5 });
      expect(body.last14Days[9]).toEqual({ day: '2021-03-10', count: 3 });
      expect(body.last14Days[13]).toEqual({ day: '2021-03-14', count: 2 });
    });

    it('counts a sub-target only up to its deadline once the deadline has passed', async () => {
      // Arrange: the province's "official" sub-target ends 2021-04-30
      totals
        .addDay(CAMPAIGN, '33', '2021-04-29', someTotals(10, { group: 'official' }))
        .addDay(CAMPAIGN, '33', '2021-05-02', someTotals(7, { group: 'official' }));
      const may = makeHandler({
        catalog: fixedCatalog(aCatalogView()),
        totals,
        clock: () => new Date('2021-05-05T03:00:00Z'),
      });
      // Act
      const response = await may(aReadRequest('progress', '33'));
      // Assert
      const body = ProgressResponse.parse(json(response.body));
      expect(body.byGroup).toEqual({ official: 17 });
      expect(body.subTargets).toEqual([
        { group: 'official', target: 50, deadline: '2021-04-30', total: 10, percent: 20 },
      ]);
    });

    it('with asOf, answers the figures through the local day of asOf, summed from its days', async () => {
      // Act
      const response = await handler(
        aReadRequest('progress', '12001', { query: { asOf: '2021-03-10T08:00:00+07:00' } }),
      );
      // Assert
      const body = ProgressResponse.parse(json(response.body));
      expect(body).toMatchObject({
        total: 8,
        today: { day: '2021-03-10', count: 3 },
        asOf: '2021-03-10T01:00:00.000Z',
      });
      expect(body.last14Days.at(-1)).toEqual({ day: '2021-03-10', count: 3 });
      expect(totals.reads.getTotals).toHaveLength(0);
      expect(totals.reads.getDays).toEqual([
        { campaignId: CAMPAIGN, unitId: '12001', from: undefined, to: '2021-03-10' },
      ]);
    });

    it('reads an asOf whose "+" arrived as a space (an unencoded query string)', async () => {
      const response = await handler(
        aReadRequest('progress', '12001', { query: { asOf: '2021-03-10T08:00:00 07:00' } }),
      );
      expect(response.statusCode).toBe(200);
      expect(ProgressResponse.parse(json(response.body)).total).toBe(8);
    });
  });

  describe('who may read what', () => {
    it('refuses a commune token reading a sibling commune (403 problem+json)', async () => {
      // Act
      const response = await handler(aReadRequest('progress', '12001', { claims: COMMUNE_12002 }));
      // Assert
      expect(response.statusCode).toBe(403);
      expect(response.headers?.['content-type']).toBe('application/problem+json');
      expect(problemOf(response.body)).toMatchObject({
        status: 403,
        detail: expect.stringContaining('12001'),
      });
    });

    it.each([
      ['a district token reads its commune', DISTRICT_323, '12001', 200],
      ['a district token reads itself', DISTRICT_323, '323', 200],
      ['a district token may not read its parent', DISTRICT_323, '33', 403],
      ['a district token may not read another district', DISTRICT_323, '324', 403],
      ['"*" reads everything', { sub: 'admin', scope: 'progress:read', units: '[*]' }, '12101', 200],
    ])('%s', async (_, claims, unitId, status) => {
      const response = await handler(aReadRequest('progress', unitId, { claims }));
      expect(response.statusCode).toBe(status);
    });

    it.each(Object.keys(ROUTES) as Route[])(
      '%s: 401 without claims, 403 without progress:read',
      async (route) => {
        // Act
        const anonymous = await handler(aReadRequest(route, '12001', { claims: null }));
        const writer = await handler(
          aReadRequest(route, '12001', { claims: { sub: 'post-1', scope: 'intake:write', units: '[33]' } }),
        );
        // Assert
        expect(anonymous.statusCode).toBe(401);
        expect(writer.statusCode).toBe(403);
        expect(problemOf(writer.body).detail).toContain('progress:read');
      },
    );

    it.each(Object.keys(ROUTES) as Route[])('%s: 404 for an unknown unit or campaign', async (route) => {
      // Act
      const unknownUnit = await handler(aReadRequest(route, '99999'));
      const unknownCampaign = await handler(aReadRequest(route, '12001', { campaignId: 'cccd-2099-none' }));
      // Assert
      expect(unknownUnit.statusCode).toBe(404);
      expect(problemOf(unknownUnit.body).detail).toContain('99999');
      expect(unknownCampaign.statusCode).toBe(404);
      expect(unknownCampaign.headers?.['content-type']).toBe('application/problem+json');
    });
  });

  describe('bad queries (400 problem+json, nothing read)', () => {
    it.each([
      ['an asOf that is not a date-time', { asOf: 'yesterday' }, 'asOf'],
      ['an asOf without time and offset', { asOf: '2021-03-10' }, 'asOf'],
      ['an asOf in the future', { asOf: '2021-03-15T08:00:00+07:00' }, 'asOf'],
      ['a misspelt parameter', { asof: '2021-03-10T08:00:00+07:00' }, 'asof'],
    ])('%s', async (_, query, path) => {
      // Act
      const responses = await Promise.all(
        (Object.keys(ROUTES) as Route[]).map((route) => handler(aReadRequest(route, '12001', { query }))),
      );
      // Assert
      for (const response of responses) {
        expect(response.statusCode).toBe(400);
        expect(response.headers?.['content-type']).toBe('application/problem+json');
        expect(problemOf(response.body).errors?.map((e) => e.path)).toEqual([path]);
      }
      expect(totals.reads.getTotals.length + totals.reads.getDays.length).toBe(0);
    });

    it.each([
      ['a date that does not exist', { from: '2021-02-30' }, 'from'],
      ['a date written otherwise', { to: '14/03/2021' }, 'to'],
      ['from after to', { from: '2021-03-10', to: '2021-03-01' }, 'from'],
      ['a range over 400 days', { from: '2021-01-01', to: '2022-03-01' }, 'to'],
    ])('daily: %s', async (_, query, path) => {
      // Act
      const response = await handler(aReadRequest('daily', '12001', { query }));
      // Assert
      expect(response.statusCode).toBe(400);
      expect(problemOf(response.body).errors?.map((e) => e.path)).toEqual([path]);
      expect(totals.reads.getDays).toHaveLength(0);
    });
  });

  describe('children', () => {
    it("lists the children worst first, their TOTAL and today's DAY items read in batches, no per-child request", async () => {
      // Act
      const response = await handler(aReadRequest('children', '33'));
      // Assert
      expect(response.statusCode).toBe(200);
      const body = ChildrenResponse.parse(json(response.body));
      expect(body.children.map((c) => [c.unit.id, c.percent])).toEqual([
        ['324', 10],
        ['323', 50],
      ]);
      expect(body).toMatchObject({ campaignId: CAMPAIGN, unitId: '33', asOf: NOW.toISOString() });
      expect(body.children[0]).not.toHaveProperty('last14Days');
      expect(body.children[0]?.today).toEqual({ day: '2021-03-14', count: 4 });
      expect(totals.reads.getTotals).toEqual([
        { campaignId: CAMPAIGN, unitIds: ['323', '324'], day: undefined },
        { campaignId: CAMPAIGN, unitIds: ['323', '324'], day: '2021-03-14' },
      ]);
      expect(totals.reads.getDays).toHaveLength(0);
    });

    it('breaks ties in percent by unit id', async () => {
      // Arrange: 12001 reaches 90 of 300, as 12002 has
      totals.addDay(CAMPAIGN, '12001', '2021-03-13', someTotals(80));
      // Act
      const response = await handler(aReadRequest('children', '323', { claims: DISTRICT_323 }));
      // Assert
      const body = ChildrenResponse.parse(json(response.body));
      expect(body.children.map((c) => [c.unit.id, c.percent])).toEqual([
        ['12001', 30],
        ['12002', 30],
      ]);
    });

    it('answers an empty list for a unit without children, reading nothing', async () => {
      const response = await handler(aReadRequest('children', '12101'));
      expect(ChildrenResponse.parse(json(response.body)).children).toEqual([]);
      expect(totals.reads.getTotals.length + totals.reads.getDays.length).toBe(0);
    });

    it("with asOf, sums each child's days through that local day, and fills today", async () => {
      // Act
      const response = await handler(
        aReadRequest('children', '323', {
          claims: DISTRICT_323,
          query: { asOf: '2021-03-10T23:59:00+07:00' },
        }),
      );
      // Assert: 12002's 90 came on the 12th, after asOf's day
      const body = ChildrenResponse.parse(json(response.body));
      expect(body.children.map((c) => [c.unit.id, c.total, c.today])).toEqual([
        ['12002', 0, { day: '2021-03-10', count: 0 }],
        ['12001', 8, { day: '2021-03-10', count: 3 }],
      ]);
      expect(totals.reads.getTotals).toHaveLength(0);
    });
  });

  describe('daily', () => {
    it('gives every day from the campaign start through today by default, zeros filled', async () => {
      // Act
      const response = await handler(aReadRequest('daily', '12001'));
      // Assert
      const body = DailyResponse.parse(json(response.body));
      expect(body).toMatchObject({
        campaignId: CAMPAIGN,
        unitId: '12001',
        from: '2021-03-01',
        to: '2021-03-14',
      });
      expect(body.days).toHaveLength(14);
      expect(body.days[9]).toEqual({
        day: '2021-03-10',
        count: 3,
        byKind: { new: 3 },
        byChannel: { mobile: 3 },
        byGroup: { official: 3 },
      });
      expect(body.days.filter((d) => d.count > 0).map((d) => d.day)).toEqual([
        '2021-03-01',
        '2021-03-10',
        '2021-03-14',
      ]);
      expect(totals.reads.getDays).toEqual([
        { campaignId: CAMPAIGN, unitId: '12001', from: '2021-03-01', to: '2021-03-14' },
      ]);
    });

    it('with asOf, leaves out the days after its local day (they count 0)', async () => {
      // Act
      const response = await handler(
        aReadRequest('daily', '12001', {
          query: { from: '2021-03-08', to: '2021-03-14', asOf: '2021-03-10T12:00:00+07:00' },
        }),
      );
      // Assert
      const body = DailyResponse.parse(json(response.body));
      expect(body.days.map((d) => d.count)).toEqual([0, 0, 3, 0, 0, 0, 0]);
      expect(totals.reads.getDays[0]?.to).toBe('2021-03-10');
    });
  });

  it('answers 404 for a route it does not serve', async () => {
    const response = await handler(
      anHttpEvent({ method: 'GET', path: '/v1/elsewhere', claims: PROVINCE_33 }),
    );
    expect(response.statusCode).toBe(404);
  });
});
