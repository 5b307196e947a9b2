import { beforeEach, describe, expect, it } from 'vitest';
import { makeHandler, type RiskStateSource, ROUTES } from '../../../functions/progress.js';
import { addDays } from '../../../shared/domain/calendar.js';
import type { RiskStateSnapshot } from '../../../shared/domain/risk.js';
import { ChildrenResponse, DailyResponse, ProgressResponse } from '../../../shared/schemas/progress.js';
import { anHttpEvent, type EventOptions } from '../../support/builders.js';
import { aCatalogView, fixedCatalog } from '../../support/catalog.js';
import { MemoryTotalsStore, someTotals } from '../../support/memory-totals.js';

const CAMPAIGN = 'cccd-2021-test';
/** 00:30 on 14 March in Hà Nội (UTC+7) while it is still the 13th in UTC: "today" is 2021-03-14. */
const NOW = new Date('2021-03-13T17:30:00Z');
const COMMUNE_12001 = { sub: 'xa-12001', scope: 'progress:read', units: ['12001'] };
const COMMUNE_12002 = { sub: 'xa-12002', scope: 'progress:read', units: ['12002'] };
const DISTRICT_323 = { sub: 'huyen-323', scope: 'progress:read', units: ['323'] };
const PROVINCE_33 = { sub: 'tinh-33', scope: 'progress:read', units: ['33'] };

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

