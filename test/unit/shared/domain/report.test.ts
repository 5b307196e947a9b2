import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween } from '../../../../shared/domain/calendar.js';
import {
  buildReport,
  finalPeriod,
  InvalidPeriodError,
  isoWeekOf,
  previousWeek,
  type ReportDay,
  type ReportInput,
  weekPeriod,
} from '../../../../shared/domain/report.js';
import { Campaign, Unit } from '../../../../shared/schemas/campaign.js';
import { aUnit } from '../../../support/builders.js';

// ---------------------------------------------------------------------------------------------
// The fixed data set (every expected figure below is worked out by hand in the comments)
// ---------------------------------------------------------------------------------------------

/** Starts on Wednesday 3/3/2021: its first ISO week, 2021-W09 (1/3..7/3), has 5 campaign days. */
const CAMPAIGN = Campaign.parse({
  id: 'cccd-2021-tx',
  name: 'Thu nhận hồ sơ CCCD 2021',
  startDate: '2021-03-03',
  groups: ['official'],
});

/** Children targets: 12.000 + 10.000 + 11.000 + 9.000 = 42.000, above the district's 40.000. */
const DISTRICT = Unit.parse(
  aUnit({
    id: '2801',
    name: 'Huyện Thọ Xuân',
    level: 'district',
    target: 40_000,
    deadline: '2021-06-17',
    subTargets: [{ group: 'official', target: 1_500, deadline: '2021-03-31' }],
  }),
);
const commune = (id: string, name: string, target: number) =>
  Unit.parse(aUnit({ id, parentId: '2801', name, target, deadline: '2021-06-17' }));
const XUAN_HOA = commune('C1', 'Xã Xuân Hòa', 12_000);
const THO_XUAN = commune('C2', 'Thị trấn Thọ Xuân', 10_000);
const BAC_LUONG = commune('C3', 'Xã Bắc Lương', 11_000);
const NAM_GIANG = commune('C4', 'Xã Nam Giang', 9_000);
const CHILDREN = [XUAN_HOA, THO_XUAN, BAC_LUONG, NAM_GIANG];

/** `count` a day (of which `official` officials) every day from `from` through `to`. */
function steady(from: string, to: string, count: number, official = 0): ReportDay[] {
  const days: ReportDay[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) {
    days.push({ day, count, byGroup: official > 0 ? { official } : {} });
  }
  return days;
}

/** A parent's DAY items: the sum of its children's, day by day (the roll-up, done by the test). */
function rollUp(...lists: ReportDay[][]): ReportDay[] {
  const byDay = new Map<string, { count: number; official: number }>();
  for (const list of lists) {
    for (const d of list) {
      const sum = byDay.get(d.day) ?? { count: 0, official: 0 };
      byDay.set(d.day, { count: sum.count + d.count, official: sum.official + (d.byGroup.official ?? 0) });
    }
  }
  return [...byDay.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([day, s]) => ({ day, count: s.count, byGroup: { official: s.official } }));
}

const LAST_DAY = '2021-04-04';
/** Xuân Hòa: 150 a day (20 officials) from the start. */
const C1_DAYS = steady('2021-03-03', LAST_DAY, 150, 20);
/** Thọ Xuân town: 100 a day (10 officials) from the start. */
const C2_DAYS = steady('2021-03-03', LAST_DAY, 100, 10);
/** Bắc Lương: 80 a day through 31/3, then nothing (1/4..4/4: the last 4 days of 2021-W13). */
const C3_DAYS = steady('2021-03-03', '2021-03-31', 80);
/** Nam Giang: nothing in its first week; 50 a day from Monday 8/3. */
const C4_DAYS = steady('2021-03-08', LAST_DAY, 50);
/** Everything through 4/4 is given to both weeks' reports: days after a period's end must not count. */
const DAYS = new Map<string, ReportDay[]>([
  ['2801', rollUp(C1_DAYS, C2_DAYS, C3_DAYS, C4_DAYS)],
  ['C1', C1_DAYS],
  ['C2', C2_DAYS],
  ['C3', C3_DAYS],
  ['C4', C4_DAYS],
]);
const GENERATED_AT = new Date('2021-04-05T00:00:00Z'); // Monday 5/4 07:00 local

function anInput(overrides: Partial<ReportInput> = {}): ReportInput {
  return {
    campaign: CAMPAIGN,
    unit: DISTRICT,
    children: CHILDREN,
    days: DAYS,
    period: weekPeriod('2021-W13'),
    generatedAt: GENERATED_AT,
    ...overrides,
  };
}

