import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween } from '../../../../shared/domain/calendar.js';
import {
  childSummaryOf,
  type DayTotals,
  dailyRange,
  dailySeries,
  daysToRead,
  type Evaluation,
  fillDays,
  paceFields,
  percentOf,
  progressOf,
  recentDays,
  remainingOf,
  roundPace,
  roundRate,
  subTargetTotal,
  sumDays,
  worstFirst,
} from '../../../../shared/domain/progress.js';
import { evaluateRisk, OBSERVATION_DAYS, observationWindow } from '../../../../shared/domain/risk.js';
import { CampaignFile, type Unit } from '../../../../shared/schemas/campaign.js';
import { ChildSummary, MAX_DAILY_RANGE_DAYS, ProgressResponse } from '../../../../shared/schemas/progress.js';
import { aCampaignFile, aUnit } from '../../../support/builders.js';
import { someTotals } from '../../../support/memory-totals.js';

/** A unit as the catalogue holds it (defaults applied), from the test builder. */
const unitOf = (overrides: Parameters<typeof aUnit>[0]): Unit =>
  CampaignFile.parse(aCampaignFile({ units: [aUnit(overrides)] })).units[0] as Unit;

const day = (date: string, count: number, group?: string): DayTotals => ({
  day: date,
  totals: someTotals(count, group === undefined ? {} : { group }),
});

/** The test campaign's calendar: Hà Nội, from 1/3/2021, 07:00–22:00, thresholds 1.0 and 0.8. */
const CALENDAR = CampaignFile.parse(aCampaignFile()).campaign;
/** An evaluation at a moment (ISO with offset), as the progress function builds it. */
const evaluationAt = (asOf: string, today: string): Evaluation => ({
  campaignId: 'cccd-2021-hung-yen',
  today,
  asOf: new Date(asOf).toISOString(),
  calendar: CALENDAR,
});

describe('percentOf()', () => {
  it('rounds to two decimals: Hưng Yên, 13,994 of 1,109,100 → 1.26', () => {
    // Act
    const percent = percentOf(13_994, 1_109_100);
    // Assert
    expect(percent).toBe(1.26);
  });

  it.each([
    [1, 3, 33.33],
    [2, 3, 66.67],
    [1, 8, 12.5],
    [1, 20_000, 0.01], // exactly 0.005 rounds half up
    [1, 20_001, 0],
    [0, 100, 0],
    [120, 100, 120], // not capped: the target was exceeded
  ])('%i of %i → %d', (total, target, expected) => {
    expect(percentOf(total, target)).toBe(expected);
  });

  it('calls a target of 0 met (100), whatever the total', () => {
    expect(percentOf(0, 0)).toBe(100);
    expect(percentOf(7, 0)).toBe(100);
  });

  it('is within half a hundredth of the exact percent, with at most two decimals', () => {
    fc.assert(
      fc.property(fc.nat(2_000_000_000), fc.integer({ min: 1, max: 1_000_000_000 }), (total, target) => {
        const percent = percentOf(total, target);
        expect(Math.abs(percent - (100 * total) / target)).toBeLessThanOrEqual(0.005 + 1e-9);
        expect(Number(percent.toFixed(2))).toBe(percent);
      }),
    );
  });
});

describe('remainingOf()', () => {
  it('is target − total, never below 0', () => {
    expect(remainingOf(13_994, 1_109_100)).toBe(1_095_106);
    expect(remainingOf(150, 100)).toBe(0);
  });
});

describe('fillDays() and recentDays()', () => {
  it('lists every day of the range in order, with zeros where no DAY item exists', () => {
    // Arrange: across the end of February (2021 is not a leap year), one day outside the range
    const days = [day('2021-02-26', 9), day('2021-02-28', 4), day('2021-03-02', 2)];
    // Act
    const filled = fillDays('2021-02-27', '2021-03-02', days);
    // Assert
    expect(filled.map((d) => [d.day, d.totals.count])).toEqual([
      ['2021-02-27', 0],
      ['2021-02-28', 4],
      ['2021-03-01', 0],
      ['2021-03-02', 2],
    ]);
  });

  it('has one entry per day of any range, and keeps every count inside it', () => {
    const aDay = fc.integer({ min: 0, max: 120 }).map((n) => addDays('2021-03-01', n));
    fc.assert(
      fc.property(
        aDay,
        fc.integer({ min: 0, max: 60 }),
        fc.uniqueArray(fc.tuple(aDay, fc.integer({ min: 1, max: 50 })), { selector: ([d]) => d }),
        (from, length, seeded) => {
          const to = addDays(from, length);
          const filled = fillDays(
            from,
            to,
            seeded.map(([d, n]) => day(d, n)),
          );
          expect(filled).toHaveLength(daysBetween(from, to) + 1);
          expect(filled.map((d) => d.day)).toEqual([...filled.map((d) => d.day)].sort());
          const inRange = seeded.filter(([d]) => d >= from && d <= to).reduce((sum, [, n]) => sum + n, 0);
          expect(filled.reduce((sum, d) => sum + d.totals.count, 0)).toBe(inRange);
        },
      ),
    );
  });

  it('gives the 14 days ending today, oldest first', () => {
    // Act
    const recent = recentDays('2021-03-14', [
      day('2021-03-01', 5),
      day('2021-03-14', 2),
      day('2021-02-28', 1),
    ]);
    // Assert
    expect(recent).toHaveLength(14);
    expect(recent[0]).toEqual({ day: '2021-03-01', count: 5 });
    expect(recent[13]).toEqual({ day: '2021-03-14', count: 2 });
    expect(recent.slice(1, 13).every((d) => d.count === 0)).toBe(true);
  });
});