/** The risk job's stored states, as its store would hand them over; records what was asked. */
function storedStates(states: Record<string, RiskStateSnapshot>) {
  const asked: { campaignId: string; unitIds: string[] }[] = [];
  const source: RiskStateSource = {
    get: async (campaignId, unitIds) => {
      asked.push({ campaignId, unitIds: [...unitIds] });
      return new Map(unitIds.flatMap((id) => (states[id] ? [[id, states[id]] as const] : [])));
    },
  };
  return { source, asked };
}
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
      });
      expect(body.last14Days[0]).toEqual({ day: '2021-03-01', count: 5 });
      expect(body.last14Days[9]).toEqual({ day: '2021-03-10', count: 3 });
      expect(body.last14Days[13]).toEqual({ day: '2021-03-14', count: 2 });
    });

    it('evaluates pace and risk now, from the days it reads (the 7 before today among them)', async () => {
      // Act: 00:30 on 14/3, so the 14th counts: 290 remaining over 14/3–18/6 (97 days)
      const response = await handler(aReadRequest('progress', '12001', { claims: COMMUNE_12001 }));
      // Assert: 7/3–13/3 saw 3 (on the 10th)
      const body = ProgressResponse.parse(json(response.body));
      expect(body).toMatchObject({
        daysLeft: 97,
        requiredDailyRate: 2.99,
        observedDailyRate: 0.43,
        paceRatio: 0.14,
        // ⌈290 / (3 / 7)⌉ = 677 days from the 14th
        projectedCompletion: addDays('2021-03-14', 676),
        risk: { level: 'critical', since: null },
      });
      // One Query of the unit's DAY items: the total is their sum, the days come from the same read
      expect(totals.reads.getDays).toEqual([
        { campaignId: CAMPAIGN, unitId: '12001', from: undefined, to: undefined },
      ]);
      expect(totals.reads.getTotals).toHaveLength(0);
    });

    it("gives risk.since from the risk job's state when it holds the level computed", async () => {
      // Arrange
      const states = storedStates({
        '12001': { level: 'critical', since: '2021-03-11T15:00:00.000Z' },
        '12002': { level: 'at_risk', since: '2021-03-11T15:00:00.000Z' },
      });
      const withStates = makeHandler({
        catalog: fixedCatalog(aCatalogView()),
        totals,
        riskStates: states.source,
        clock: () => NOW,
      });
      // Act
      const same = ProgressResponse.parse(json((await withStates(aReadRequest('progress', '12001'))).body));
      const changed = ProgressResponse.parse(
        json((await withStates(aReadRequest('progress', '12002'))).body),
      );
      const before = ProgressResponse.parse(
        json(
          (
            await withStates(
              aReadRequest('progress', '12001', { query: { asOf: '2021-03-11T10:00:00+07:00' } }),
            )
          ).body,
        ),
      );
      // Assert: 12002 (90 on the 12th, 210 left) is on track now, not at risk as stored
      expect(same.risk).toEqual({ level: 'critical', since: '2021-03-11T15:00:00.000Z' });
      expect(changed.risk).toEqual({ level: 'on_track', since: null });
      // asOf 11/3 10:00 is before the stored since (22:00 on the 11th)
      expect(before.risk).toEqual({ level: 'critical', since: null });
      expect(states.asked).toEqual([
        { campaignId: CAMPAIGN, unitIds: ['12001'] },
        { campaignId: CAMPAIGN, unitIds: ['12002'] },
        { campaignId: CAMPAIGN, unitIds: ['12001'] },
      ]);
    });

    it("gives each sub-target its own pace and level: the province's officials by 30/4", async () => {
      // Arrange: the province (target 1,000) gets 40 a day, 5 of them officials (target 50)
      for (let i = 0; i < 13; i++) {
        totals
          .addDay(CAMPAIGN, '33', addDays('2021-03-01', i), someTotals(35))
          .addDay(CAMPAIGN, '33', addDays('2021-03-01', i), someTotals(5, { group: 'official' }));
      }
      // Act
      const response = await handler(aReadRequest('progress', '33'));
      // Assert: the province needs 480 over 97 days (4.95 a day) and sees 40: on track;
      // the officials need 50 − 65 < 0: done.
      const body = ProgressResponse.parse(json(response.body));
      expect(body).toMatchObject({ total: 520, observedDailyRate: 40, risk: { level: 'on_track' } });
      expect(body.subTargets).toMatchObject([{ group: 'official', total: 65, risk: { level: 'done' } }]);
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
        {
          group: 'official',
          target: 50,
          deadline: '2021-04-30',
          total: 10,
          percent: 20,
          // missed: no projection, however fast officials come now (later intake does not count)
          daysLeft: 0,
          requiredDailyRate: null,
          observedDailyRate: 2.43,
          paceRatio: null,
          projectedCompletion: null,
          risk: { level: 'missed', since: null },
        },
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
      // 8:00 on 10/3: 292 left over 10/3–18/6 (101 days), nothing on 3/3–9/3
      expect(body).toMatchObject({
        daysLeft: 101,
        requiredDailyRate: 2.89,
        observedDailyRate: 0,
        paceRatio: 0,
        projectedCompletion: null,
        risk: { level: 'critical', since: null },
      });
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
      ['"*" reads everything', { sub: 'admin', scope: 'progress:read', units: ['*'] }, '12101', 200],
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
          aReadRequest(route, '12001', { claims: { sub: 'post-1', scope: 'intake:write', units: ['33'] } }),
        );
        // Assert
        expect(anonymous.statusCode).toBe(401);
        expect(writer.statusCode).toBe(403);
        expect(problemOf(writer.body).detail).toContain('progress:read');
      },
    );

    it.each(Object.keys(ROUTES) as Route[])(
      '%s: 404 for an unknown unit or campaign only to a caller holding the whole campaign; 403 first otherwise',
      async (route) => {
        // Arrange
        const national = { sub: 'n', scope: 'progress:read', units: ['*'] };
        const otherCampaign = { sub: 'o', scope: 'progress:read', units: ['cccd-2099-other:*'] };
        // Act
        const unknownUnit = await handler(aReadRequest(route, '99999', { claims: national }));
        const unknownCampaign = await handler(
          aReadRequest(route, '12001', { campaignId: 'cccd-2099-none', claims: national }),
        );
        const unknownUnitToProvince = await handler(aReadRequest(route, '99999'));
        const existingToOther = await handler(aReadRequest(route, '12001', { claims: otherCampaign }));
        const unknownToOther = await handler(
          aReadRequest(route, '12001', { campaignId: 'cccd-2099-none', claims: otherCampaign }),
        );
        // Assert
        expect(unknownUnit.statusCode).toBe(404);
        expect(problemOf(unknownUnit.body).detail).toContain('99999');
        expect(unknownCampaign.statusCode).toBe(404);
        expect(unknownCampaign.headers?.['content-type']).toBe('application/problem+json');
        expect([unknownUnitToProvince, existingToOther, unknownToOther].map((r) => r.statusCode)).toEqual([
          403, 403, 403,
        ]);
      },
    );
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
    it('lists the children worst first, each from one Query of its DAY items', async () => {
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
      expect(body.children[0]?.last14Days).toHaveLength(14);
      expect(body.children[0]?.last14Days?.at(-1)).toEqual({ day: '2021-03-14', count: 4 });
      expect(body.children[0]?.today).toEqual({ day: '2021-03-14', count: 4 });
      // Running totals are not stored: each child's total, today and the days pace observes come
      // from one Query of its DAY items, and so do its last 14 days
      expect(totals.reads.getDays).toEqual([
        { campaignId: CAMPAIGN, unitId: '323', from: undefined, to: undefined },
        { campaignId: CAMPAIGN, unitId: '324', from: undefined, to: undefined },
      ]);
      expect(totals.reads.getTotals).toHaveLength(0);
    });

    it("evaluates each child's pace and level from its days, with since from the risk job", async () => {
      // Arrange
      const states = storedStates({
        '323': { level: 'on_track', since: '2021-03-12T15:00:00.000Z' },
        '324': { level: 'critical', since: '2021-03-12T15:00:00.000Z' },
      });
      const withStates = makeHandler({
        catalog: fixedCatalog(aCatalogView()),
        totals,
        riskStates: states.source,
        clock: () => NOW,
      });
      // Act
      const response = await withStates(aReadRequest('children', '33'));
      // Assert: 97 days left; 323 needs 300 and saw 300 on the 12th, 324 needs 360 and saw 36
      const body = ChildrenResponse.parse(json(response.body));
      expect(body.children).toMatchObject([
        {
          unit: { id: '324' },
          requiredDailyRate: 3.71,
          observedDailyRate: 5.14,
          paceRatio: 1.38,
          risk: { level: 'on_track', since: null },
        },
        {
          unit: { id: '323' },
          requiredDailyRate: 3.09,
          observedDailyRate: 42.86,
          paceRatio: 13.85,
          projectedCompletion: '2021-03-20',
          risk: { level: 'on_track', since: '2021-03-12T15:00:00.000Z' },
        },
      ]);
      expect(states.asked).toEqual([{ campaignId: CAMPAIGN, unitIds: ['323', '324'] }]);
    });

    it.each([
      ['on day 1: no complete day to observe', '2021-03-01T03:00:00Z', 'no_data'],
      ['on day 4: three days', '2021-03-04T03:00:00Z', 'critical'],
      ['before the start', '2021-02-20T03:00:00Z', 'no_data'],
    ])('observes only the days the campaign has had: %s', async (_, now, level) => {
      // Arrange
      const early = makeHandler({
        catalog: fixedCatalog(aCatalogView()),
        totals,
        clock: () => new Date(now),
      });
      // Act
      const response = await early(aReadRequest('children', '323', { claims: DISTRICT_323 }));
      // Assert
      const body = ChildrenResponse.parse(json(response.body));
      expect(totals.reads.getDays).toHaveLength(2);
      expect(body.children.map((c) => c.risk.level)).toEqual([level, level]);
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
      // 23:59 on 10/3: 11/3–18/6 is 100 days; nothing came on 3/3–9/3
      expect(body.children.map((c) => [c.daysLeft, c.observedDailyRate, c.risk.level])).toEqual([
        [100, 0, 'critical'],
        [100, 0, 'critical'],
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
