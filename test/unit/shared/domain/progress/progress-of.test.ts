import { describe, expect, it } from 'vitest';
import { addDays } from '../../../../../shared/domain/calendar.js';
import {
  childSummaryOf,
  dailyRange,
  dailySeries,
  type Evaluation,
  progressOf,
  sumDays,
  worstFirst,
} from '../../../../../shared/domain/progress.js';
import {
  ChildSummary,
  MAX_DAILY_RANGE_DAYS,
  ProgressResponse,
} from '../../../../../shared/schemas/progress.js';
import { someTotals } from '../../../../support/memory-totals.js';
import { CALENDAR, day, unitOf } from '../../../../support/progress-fixtures.js';

/** An evaluation at a moment (ISO with offset), as the progress function builds it. */
const evaluationAt = (asOf: string, today: string): Evaluation => ({
  campaignId: 'cccd-2021-hung-yen',
  today,
  asOf: new Date(asOf).toISOString(),
  calendar: CALENDAR,
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