describe('sumDays()', () => {
  it('sums the days on or before a day (figures as of a moment), by kind, channel and group', () => {
    // Arrange
    const days = [day('2021-03-01', 5), day('2021-03-10', 3, 'official'), day('2021-03-11', 7)];
    // Act
    const asOfTenth = sumDays(days, '2021-03-10');
    // Assert
    expect(asOfTenth).toEqual({
      count: 8,
      byKind: { new: 8 },
      byChannel: { fixed: 8 },
      byGroup: { official: 3 },
    });
    expect(sumDays(days).count).toBe(15);
  });
});

describe('sub-targets', () => {
  const unit = unitOf({
    id: '33',
    target: 1000,
    subTargets: [{ group: 'official', target: 50, deadline: '2021-04-30' }],
  });
  const sub = unit.subTargets[0] as Unit['subTargets'][number];
  const days = [
    day('2021-04-29', 10, 'official'),
    day('2021-04-30', 5, 'official'),
    day('2021-05-02', 7, 'official'),
  ];

  it('count only the days on or before the deadline once it has passed', () => {
    // Arrange
    const figures = { totals: sumDays(days), days };
    // Act
    const total = subTargetTotal(sub, figures, '2021-05-05');
    // Assert
    expect(total).toBe(15);
  });

  it('count the running total of the group while the deadline is ahead', () => {
    const figures = { totals: sumDays(days, '2021-04-29'), days: null };
    expect(subTargetTotal(sub, figures, '2021-04-29')).toBe(10);
  });

  it('are unknown (null) after the deadline when no DAY items were read', () => {
    expect(subTargetTotal(sub, { totals: sumDays(days), days: null }, '2021-05-05')).toBeNull();
  });

  it('make a unit read its days from the start once a deadline has passed, else the last 14 days', () => {
    expect(daysToRead(unit, '2021-04-30')).toEqual({ from: '2021-04-17', to: '2021-04-30' });
    expect(daysToRead(unit, '2021-05-01')).toEqual({ from: undefined, to: '2021-05-01' });
  });

  it('the days read always hold the 7 complete days pace observes', () => {
    const read = daysToRead(unit, '2021-04-30');
    const window = observationWindow('2021-04-30', '2021-03-01');
    expect(OBSERVATION_DAYS).toBe(7);
    expect((read.from ?? '') <= (window?.from ?? '')).toBe(true);
    expect((window?.to ?? '') <= read.to).toBe(true);
  });
});

describe('roundRate() and roundPace()', () => {
  it.each([
    [11_289.752577319588, 11_289.75],
    [1_095_106 / 98, 11_174.55],
    [1.005, 1.01], // 1.005 × 100 is 100.4999… in binary: still half up
    [0.125, 0.13],
    [800 / 7, 114.29],
    [0, 0],
  ])('rounds the rate %d half up to %d', (rate, shown) => {
    expect(roundRate(rate)).toBe(shown);
  });

  it.each([
    [0.8, 0.8],
    [0.7999, 0.79], // shown below the threshold, as its level (critical) says
    [559 / 700, 0.79],
    [0.29, 0.29], // 0.29 × 100 is 28.999… in binary: not 0.28
    [0.9999, 0.99],
    [1, 1],
    [10 / 7, 1.42],
  ])('rounds the pace %d down to %d', (pace, shown) => {
    expect(roundPace(pace)).toBe(shown);
  });

  it('leaves null as null', () => {
    expect(roundRate(null)).toBeNull();
    expect(roundPace(null)).toBeNull();
  });

  it('never shows a pace at a two-decimal threshold the unit has not reached', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 1, max: 300 }),
        (observed, required, threshold) => {
          const pace = observed / required;
          const t = threshold / 100;
          expect((roundPace(pace) ?? -1) >= t).toBe(pace >= t);
        },
      ),
    );
  });
});