// ---------------------------------------------------------------------------------------------
// Periods
// ---------------------------------------------------------------------------------------------

describe('isoWeekOf()', () => {
  it.each([
    ['2021-03-31', '2021-W13'],
    ['2021-03-29', '2021-W13'],
    ['2021-04-04', '2021-W13'],
    ['2021-03-03', '2021-W09'],
    ['2020-12-31', '2020-W53'],
    ['2021-01-03', '2020-W53'],
    ['2021-01-04', '2021-W01'],
    ['2019-12-30', '2020-W01'],
    ['2021-06-18', '2021-W24'],
  ])('%s is in %s', (day, week) => {
    expect(isoWeekOf(day)).toBe(week);
  });

  it.each(['2021-02-30', '2021-3-1', '13/3/2021', ''])('refuses "%s"', (day) => {
    expect(() => isoWeekOf(day)).toThrow(InvalidPeriodError);
  });

  it('puts every day in the Monday-to-Sunday week weekPeriod gives for its id', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60_000 }), (offset) => {
        const day = addDays('1900-01-01', offset);
        const period = weekPeriod(isoWeekOf(day));
        expect(period.from <= day && day <= period.to).toBe(true);
        expect(daysBetween(period.from, period.to)).toBe(6);
        expect(new Date(`${period.from}T00:00:00Z`).getUTCDay()).toBe(1);
      }),
    );
  });
});

describe('weekPeriod()', () => {
  it.each([
    ['2021-W13', '2021-03-29', '2021-04-04'],
    ['2021-W09', '2021-03-01', '2021-03-07'],
    ['2020-W53', '2020-12-28', '2021-01-03'],
    ['2021-W01', '2021-01-04', '2021-01-10'],
    ['2021-W52', '2021-12-27', '2022-01-02'],
  ])('%s is %s to %s', (id, from, to) => {
    expect(weekPeriod(id)).toEqual({ kind: 'week', id, from, to });
  });

  it.each([
    ['2021-W54', /2021-W54 is not an ISO week: 2021 has weeks 01 to 52/],
    ['2021-W53', /2021 has weeks 01 to 52/],
    ['2021-W00', /not an ISO week/],
    ['2021-W1', /YYYY-Www/],
    ['2021-w13', /YYYY-Www/],
    ['2021-13', /YYYY-Www/],
    ['final', /YYYY-Www/],
  ])('refuses %s with a clear message', (id, message) => {
    expect(() => weekPeriod(id)).toThrow(InvalidPeriodError);
    expect(() => weekPeriod(id)).toThrow(message);
  });
});

describe('previousWeek()', () => {
  it('on Monday 5/4/2021 (the weekly run) is the week that just ended, 2021-W13', () => {
    expect(previousWeek('2021-04-05')).toEqual({
      kind: 'week',
      id: '2021-W13',
      from: '2021-03-29',
      to: '2021-04-04',
    });
  });

  it('on Sunday 4/4/2021 is the week before: that Sunday is not over', () => {
    expect(previousWeek('2021-04-04').id).toBe('2021-W12');
  });

  it('across a year boundary: Monday 4/1/2021 → 2020-W53', () => {
    expect(previousWeek('2021-01-04').id).toBe('2020-W53');
  });
});

describe('finalPeriod()', () => {
  it('is the whole campaign', () => {
    expect(finalPeriod('2021-03-03', '2021-06-17')).toEqual({
      kind: 'final',
      id: 'final',
      from: '2021-03-03',
      to: '2021-06-17',
    });
  });

  it('refuses a deadline before the start, and bad dates', () => {
    expect(() => finalPeriod('2021-06-18', '2021-03-03')).toThrow(/before the campaign start/);
    expect(() => finalPeriod('2021-03-03', '18/6/2021')).toThrow(InvalidPeriodError);
  });
});

