import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween } from '../../../../../shared/domain/calendar.js';
import {
  finalPeriod,
  InvalidPeriodError,
  isoWeekOf,
  previousWeek,
  weekPeriod,
} from '../../../../../shared/domain/report.js';

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