describe('paceFields()', () => {
  const risk = (total: number, asOf: string) =>
    evaluateRisk({
      target: 1_000,
      deadline: '2021-06-18',
      total,
      days: [],
      calendar: CALENDAR,
      asOf: new Date(asOf),
    });

  it('without observed days, keeps only what needs no observed rate', () => {
    expect(paceFields(risk(100, '2021-03-13T10:00:00+07:00'), false)).toEqual({
      daysLeft: 98,
      requiredDailyRate: 9.18,
      observedDailyRate: null,
      paceRatio: null,
      projectedCompletion: null,
      risk: { level: null, since: null },
    });
    expect(paceFields(risk(1_000, '2021-03-13T10:00:00+07:00'), false).risk.level).toBe('done');
    expect(paceFields(risk(100, '2021-06-19T10:00:00+07:00'), false).risk.level).toBe('missed');
  });
});

describe('progressOf()', () => {
  const unit = unitOf({
    id: '33',
    name: 'Tỉnh Hưng Yên',
    level: 'province',
    target: 1_109_100,
    subTargets: [{ group: 'official', target: 30_000, deadline: '2021-04-30' }],
  });
  const days = [day('2021-03-01', 13_000), day('2021-03-12', 800, 'official'), day('2021-03-13', 194)];

  it('summarises a unit with its pace and risk: the Hưng Yên example at 22:30 on 13/3', () => {
    // Act
    const progress = progressOf(
      unit,
      { totals: sumDays(days), days },
      evaluationAt('2021-03-13T22:30:00+07:00', '2021-03-13'),
    );
    // Assert
    expect(ProgressResponse.parse(progress)).toEqual(progress);
    expect(progress).toMatchObject({
      unit: { id: '33', name: 'Tỉnh Hưng Yên', level: 'province', parentId: null },
      total: 13_994,
      percent: 1.26,
      remaining: 1_095_106,
      today: { day: '2021-03-13', count: 194 },
      daysLeft: 97,
      requiredDailyRate: 11_289.75,
      // 6/3–12/3: 800 in 7 days
      observedDailyRate: 114.29,
      paceRatio: 0.01,
      risk: { level: 'critical', since: null },
      subTargets: [
        {
          group: 'official',
          target: 30_000,
          total: 800,
          percent: 2.67,
          // 29,200 over 14/3–30/4 (48 days), at 800 in 7 days
          daysLeft: 48,
          requiredDailyRate: 608.33,
          observedDailyRate: 114.29,
          paceRatio: 0.18,
          risk: { level: 'critical', since: null },
        },
      ],
    });
    // ⌈1,095,106 / (800 / 7)⌉ = 9,583 days from 14/3/2021: long after the deadline
    expect(progress.projectedCompletion).toBe(addDays('2021-03-14', 9_582));
    expect(progress.last14Days.map((d) => d.day)).toEqual(
      Array.from({ length: 14 }, (_, i) => addDays('2021-02-28', i)),
    );
  });

  it("takes risk.since from the risk job's stored state only when it holds the same level", () => {
    const at = evaluationAt('2021-03-13T22:30:00+07:00', '2021-03-13');
    const figures = { totals: sumDays(days), days };
    const since = '2021-03-09T15:00:00.000Z';
    expect(progressOf(unit, figures, at, { level: 'critical', since }).risk).toEqual({
      level: 'critical',
      since,
    });
    expect(progressOf(unit, figures, at, { level: 'at_risk', since }).risk).toEqual({
      level: 'critical',
      since: null,
    });
  });

  it('is no_data on day 1, and counts the whole campaign before the start', () => {
    const first = progressOf(
      unit,
      { totals: sumDays([]), days: [] },
      evaluationAt('2021-03-01T10:00:00+07:00', '2021-03-01'),
    );
    expect(first).toMatchObject({ daysLeft: 110, observedDailyRate: null, risk: { level: 'no_data' } });
    expect(first.requiredDailyRate).toBe(10_082.73);
  });
});

