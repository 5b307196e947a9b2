import { describe, expect, it } from 'vitest';
import { addDays } from '../../../../shared/domain/calendar.js';
import { ProgressResponse } from '../../../../shared/schemas/progress.js';
import { someTotals } from '../../../support/memory-totals.js';
import {
  aProgressHandler,
  aReadRequest,
  CAMPAIGN,
  expectDayQueriesOnly,
  json,
  NOW,
  progressApi,
  storedStates,
} from '../../../support/progress-reads.js';

const COMMUNE_12001 = { sub: 'xa-12001', scope: 'progress:read', units: ['12001'] };

describe('GET progress, children and daily of a unit', () => {
  const api = progressApi();

  describe('progress', () => {
    it("answers the unit's figures, with today as the local day in the campaign time zone", async () => {
      // Act
      const response = await api.handler(aReadRequest('progress', '12001', { claims: COMMUNE_12001 }));
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
      const response = await api.handler(aReadRequest('progress', '12001', { claims: COMMUNE_12001 }));
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
      expectDayQueriesOnly(api.totals, ['12001']);
    });

    it("gives risk.since from the risk job's state when it holds the level computed", async () => {
      // Arrange
      const states = storedStates({
        '12001': { level: 'critical', since: '2021-03-11T15:00:00.000Z' },
        '12002': { level: 'at_risk', since: '2021-03-11T15:00:00.000Z' },
      });
      const withStates = aProgressHandler(api.totals, { riskStates: states.source });
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
        api.totals
          .addDay(CAMPAIGN, '33', addDays('2021-03-01', i), someTotals(35))
          .addDay(CAMPAIGN, '33', addDays('2021-03-01', i), someTotals(5, { group: 'official' }));
      }
      // Act
      const response = await api.handler(aReadRequest('progress', '33'));
      // Assert: the province needs 480 over 97 days (4.95 a day) and sees 40: on track;
      // the officials need 50 − 65 < 0: done.
      const body = ProgressResponse.parse(json(response.body));
      expect(body).toMatchObject({ total: 520, observedDailyRate: 40, risk: { level: 'on_track' } });
      expect(body.subTargets).toMatchObject([{ group: 'official', total: 65, risk: { level: 'done' } }]);
    });

    it('counts a sub-target only up to its deadline once the deadline has passed', async () => {
      // Arrange: the province's "official" sub-target ends 2021-04-30
      api.totals
        .addDay(CAMPAIGN, '33', '2021-04-29', someTotals(10, { group: 'official' }))
        .addDay(CAMPAIGN, '33', '2021-05-02', someTotals(7, { group: 'official' }));
      const may = aProgressHandler(api.totals, { now: new Date('2021-05-05T03:00:00Z') });
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
      const response = await api.handler(
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
      expect(api.totals.reads.getTotals).toHaveLength(0);
      expect(api.totals.reads.getDays).toEqual([
        { campaignId: CAMPAIGN, unitId: '12001', from: undefined, to: '2021-03-10' },
      ]);
    });

    it('reads an asOf whose "+" arrived as a space (an unencoded query string)', async () => {
      const response = await api.handler(
        aReadRequest('progress', '12001', { query: { asOf: '2021-03-10T08:00:00 07:00' } }),
      );
      expect(response.statusCode).toBe(200);
      expect(ProgressResponse.parse(json(response.body)).total).toBe(8);
    });
  });
});
