import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../../../shared/domain/calendar.js';
import { percentOf } from '../../../../shared/domain/progress.js';
import {
  ALERT_LEVELS,
  dailyCountsFromDays,
  daysLeftOf,
  evaluateRisk,
  evaluateSubTarget,
  isAlertLevel,
  levelForPace,
  levelRank,
  observationWindow,
  RISK_LEVELS,
  type RiskCalendar,
  type RiskInput,
  type RiskLevel,
  riskSince,
  SEVERITY_ORDER,
  worseFirst,
  worseLevel,
} from '../../../../shared/domain/risk.js';
import { addTotals } from '../../../../shared/domain/totals.js';
import { someTotals } from '../../../support/memory-totals.js';

/** The Hưng Yên campaign's calendar: Hà Nội time, 07:00–22:00, thresholds 1.0 and 0.8. */
const HUNG_YEN: RiskCalendar = {
  timeZone: 'Asia/Ho_Chi_Minh',
  startDate: '2021-03-01',
  workingHours: { start: '07:00', end: '22:00' },
  thresholds: { atRisk: 1.0, critical: 0.8 },
};

/** A moment in Hà Nội local time: `hanoi('2021-03-13', '22:30')`. */
const hanoi = (day: string, time: string) => new Date(`${day}T${time}+07:00`);

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

  describe('properties', () => {
    const anyInput = fc
      .record({
        target: fc.integer({ min: 0, max: 1_000_000_000 }),
        total: fc.integer({ min: 0, max: 1_000_000_000 }),
        deadlineOffset: fc.integer({ min: -10, max: 200 }),
        evaluationOffset: fc.integer({ min: -5, max: 150 }),
        minute: fc.integer({ min: 0, max: 24 * 60 - 1 }),
        counts: fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: 7, maxLength: 7 }),
      })
      .map(({ target, total, deadlineOffset, evaluationOffset, minute, counts }): RiskInput => {
        const day = addDays('2021-03-01', evaluationOffset);
        const time = `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
        return {
          target,
          total,
          deadline: addDays('2021-03-01', deadlineOffset),
          days: counts.map((count, i) => ({ day: addDays(day, i - 7), count })),
          calendar: HUNG_YEN,
          asOf: hanoi(day, time),
        };
      });

    it('requiredDailyRate × daysLeft = remaining', () => {
      fc.assert(
        fc.property(anyInput, (input) => {
          const risk = evaluateRisk(input);
          expect(risk.remaining).toBe(Math.max(0, input.target - input.total));
          if (risk.daysLeft === 0) expect(risk.requiredDailyRate).toBeNull();
          else expect((risk.requiredDailyRate ?? Number.NaN) * risk.daysLeft).toBeCloseTo(risk.remaining, 4);
        }),
      );
    });

    it('projects completion on or before the deadline exactly when the pace is at least 1', () => {
      fc.assert(
        fc.property(anyInput, (input) => {
          const risk = evaluateRisk(input);
          if (risk.paceRatio === null) return;
          const inTime = risk.projectedCompletion !== null && risk.projectedCompletion <= input.deadline;
          expect(inTime).toBe(risk.paceRatio >= 1);
          expect(risk.level === 'on_track').toBe(inTime);
        }),
      );
    });

    it('never rates a unit worse for more intake observed', () => {
      fc.assert(
        fc.property(anyInput, fc.integer({ min: 0, max: 100_000 }), (input, more) => {
          const better = {
            ...input,
            days: input.days.map((d, i) => (i === 0 ? { ...d, count: d.count + more } : d)),
          };
          expect(levelRank(evaluateRisk(better).level)).toBeLessThanOrEqual(
            levelRank(evaluateRisk(input).level),
          );
        }),
      );
    });

    it('levelForPace is monotone in pace, for any thresholds', () => {
      const thresholds = fc
        .tuple(fc.double({ min: 0.01, max: 10, noNaN: true }), fc.double({ min: 0.01, max: 10, noNaN: true }))
        .map(([a, b]) => ({ atRisk: Math.max(a, b), critical: Math.min(a, b) }));
      const pace = fc.double({ min: 0, max: 20, noNaN: true });
      fc.assert(
        fc.property(thresholds, pace, pace, (t, p, q) => {
          const [low, high] = p <= q ? [p, q] : [q, p];
          expect(levelRank(levelForPace(low, t))).toBeGreaterThanOrEqual(levelRank(levelForPace(high, t)));
        }),
      );
    });
  });
});

describe('evaluateSubTarget()', () => {
  it('puts the officials critical (30,000 by 30/4) while the whole province is on track', () => {
    // Arrange: evaluated 10/4 23:00; 9,000 a day of which 300 officials over 3/4–9/4
    const days = Array.from({ length: 7 }, (_, i) => ({
      day: addDays('2021-04-03', i),
      totals: addTotals(someTotals(8_700), someTotals(300, { group: 'official' })),
    }));
    const asOf = hanoi('2021-04-10', '23:00');
    // Act
    const unit = evaluateRisk({
      target: 1_109_100,
      deadline: '2021-06-18',
      total: 500_000,
      days: dailyCountsFromDays(days),
      calendar: HUNG_YEN,
      asOf,
    });
    const officials = evaluateSubTarget(
      { group: 'official', target: 30_000, deadline: '2021-04-30' },
      { total: 6_000, days, calendar: HUNG_YEN, asOf },
    );
    // Assert: the unit needs 609,100 over 11/4–18/6 (69 days); the officials 24,000 over 11/4–30/4 (20)
    expect(unit).toMatchObject({ level: 'on_track', daysLeft: 69, observedDailyRate: 9_000 });
    expect(unit.requiredDailyRate).toBeCloseTo(609_100 / 69, 9);
    expect(officials).toMatchObject({
      level: 'critical',
      daysLeft: 20,
      remaining: 24_000,
      requiredDailyRate: 1_200,
      observedDailyRate: 300,
      paceRatio: 0.25,
      projectedCompletion: addDays('2021-04-11', 79),
    });
  });

  it('is missed after its own deadline, with no projection (later intake does not count); done if reached', () => {
    const days = [{ day: '2021-04-29', totals: someTotals(100, { group: 'official' }) }];
    const sub = { group: 'official', target: 30_000, deadline: '2021-04-30' };
    const asOf = hanoi('2021-05-02', '10:00');
    expect(evaluateSubTarget(sub, { total: 29_999, days, calendar: HUNG_YEN, asOf })).toMatchObject({
      level: 'missed',
      observedDailyRate: 100 / 7,
      projectedCompletion: null,
    });
    expect(evaluateSubTarget(sub, { total: 30_000, days, calendar: HUNG_YEN, asOf }).level).toBe('done');
  });

  it('is missed from the end of working hours on its deadline day, without a projection', () => {
    const days = [{ day: '2021-04-29', totals: someTotals(700, { group: 'official' }) }];
    const sub = { group: 'official', target: 30_000, deadline: '2021-04-30' };
    const risk = evaluateSubTarget(sub, {
      total: 29_800,
      days,
      calendar: HUNG_YEN,
      asOf: hanoi('2021-04-30', '22:30'),
    });
    expect(risk).toMatchObject({
      level: 'missed',
      daysLeft: 0,
      observedDailyRate: 100,
      projectedCompletion: null,
    });
  });
});

describe('severity order', () => {
  it('ranks every level once, from done to missed', () => {
    expect([...SEVERITY_ORDER].sort()).toEqual([...RISK_LEVELS].sort());
    expect(SEVERITY_ORDER.map(levelRank)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(levelRank('critical')).toBeGreaterThan(levelRank('at_risk'));
    expect(levelRank('no_data')).toBeLessThan(levelRank('at_risk'));
  });

  it('sorts worst first and picks the worse of two', () => {
    const levels: RiskLevel[] = ['on_track', 'missed', 'done', 'critical', 'no_data', 'at_risk'];
    expect([...levels].sort(worseFirst)).toEqual([...SEVERITY_ORDER].reverse());
    expect(worseLevel('at_risk', 'critical')).toBe('critical');
    expect(worseLevel('critical', 'at_risk')).toBe('critical');
  });

  it('knows the alerting levels', () => {
    expect(RISK_LEVELS.filter(isAlertLevel)).toEqual([...ALERT_LEVELS]);
  });
});

describe('riskSince()', () => {
  const asOf = new Date('2021-03-13T15:30:00Z');
  const stored = { level: 'critical' as const, since: '2021-03-10T15:00:00.000Z' };

  it.each<[string, RiskLevel | null, typeof stored | undefined, Date, string | null]>([
    ['the stored level is the computed one', 'critical', stored, asOf, stored.since],
    ['the level has changed since the job ran', 'at_risk', stored, asOf, null],
    ['nothing stored', 'critical', undefined, asOf, null],
    [
      'the level began after asOf (a historical request)',
      'critical',
      stored,
      new Date('2021-03-09T00:00:00Z'),
      null,
    ],
    ['no level', null, stored, asOf, null],
  ])('%s', (_, level, state, at, since) => {
    expect(riskSince(level, state, at)).toBe(since);
  });
});

describe('observationWindow()', () => {
  it('is the 7 days before the evaluation day, never before the start', () => {
    expect(observationWindow('2021-03-20', '2021-03-01')).toEqual({
      from: '2021-03-13',
      to: '2021-03-19',
      days: 7,
    });
    expect(observationWindow('2021-03-03', '2021-03-01')).toEqual({
      from: '2021-03-01',
      to: '2021-03-02',
      days: 2,
    });
    expect(observationWindow('2021-03-01', '2021-03-01')).toBeNull();
    expect(observationWindow('2021-02-01', '2021-03-01')).toBeNull();
  });
});
