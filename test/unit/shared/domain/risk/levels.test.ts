import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../../../../shared/domain/calendar.js';
import {
  ALERT_LEVELS,
  dailyCountsFromDays,
  evaluateRisk,
  evaluateSubTarget,
  isAlertLevel,
  levelForPace,
  levelRank,
  observationWindow,
  RISK_LEVELS,
  type RiskInput,
  type RiskLevel,
  riskSince,
  SEVERITY_ORDER,
  worseFirst,
  worseLevel,
} from '../../../../../shared/domain/risk.js';
import { addTotals } from '../../../../../shared/domain/totals.js';
import { someTotals } from '../../../../support/memory-totals.js';
import { HUNG_YEN, hanoi } from '../../../../support/risk-fixtures.js';

describe('evaluateRisk()', () => {
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
