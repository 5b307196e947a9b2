import { describe, expect, it } from 'vitest';
import { buildReport, weekPeriod } from '../../../../../shared/domain/report.js';
import { anInput } from '../../../../support/report-fixtures.js';

describe('buildReport()', () => {
  describe('a week crossing a month boundary: 2021-W13 (29/3..4/4)', () => {
    // Prepare / Act
    const report = buildReport(anInput());

    it('identifies the unit, the period and the run', () => {
      // Assess
      expect(report).toMatchObject({
        reportId: '2801:2021-W13',
        campaignId: 'cccd-2021-tx',
        campaignName: 'Thu nhận hồ sơ CCCD 2021',
        unit: { id: '2801', name: 'Huyện Thọ Xuân', level: 'district', parentId: null },
        period: { kind: 'week', id: '2021-W13', from: '2021-03-29', to: '2021-04-04' },
        generatedAt: '2021-04-05T00:00:00.000Z',
        target: 40_000,
        deadline: '2021-06-17',
      });
    });

    it('stands at the start through 28/3: 9.630 (24,08 %), on track', () => {
      // 3/3..28/3 is 26 days: 26×150 + 26×100 + 26×80 + (8/3..28/3: 21 days)×50
      //   = 3.900 + 2.600 + 2.080 + 1.050 = 9.630; 9.630 / 40.000 = 24,075 % → 24,08.
      // At 00:00 on 29/3: observed 22/3..28/3, 380 a day = 2.660; 81 days left (29/3..17/6: 3 + 30 + 31 + 17);
      //   remaining 30.370; pace 2.660×81 / (7×30.370) = 215.460 / 212.590 = 1,013 → on_track.
      expect(report.atStart).toEqual({ total: 9_630, percent: 24.08, level: 'on_track' });
    });

    it('stands at the end through 4/4: 11.970 (29,93 %), at risk; the level changed', () => {
      // In the week: 7×150 + 7×100 + 3×80 + 7×50 = 1.050 + 700 + 240 + 350 = 2.340; 9.630 + 2.340 = 11.970.
      // 11.970 / 40.000 = 29,925 % → 29,93. At 00:00 on 5/4: observed 29/3..4/4 = 2.340; 74 days left
      //   (5/4..17/6: 26 + 31 + 17); remaining 28.030; pace 2.340×74 / (7×28.030) = 173.160 / 196.210
      //   = 0,8825 → at_risk.
      expect(report.atEnd).toEqual({ total: 11_970, percent: 29.93, level: 'at_risk' });
      expect(report.levelChanged).toBe(true);
    });

    it('received 2.340 in 7 days: 334,29 a day; 378,78 a day required from 5/4', () => {
      // 2.340 / 7 = 334,2857…; 28.030 / 74 = 378,7837…
      expect(report.received).toBe(2_340);
      expect(report.dailyAverage).toBe(334.29);
      expect(report.requiredDailyRate).toBe(378.78);
    });

    it('counts the officials only through their deadline 31/3: 870 of 1.500, missed', () => {
      // 30 officials a day (20 + 10), 3/3..31/3 = 29 days: 870 (1/4..4/4 would add 120: not counted).
      // 870 / 1.500 = 58 %; the deadline has passed with 630 remaining → missed.
      expect(report.subTargets).toEqual([
        {
          group: 'official',
          target: 1_500,
          deadline: '2021-03-31',
          total: 870,
          percent: 58,
          level: 'missed',
        },
      ]);
    });

    it('lists every child in unit order with its week and its standing', () => {
      // Levels at 00:00 on 5/4 (74 days left), pace = week × 74 / (7 × remaining):
      //   C1 1.050×74 / (7×7.050) = 1,57 on_track; C2 700×74 / (7×6.700) = 1,10 on_track;
      //   C3 240×74 / (7×8.680) = 0,29 critical;  C4 350×74 / (7×7.600) = 0,49 critical.
      expect(report.children).toEqual([
        {
          unitId: 'C1',
          name: 'Xã Xuân Hòa',
          received: 1_050,
          total: 4_950,
          target: 12_000,
          percent: 41.25,
          level: 'on_track',
        },
        {
          unitId: 'C2',
          name: 'Thị trấn Thọ Xuân',
          received: 700,
          total: 3_300,
          target: 10_000,
          percent: 33,
          level: 'on_track',
        },
        {
          unitId: 'C3',
          name: 'Xã Bắc Lương',
          received: 240,
          total: 2_320,
          target: 11_000,
          percent: 21.09,
          level: 'critical',
        },
        {
          unitId: 'C4',
          name: 'Xã Nam Giang',
          received: 350,
          total: 1_400,
          target: 9_000,
          percent: 15.56,
          level: 'critical',
        },
      ]);
    });

    it('ranks all four children in both lists (a unit with 5 children or fewer)', () => {
      expect(report.best).toEqual(['C1', 'C2', 'C3', 'C4']);
      expect(report.worst).toEqual(['C4', 'C3', 'C2', 'C1']);
    });

    it('notes the targets above the parent, and Bắc Lương without intake for the last 4 days', () => {
      expect(report.notes).toEqual([
        { kind: 'targets_above_parent', childrenSum: 42_000, target: 40_000 },
        { kind: 'no_intake', unitId: 'C3', name: 'Xã Bắc Lương', days: 4, lastDay: '2021-03-31' },
      ]);
    });
  });

  describe("the campaign's first, partial week: 2021-W09 (1/3..7/3, campaign from Wednesday 3/3)", () => {
    const report = buildReport(anInput({ period: weekPeriod('2021-W09') }));

    it('starts at the campaign start: nothing, no data', () => {
      expect(report.atStart).toEqual({ total: 0, percent: 0, level: 'no_data' });
    });

    it('ends at 1.650 (4,13 %), at risk: the level changed', () => {
      // 3/3..7/3: 5 × (150 + 100 + 80) = 1.650 (Nam Giang nothing); 1.650 / 40.000 = 4,125 % → 4,13.
      // At 00:00 on 8/3: observed 3/3..7/3 (5 days) = 1.650; 102 days left (8/3..17/6: 24 + 30 + 31 + 17);
      //   remaining 38.350; pace 1.650×102 / (5×38.350) = 168.300 / 191.750 = 0,878 → at_risk.
      expect(report.atEnd).toEqual({ total: 1_650, percent: 4.13, level: 'at_risk' });
      expect(report.levelChanged).toBe(true);
    });

    it('averages over the 5 campaign days, not 7', () => {
      // 1.650 / 5 = 330; required 38.350 / 102 = 375,98…
      expect(report.received).toBe(1_650);
      expect(report.dailyAverage).toBe(330);
      expect(report.requiredDailyRate).toBe(375.98);
    });

    it('has the officials at 150 of 1.500, critical', () => {
      // 5 × 30 = 150 (10 %); 24 days left (8/3..31/3), pace 150×24 / (5×1.350) = 0,53 → critical.
      expect(report.subTargets).toEqual([
        {
          group: 'official',
          target: 1_500,
          deadline: '2021-03-31',
          total: 150,
          percent: 10,
          level: 'critical',
        },
      ]);
    });

    it('has the children at 6,25 %, 5 %, 3,64 % and 0 %', () => {
      // C1 750 / 12.000 = 6,25 %, pace 750×102 / (5×11.250) = 1,36 on_track;
      // C2 500 / 10.000 = 5 %, pace 500×102 / (5×9.500) = 1,07 on_track;
      // C3 400 / 11.000 = 3,636 % → 3,64, pace 400×102 / (5×10.600) = 0,77 critical;
      // C4 0 %, pace 0 → critical.
      expect(report.children.map((c) => [c.unitId, c.received, c.total, c.percent, c.level])).toEqual([
        ['C1', 750, 750, 6.25, 'on_track'],
        ['C2', 500, 500, 5, 'on_track'],
        ['C3', 400, 400, 3.64, 'critical'],
        ['C4', 0, 0, 0, 'critical'],
      ]);
      expect(report.best).toEqual(['C1', 'C2', 'C3', 'C4']);
      expect(report.worst).toEqual(['C4', 'C3', 'C2', 'C1']);
    });

    it('notes Nam Giang without any intake in its 5 campaign days (not 7: before the start is not missed)', () => {
      expect(report.notes).toEqual([
        { kind: 'targets_above_parent', childrenSum: 42_000, target: 40_000 },
        { kind: 'no_intake', unitId: 'C4', name: 'Xã Nam Giang', days: 5, lastDay: null },
      ]);
    });
  });
});
