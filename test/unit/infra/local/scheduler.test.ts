import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_SCHEDULES, type ScheduleRule } from '../../../../infra/config/schedules.js';
import { nextFire, parseSchedule, startScheduler } from '../../../../infra/local/scheduler.js';

const rule = (expression: string, timeZone = 'Asia/Ho_Chi_Minh'): ScheduleRule => ({
  expression,
  timeZone,
  description: '',
});

describe('nextFire()', () => {
  it.each([
    // hourly 08:00-22:00 local (UTC+7)
    ['cron(0 8-22 * * ? *)', '2021-03-13T00:30:00Z', '2021-03-13T01:00:00.000Z'], // 07:30 → 08:00
    ['cron(0 8-22 * * ? *)', '2021-03-13T15:00:00Z', '2021-03-14T01:00:00.000Z'], // 22:00 just fired → next 08:00
    ['cron(0 8-22 * * ? *)', '2021-03-13T14:59:00Z', '2021-03-13T15:00:00.000Z'], // 21:59 → 22:00
    ['cron(0 7 * * ? *)', '2021-03-13T00:00:00Z', '2021-03-14T00:00:00.000Z'], // 07:00 just fired → tomorrow
    ['cron(0 7 ? * MON *)', '2021-03-13T00:00:00Z', '2021-03-15T00:00:00.000Z'], // Saturday → Monday 07:00
    ['cron(30 2 1 * ? *)', '2021-03-13T00:00:00Z', '2021-03-31T19:30:00.000Z'], // 02:30 on the 1st (local)
    ['cron(*/15 9 * * ? *)', '2021-03-13T02:01:00Z', '2021-03-13T02:15:00.000Z'], // every 15 min in the 9 o'clock hour
    ['rate(5 minutes)', '2021-03-13T00:00:00Z', '2021-03-13T00:05:00.000Z'],
  ])('%s after %s fires at %s', (expression, after, expected) => {
    expect(nextFire(rule(expression), new Date(after)).toISOString()).toBe(expected);
  });

  it('reads the fields in the rule time zone, including one with daylight saving', () => {
    // 07:00 in Berlin on the day summer time starts (2021-03-28) is 05:00 UTC, the day before 06:00 UTC
    expect(
      nextFire(rule('cron(0 7 * * ? *)', 'Europe/Berlin'), new Date('2021-03-27T07:00:00Z')).toISOString(),
    ).toBe('2021-03-28T05:00:00.000Z');
  });

  it('refuses what it cannot honour', () => {
    expect(() => parseSchedule('cron(0 7 L * ? *)')).toThrow('not supported');
    expect(() => parseSchedule('every day')).toThrow('is not a cron');
    expect(() => parseSchedule('cron(0 25 * * ? *)')).toThrow('out of range');
  });

  it('has defaults that fire hourly in working hours, daily at 07:00 and on Mondays', () => {
    expect(nextFire(DEFAULT_SCHEDULES.riskDaily, new Date('2021-03-13T12:00:00Z')).toISOString()).toBe(
      '2021-03-14T00:00:00.000Z',
    );
    expect(nextFire(DEFAULT_SCHEDULES.weeklyReport, new Date('2021-03-15T00:00:00Z')).toISOString()).toBe(
      '2021-03-22T00:00:00.000Z',
    );
  });
});

describe('startScheduler()', () => {
  it('runs each job at its times until stopped', async () => {
    vi.useFakeTimers({ now: new Date('2021-03-13T00:58:00Z') });
    try {
      const runs: string[] = [];
      const scheduler = startScheduler([
        {
          name: 'risk',
          rule: DEFAULT_SCHEDULES.riskHourly,
          run: async (at) => void runs.push(at.toISOString()),
        },
      ]);
      await vi.advanceTimersByTimeAsync(2 * 3_600_000 + 3 * 60_000); // to 03:01 UTC
      scheduler.stop();
      await vi.advanceTimersByTimeAsync(3_600_000);
      expect(runs).toEqual([
        '2021-03-13T01:00:00.000Z',
        '2021-03-13T02:00:00.000Z',
        '2021-03-13T03:00:00.000Z',
      ]);
    } finally {
      vi.useRealTimers();
    }
  });
});