describe('childSummaryOf() and worstFirst()', () => {
  const child = unitOf({
    id: '12001',
    target: 300,
    subTargets: [{ group: 'official', target: 20, deadline: '2021-03-10' }],
  });
  const at = evaluationAt('2021-03-14T10:00:00+07:00', '2021-03-14');

  it('summarises a child from its running totals alone, leaving what needs DAY items null', () => {
    // Act
    const summary = childSummaryOf(child, { totals: someTotals(30, { group: 'official' }), days: null }, at);
    // Assert
    expect(ChildSummary.parse(summary)).toEqual(summary);
    expect(summary).not.toHaveProperty('last14Days');
    expect(summary).toMatchObject({
      total: 30,
      percent: 10,
      today: { day: '2021-03-14', count: null },
      subTargets: [{ group: 'official', total: null, percent: null, risk: { level: null } }],
      // 14/3–18/6 is 97 days: 270 / 97 a day
      daysLeft: 97,
      requiredDailyRate: 2.78,
      observedDailyRate: null,
      risk: { level: null, since: null },
    });
  });

  it("evaluates a child's pace from the observed days read on their own", () => {
    // Arrange: 7/3–13/3, 2 a day
    const paceDays = Array.from({ length: 7 }, (_, i) => day(addDays('2021-03-07', i), 2));
    // Act
    const summary = childSummaryOf(
      child,
      { totals: someTotals(30, { group: 'official' }), days: null, paceDays, today: someTotals(1) },
      at,
    );
    // Assert: 2 a day of 2.78 required
    expect(ChildSummary.parse(summary)).toEqual(summary);
    expect(summary).toMatchObject({
      today: { day: '2021-03-14', count: 1 },
      observedDailyRate: 2,
      paceRatio: 0.71,
      risk: { level: 'critical', since: null },
    });
  });

  it('orders the lowest percent first, equal percents by unit id', () => {
    // Arrange
    const summaries = [
      { unit: { id: '12003' }, percent: 40 },
      { unit: { id: '12002' }, percent: 5.5 },
      { unit: { id: '12004' }, percent: 5.5 },
      { unit: { id: '12001' }, percent: 100 },
      { unit: { id: '12000' }, percent: 5.5 },
    ];
    // Act
    const ordered = worstFirst(summaries);
    // Assert
    expect(ordered.map((s) => s.unit.id)).toEqual(['12000', '12002', '12004', '12003', '12001']);
    expect(summaries[0]?.unit.id).toBe('12003'); // the input is not reordered
  });
});

describe('dailyRange() and dailySeries()', () => {
  const context = { startDate: '2021-03-01', today: '2021-03-14' };

  it('defaults to the campaign start through today', () => {
    expect(dailyRange({}, context)).toEqual({
      ok: true,
      from: '2021-03-01',
      to: '2021-03-14',
      readThrough: '2021-03-14',
    });
  });

  it('reads only through today when the range goes beyond it, and nothing when it starts later', () => {
    expect(dailyRange({ from: '2021-03-10', to: '2021-03-20' }, context)).toMatchObject({
      ok: true,
      readThrough: '2021-03-14',
    });
    expect(dailyRange({ from: '2021-03-15', to: '2021-03-20' }, context)).toMatchObject({
      ok: true,
      readThrough: null,
    });
  });

  it('refuses from after to, and a range over the cap', () => {
    expect(dailyRange({ from: '2021-03-10', to: '2021-03-09' }, context)).toEqual({
      ok: false,
      errors: [{ path: 'from', message: '2021-03-10 is after to (2021-03-09)' }],
    });
    const tooLong = dailyRange(
      { from: '2021-01-01', to: addDays('2021-01-01', MAX_DAILY_RANGE_DAYS) },
      context,
    );
    expect(tooLong.ok).toBe(false);
    expect(
      dailyRange({ from: '2021-01-01', to: addDays('2021-01-01', MAX_DAILY_RANGE_DAYS - 1) }, context).ok,
    ).toBe(true);
  });

  it('keeps the default range within the cap, and before the start gives just today', () => {
    const late = dailyRange({}, { startDate: '2021-03-01', today: '2022-12-31' });
    expect(late).toMatchObject({ ok: true, from: addDays('2022-12-31', -(MAX_DAILY_RANGE_DAYS - 1)) });
    expect(dailyRange({}, { startDate: '2021-03-01', today: '2021-02-20' })).toMatchObject({
      ok: true,
      from: '2021-02-20',
      to: '2021-02-20',
    });
  });

  it('gives each day its breakdowns, zeros filled', () => {
    // Act
    const series = dailySeries('2021-03-01', '2021-03-02', [day('2021-03-02', 3, 'official')]);
    // Assert
    expect(series).toEqual([
      { day: '2021-03-01', count: 0, byKind: {}, byChannel: {}, byGroup: {} },
      { day: '2021-03-02', count: 3, byKind: { new: 3 }, byChannel: { fixed: 3 }, byGroup: { official: 3 } },
    ]);
  });
});
