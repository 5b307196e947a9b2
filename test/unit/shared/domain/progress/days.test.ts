import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween } from '../../../../../shared/domain/calendar.js';
import {
  dailyRange,
  dailySeries,
  fillDays,
  recentDays,
  sumDays,
} from '../../../../../shared/domain/progress.js';
import { MAX_DAILY_RANGE_DAYS } from '../../../../../shared/schemas/progress.js';
import { day } from '../../../../support/progress-fixtures.js';

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
