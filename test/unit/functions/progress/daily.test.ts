import { describe, expect, it } from 'vitest';
import { DailyResponse } from '../../../../shared/schemas/progress.js';
import { aReadRequest, CAMPAIGN, json, progressApi } from '../../../support/progress-reads.js';

describe('GET progress, children and daily of a unit', () => {
  const api = progressApi();

  describe('daily', () => {
    it('gives every day from the campaign start through today by default, zeros filled', async () => {
      // Act
      const response = await api.handler(aReadRequest('daily', '12001'));
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
      expect(api.totals.reads.getDays).toEqual([
        { campaignId: CAMPAIGN, unitId: '12001', from: '2021-03-01', to: '2021-03-14' },
      ]);
    });

    it('with asOf, leaves out the days after its local day (they count 0)', async () => {
      // Act
      const response = await api.handler(
        aReadRequest('daily', '12001', {
          query: { from: '2021-03-08', to: '2021-03-14', asOf: '2021-03-10T12:00:00+07:00' },
        }),
      );
      // Assert
      const body = DailyResponse.parse(json(response.body));
      expect(body.days.map((d) => d.count)).toEqual([0, 0, 3, 0, 0, 0, 0]);
      expect(api.totals.reads.getDays[0]?.to).toBe('2021-03-10');
    });
  });
});
