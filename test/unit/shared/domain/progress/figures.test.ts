import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween } from '../../../../../shared/domain/calendar.js';
import {
  daysToRead,
  fillDays,
  paceFields,
  percentOf,
  recentDays,
  remainingOf,
  roundPace,
  roundRate,
  subTargetTotal,
  sumDays,
} from '../../../../../shared/domain/progress.js';
import { evaluateRisk, OBSERVATION_DAYS, observationWindow } from '../../../../../shared/domain/risk.js';
import type { Unit } from '../../../../../shared/schemas/campaign.js';
import { CALENDAR, day, unitOf } from '../../../../support/progress-fixtures.js';

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
