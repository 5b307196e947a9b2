import { describe, expect, it } from 'vitest';
import { ChildrenResponse } from '../../../../shared/schemas/progress.js';
import { someTotals } from '../../../support/memory-totals.js';
import {
  aProgressHandler,
  aReadRequest,
  CAMPAIGN,
  DISTRICT_323,
  expectDayQueriesOnly,
  json,
  NOW,
  progressApi,
  storedStates,
} from '../../../support/progress-reads.js';

describe('GET progress, children and daily of a unit', () => {
  const api = progressApi();

  describe('children', () => {
    it('lists the children worst first, each from one Query of its DAY items', async () => {
      // Act
      const response = await api.handler(aReadRequest('children', '33'));
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
      expectDayQueriesOnly(api.totals, ['323', '324']);
    });

    it("evaluates each child's pace and level from its days, with since from the risk job", async () => {
      // Arrange
      const states = storedStates({
        '323': { level: 'on_track', since: '2021-03-12T15:00:00.000Z' },
        '324': { level: 'critical', since: '2021-03-12T15:00:00.000Z' },
      });
      const withStates = aProgressHandler(api.totals, { riskStates: states.source });
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
      const early = aProgressHandler(api.totals, { now: new Date(now) });
      // Act
      const response = await early(aReadRequest('children', '323', { claims: DISTRICT_323 }));
      // Assert
      const body = ChildrenResponse.parse(json(response.body));
      expect(api.totals.reads.getDays).toHaveLength(2);
      expect(body.children.map((c) => c.risk.level)).toEqual([level, level]);
    });

    it('breaks ties in percent by unit id', async () => {
      // Arrange: 12001 reaches 90 of 300, as 12002 has
      api.totals.addDay(CAMPAIGN, '12001', '2021-03-13', someTotals(80));
      // Act
      const response = await api.handler(aReadRequest('children', '323', { claims: DISTRICT_323 }));
      // Assert
      const body = ChildrenResponse.parse(json(response.body));
      expect(body.children.map((c) => [c.unit.id, c.percent])).toEqual([
        ['12001', 30],
        ['12002', 30],
      ]);
    });

    it('answers an empty list for a unit without children, reading nothing', async () => {
      const response = await api.handler(aReadRequest('children', '12101'));
      expect(ChildrenResponse.parse(json(response.body)).children).toEqual([]);
      expect(api.totals.reads.getTotals.length + api.totals.reads.getDays.length).toBe(0);
    });

    it("with asOf, sums each child's days through that local day, and fills today", async () => {
      // Act
      const response = await api.handler(
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
      expect(api.totals.reads.getTotals).toHaveLength(0);
    });
  });
});