// ---------------------------------------------------------------------------------------------
// The report
// ---------------------------------------------------------------------------------------------

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

  describe('the final report', () => {
    // A commune without children: 10 a day from 3/3 through its deadline 12/3 reaches its 100.
    const unit = Unit.parse(aUnit({ id: 'X', name: 'Xã Một', target: 100, deadline: '2021-03-12' }));
    const report = buildReport({
      campaign: CAMPAIGN,
      unit,
      children: [],
      days: new Map([['X', steady('2021-03-03', '2021-03-12', 10)]]),
      period: finalPeriod('2021-03-03', '2021-03-12'),
      generatedAt: new Date('2021-03-13T00:00:00Z'),
    });

    it('covers the whole campaign: from nothing to done, no required rate after the deadline', () => {
      expect(report).toMatchObject({
        reportId: 'X:final',
        atStart: { total: 0, percent: 0, level: 'no_data' },
        atEnd: { total: 100, percent: 100, level: 'done' },
        received: 100,
        dailyAverage: 10,
        requiredDailyRate: null,
        levelChanged: true,
        subTargets: [],
        children: [],
        best: [],
        worst: [],
        notes: [],
      });
    });

    it('is missed when the deadline passed short of the target', () => {
      const short = buildReport({
        campaign: CAMPAIGN,
        unit,
        children: [],
        days: new Map([['X', steady('2021-03-03', '2021-03-11', 10)]]),
        period: finalPeriod('2021-03-03', '2021-03-12'),
        generatedAt: new Date('2021-03-13T00:00:00Z'),
      });
      expect(short.atEnd).toEqual({ total: 90, percent: 90, level: 'missed' });
      expect(short.requiredDailyRate).toBeNull();
    });
  });

  describe('best and worst', () => {
    // Seven communes, each target 100; totals give percents with ties (broken by id ascending).
    const totals: Record<string, number> = { A: 50, B: 80, C: 50, D: 10, E: 80, F: 30, G: 95 };
    const children = Object.keys(totals).map((id) =>
      Unit.parse(aUnit({ id, parentId: 'P', name: `Xã ${id}`, target: 100 })),
    );
    const parent = Unit.parse(aUnit({ id: 'P', name: 'Huyện P', level: 'district', target: 700 }));
    const days = new Map<string, ReportDay[]>(
      Object.entries(totals).map(([id, count]) => [id, [{ day: '2021-03-29', count, byGroup: {} }]]),
    );
    const report = buildReport(anInput({ unit: parent, children, days }));

    it('holds five each, best highest first and worst lowest first, ties by id', () => {
      // G 95, B 80, E 80, A 50, C 50 | F 30, D 10
      expect(report.best).toEqual(['G', 'B', 'E', 'A', 'C']);
      // D 10, F 30, A 50, C 50, B 80
      expect(report.worst).toEqual(['D', 'F', 'A', 'C', 'B']);
    });

    it('notes every child whose last 3+ days were empty, longest first, ties in unit order', () => {
      // All seven took in only on Monday 29/3: 30/3..4/4 = 6 days each; no targets note (700 = 700).
      expect(
        report.notes.map((n) => (n.kind === 'no_intake' ? [n.unitId, n.days, n.lastDay] : n.kind)),
      ).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G'].map((id) => [id, 6, '2021-03-29']));
    });
  });

  describe('no-intake notes', () => {
    const child = (id: string) => Unit.parse(aUnit({ id, parentId: 'P', name: `Xã ${id}` }));
    const parent = Unit.parse(aUnit({ id: 'P', name: 'Huyện P', level: 'district', target: 1_000 }));
    const one = (day: string): ReportDay => ({ day, count: 1, byGroup: {} });

    it('starts at 3 empty days and counts the run back before the period', () => {
      const report = buildReport(
        anInput({
          unit: parent,
          children: [child('two'), child('three'), child('long')],
          days: new Map([
            ['two', [one('2021-04-02')]], // 3/4, 4/4 empty: 2 days, no note
            ['three', [one('2021-04-01')]], // 2/4..4/4: 3 days
            ['long', [one('2021-03-20'), one('2021-04-09')]], // 21/3..4/4: 15 days (9/4 is after the period)
          ]),
        }),
      );
      expect(report.notes).toEqual([
        { kind: 'no_intake', unitId: 'long', name: 'Xã long', days: 15, lastDay: '2021-03-20' },
        { kind: 'no_intake', unitId: 'three', name: 'Xã three', days: 3, lastDay: '2021-04-01' },
      ]);
    });
  });

  describe('edges', () => {
    it('treats a unit missing from the days map as without intake', () => {
      const report = buildReport(anInput({ days: new Map() }));
      expect(report.atEnd).toEqual({ total: 0, percent: 0, level: 'critical' });
      expect(report.received).toBe(0);
    });

    it('averages 0 over a period wholly before the campaign start', () => {
      const report = buildReport(anInput({ period: weekPeriod('2021-W08') }));
      expect(report.received).toBe(0);
      expect(report.dailyAverage).toBe(0);
      expect(report.atEnd.level).toBe('no_data');
      expect(report.levelChanged).toBe(false);
    });

    it('refuses a child of another unit', () => {
      const stray = Unit.parse(aUnit({ id: 'Z', parentId: '9999', name: 'Xã Z' }));
      expect(() => buildReport(anInput({ children: [stray] }))).toThrow(/not a child of "2801"/);
    });
  });
});
