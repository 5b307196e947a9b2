import { describe, expect, it } from 'vitest';
import { addDays } from '../../../../../shared/domain/calendar.js';
import { percentOf } from '../../../../../shared/domain/progress.js';
import {
  daysLeftOf,
  evaluateRisk,
  observationWindow,
  type RiskCalendar,
  type RiskInput,
  type RiskLevel,
} from '../../../../../shared/domain/risk.js';
import { HUNG_YEN, hanoi } from '../../../../support/risk-fixtures.js';

/** `n` daily counts from `from` summing to `sum` (the remainder on the first days). */
function spread(sum: number, from: string, n: number): { day: string; count: number }[] {
  return Array.from({ length: n }, (_, i) => ({
    day: addDays(from, i),
    count: Math.floor(sum / n) + (i < sum % n ? 1 : 0),
  }));
}

function anInput(overrides: Partial<RiskInput> = {}): RiskInput {
  return {
    target: 1_109_100,
    deadline: '2021-06-18',
    total: 13_994,
    days: [],
    calendar: HUNG_YEN,
    asOf: hanoi('2021-03-13', '22:30'),
    ...overrides,
  };
}

describe('evaluateRisk()', () => {
  describe('the Hưng Yên example (BRIEF.md): 13,994 of 1,109,100 by 13/3/2021, deadline 18/6/2021', () => {
    // 1,000 a day from 1/3 to 12/3, and 1,994 on the 13th: 13,994 in all.
    const days = [...spread(12_000, '2021-03-01', 12), { day: '2021-03-13', count: 1_994 }];

    it.each([
      ['22:30, working hours over: 14/3 to 18/6', 97, 11_289.75, '2021-03-13T22:30:00+07:00'],
      ['12:00, the day still counts: 13/3 to 18/6', 98, 11_174.55, '2021-03-13T12:00:00+07:00'],
      ['15:30Z, which is 22:30 in Hà Nội', 97, 11_289.75, '2021-03-13T15:30:00Z'],
    ])('at %s → daysLeft %i, ≈ %d a day required', (_, daysLeft, approximately, asOf) => {
      // Act
      const risk = evaluateRisk(anInput({ days, asOf: new Date(asOf) }));
      // Assert
      expect(percentOf(13_994, 1_109_100)).toBe(1.26);
      expect(risk).toMatchObject({ evaluationDay: '2021-03-13', remaining: 1_095_106, daysLeft });
      const required = 1_095_106 / daysLeft;
      expect(risk.requiredDailyRate).toBe(required);
      expect(risk.requiredDailyRate).toBeCloseTo(approximately, 2);
      expect(Math.round(risk.requiredDailyRate ?? 0)).toBe(Math.round(approximately)); // 11,290 and 11,175
      // 1,000 a day over 6/3–12/3 is under a tenth of what is needed
      expect(risk.observedDailyRate).toBe(1_000);
      expect(risk.paceRatio).toBeCloseTo(1_000 / required, 12);
      expect(risk.level).toBe('critical');
      expect(risk.projectedCompletion ?? '').toMatch(/^202[34]-/);
    });
  });

  describe('levels at every boundary', () => {
    // Evaluated 15/3 10:00 (the day counts) with a deadline of 24/3: daysLeft 10, 1,000 remaining,
    // 100 a day required; the 7 complete days observed are 8/3–14/3, so a pace of sum / 700.
    const base = {
      target: 1_400,
      total: 400,
      deadline: '2021-03-24',
      asOf: hanoi('2021-03-15', '10:00'),
    };
    const custom: RiskCalendar = { ...HUNG_YEN, thresholds: { atRisk: 1.2, critical: 0.5 } };

    it.each([
      ['well ahead', HUNG_YEN, 1_000, 10 / 7, 'on_track'],
      ['exactly 1.0', HUNG_YEN, 700, 1, 'on_track'],
      ['just below 1.0', HUNG_YEN, 699, 699 / 700, 'at_risk'],
      ['exactly 0.8', HUNG_YEN, 560, 0.8, 'at_risk'],
      ['just below 0.8', HUNG_YEN, 559, 559 / 700, 'critical'],
      ['nothing observed', HUNG_YEN, 0, 0, 'critical'],
      ['custom 1.2/0.5: exactly 1.2', custom, 840, 1.2, 'on_track'],
      ['custom 1.2/0.5: just below 1.2', custom, 839, 839 / 700, 'at_risk'],
      ['custom 1.2/0.5: 1.0 is only at risk', custom, 700, 1, 'at_risk'],
      ['custom 1.2/0.5: exactly 0.5', custom, 350, 0.5, 'at_risk'],
      ['custom 1.2/0.5: just below 0.5', custom, 349, 349 / 700, 'critical'],
    ])('%s', (_, calendar, observedSum, pace, level) => {
      // Arrange: uneven days, so the sum, not a day's count, decides
      const days = spread(observedSum, '2021-03-08', 7);
      // Act
      const risk = evaluateRisk({ ...base, calendar, days });
      // Assert
      expect(risk.daysLeft).toBe(10);
      expect(risk.requiredDailyRate).toBe(100);
      expect(risk.observedDailyRate).toBeCloseTo(observedSum / 7, 12);
      expect(risk.paceRatio).toBe(pace);
      expect(risk.level).toBe(level);
    });

    it.each([
      ['at pace 1.0 on the deadline', 700, '2021-03-24'],
      ['at 80 a day, 12.5 days: three days late', 560, '2021-03-27'],
      ['at 1,000 a day: the first day', 7_000, '2021-03-15'],
      ['at 0 a day: never', 0, null],
    ])('projects completion %s', (_, observedSum, projected) => {
      const risk = evaluateRisk({ ...base, calendar: HUNG_YEN, days: spread(observedSum, '2021-03-08', 7) });
      expect(risk.projectedCompletion).toBe(projected);
    });
  });

  describe('the first days of the campaign (start 1/3)', () => {
    it.each([
      ['before the start', hanoi('2021-02-25', '10:00'), null, null],
      ['day 1', hanoi('2021-03-01', '10:00'), null, null],
      ['day 1, after working hours: the day is not complete', hanoi('2021-03-01', '23:00'), null, null],
      ['day 2: day 1 alone', hanoi('2021-03-02', '10:00'), 300, 1],
      ['day 4: three days', hanoi('2021-03-04', '10:00'), 600, 3],
      ['day 8: the first full week', hanoi('2021-03-08', '10:00'), (300 + 600 + 900 + 4 * 1_000) / 7, 7],
      ['day 9: the week slides', hanoi('2021-03-09', '10:00'), (600 + 900 + 5 * 1_000) / 7, 7],
    ])('%s', (_, asOf, observed, windowDays) => {
      // Arrange: a stray count before the start (not possible, but it must not count) and on each day
      const days = [
        { day: '2021-02-28', count: 50_000 },
        { day: '2021-03-01', count: 300 },
        { day: '2021-03-02', count: 600 },
        { day: '2021-03-03', count: 900 },
        ...spread(6_000, '2021-03-04', 6),
      ];
      // Act
      const risk = evaluateRisk(anInput({ days, total: 100, asOf }));
      // Assert
      expect(risk.observedDailyRate).toBe(observed);
      expect(observationWindow(risk.evaluationDay, HUNG_YEN.startDate)?.days ?? null).toBe(windowDays);
      expect(risk.level).toBe(observed === null ? 'no_data' : 'critical');
      if (observed === null) {
        expect(risk.paceRatio).toBeNull();
        expect(risk.projectedCompletion).toBeNull();
      }
    });

    it('counts days left from the start before it, so required is what the whole campaign needs', () => {
      // Act: 1/3 to 18/6 is 31 + 30 + 31 + 18 = 110 days
      const risk = evaluateRisk(anInput({ total: 0, asOf: hanoi('2021-02-20', '23:00') }));
      // Assert
      expect(risk).toMatchObject({ evaluationDay: '2021-02-20', daysLeft: 110, level: 'no_data' });
      expect(risk.requiredDailyRate).toBe(1_109_100 / 110);
    });
  });

  describe('done and missed', () => {
    it.each<[string, RiskLevel, Partial<RiskInput>, number, number | null]>([
      ['the target reached', 'done', { total: 1_109_100, asOf: hanoi('2021-06-01', '10:00') }, 18, 0],
      ['the target exceeded', 'done', { total: 1_200_000, asOf: hanoi('2021-06-01', '10:00') }, 18, 0],
      [
        'a target of 0, on day 1',
        'done',
        { target: 0, total: 0, asOf: hanoi('2021-03-01', '08:00') },
        110,
        0,
      ],
      [
        'a target of 0, before the start',
        'done',
        { target: 0, total: 0, asOf: hanoi('2021-02-01', '08:00') },
        110,
        0,
      ],
      [
        'reached after the deadline',
        'done',
        { total: 1_109_100, asOf: hanoi('2021-06-25', '10:00') },
        0,
        null,
      ],
      [
        'short the day after the deadline',
        'missed',
        { total: 1_000_000, asOf: hanoi('2021-06-19', '09:00') },
        0,
        null,
      ],
      [
        'short at 22:00 on the deadline',
        'missed',
        { total: 1_000_000, asOf: hanoi('2021-06-18', '22:00') },
        0,
        null,
      ],
      [
        'short at 21:00 on the deadline: one day left',
        'critical',
        { total: 1_000_000, asOf: hanoi('2021-06-18', '21:00') },
        1,
        109_100,
      ],
      [
        'short weeks after, with no intake at all',
        'missed',
        { total: 0, asOf: hanoi('2021-09-01', '09:00') },
        0,
        null,
      ],
    ])('%s → %s', (_, level, overrides, daysLeft, required) => {
      // Arrange: 100 a day every day
      const days = spread(100 * 200, '2021-03-01', 200);
      // Act
      const risk = evaluateRisk(anInput({ days, ...overrides }));
      // Assert
      expect(risk).toMatchObject({ level, daysLeft, requiredDailyRate: required });
      if (level === 'done' || level === 'missed') expect(risk.paceRatio).toBeNull();
      if (level === 'done') expect(risk.projectedCompletion).toBeNull();
    });

    it('still projects a missed target: when it would be reached at the observed rate', () => {
      // 100 short, 50 a day: the 19th (after hours on the 18th) and the 20th
      const risk = evaluateRisk(
        anInput({
          target: 1_000,
          total: 900,
          days: spread(350, '2021-06-11', 7),
          asOf: hanoi('2021-06-18', '23:00'),
        }),
      );
      expect(risk).toMatchObject({
        level: 'missed',
        observedDailyRate: 50,
        projectedCompletion: '2021-06-20',
      });
    });
  });

  describe('working hours decide whether today counts', () => {
    const late: RiskCalendar = { ...HUNG_YEN, workingHours: { start: '06:00', end: '18:00' } };
    const allDay: RiskCalendar = { ...HUNG_YEN, workingHours: { start: '00:00', end: '24:00' } };

    it.each([
      ['07:00–22:00 at 06:30, before they begin', 98, HUNG_YEN, '06:30:00'],
      ['07:00–22:00 at 21:59', 98, HUNG_YEN, '21:59:00'],
      ['07:00–22:00 at 21:59:59', 98, HUNG_YEN, '21:59:59'],
      ['07:00–22:00 at 22:00', 97, HUNG_YEN, '22:00:00'],
      ['07:00–22:00 at 22:30', 97, HUNG_YEN, '22:30:00'],
      ['07:00–22:00 at 23:59', 97, HUNG_YEN, '23:59:00'],
      ['06:00–18:00 at 17:59', 98, late, '17:59:00'],
      ['06:00–18:00 at 18:00', 97, late, '18:00:00'],
      ['06:00–18:00 at 20:00', 97, late, '20:00:00'],
      ['00:00–24:00 at 23:59:59', 98, allDay, '23:59:59'],
    ])('%s → %i days left', (_, daysLeft, calendar, time) => {
      // Act
      const risk = evaluateRisk(anInput({ calendar, asOf: hanoi('2021-03-13', time) }));
      // Assert
      expect(risk.daysLeft).toBe(daysLeft);
      expect(daysLeftOf('2021-06-18', hanoi('2021-03-13', time), calendar)).toBe(daysLeft);
      expect(risk.requiredDailyRate).toBe(1_095_106 / daysLeft);
    });

    it('uses the campaign time zone for both the day and the hour', () => {
      // 22:30 in Hà Nội is 16:30 in Berlin: there, the 13th still counts
      const berlin: RiskCalendar = { ...HUNG_YEN, timeZone: 'Europe/Berlin' };
      const risk = evaluateRisk(anInput({ calendar: berlin, asOf: hanoi('2021-03-13', '22:30') }));
      expect(risk).toMatchObject({ evaluationDay: '2021-03-13', daysLeft: 98 });
    });
  });
});
