import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  apportionCount,
  eventIdOf,
  localIso,
  MAX_COUNT_PER_EVENT,
  PACE_RANGES,
  paceOf,
  planSimulation,
  type SimulationPlan,
  toIntakeEvent,
  workingSlots,
} from '../../../../../infra/local/simulate/plan.js';
import { parseCampaignText } from '../../../../../shared/catalog/parse.js';
import { daysBetween } from '../../../../../shared/domain/calendar.js';
import { EventId, IntakeEvent } from '../../../../../shared/schemas/intake.js';

const hungYen = (() => {
  const parsed = parseCampaignText(readFileSync('scenarios/hung-yen-2021.json', 'utf8'), 'json');
  if (!parsed.file) throw new Error('the Hưng Yên scenario does not parse');
  return parsed.file;
})();

const sendsOf = (plan: SimulationPlan) => plan.days.flatMap((d) => d.posts.flatMap((p) => p.sends));
const uniqueEvents = (plan: SimulationPlan) => [
  ...new Map(sendsOf(plan).map((e) => [e.eventId, e])).values(),
];
/** Required daily rate of the whole campaign: the root's target over its days. */
const requiredPerDay = hungYen.units[0] ? hungYen.units[0].target / 110 : 0;

describe('planSimulation()', () => {
  it('gives the same plan for the same seed and a different one for another seed', () => {
    // Act
    const a = planSimulation(hungYen, { days: 3, pace: 'mixed', seed: 1 });
    const b = planSimulation(hungYen, { days: 3, pace: 'mixed', seed: 1 });
    const c = planSimulation(hungYen, { days: 3, pace: 'mixed', seed: 2 });
    // Assert
    expect(JSON.stringify(b.days)).toBe(JSON.stringify(a.days));
    expect(JSON.stringify(c.days)).not.toBe(JSON.stringify(a.days));
  });

  it('plans the first days of a longer run exactly as a shorter run', () => {
    // Act
    const short = planSimulation(hungYen, { days: 2, pace: 'lagging', seed: 5 });
    const long = planSimulation(hungYen, { days: 9, pace: 'lagging', seed: 5 });
    // Assert
    expect(JSON.stringify(long.days.slice(0, 2))).toBe(JSON.stringify(short.days));
  });

  it('makes valid intake events: unique valid eventIds, counts 1–1000, inside working hours of their day', () => {
    // Act
    const plan = planSimulation(hungYen, { days: 4, pace: 'on-track', seed: 3 });
    const events = uniqueEvents(plan);
    // Assert
    expect(events.length).toBe(plan.events);
    expect(events.reduce((s, e) => s + e.count, 0)).toBe(plan.applications);
    for (const e of events) {
      expect(IntakeEvent.safeParse(toIntakeEvent(e)).success, e.eventId).toBe(true);
      expect(e.count).toBeGreaterThanOrEqual(1);
      expect(e.count).toBeLessThanOrEqual(MAX_COUNT_PER_EVENT);
      expect(e.occurredAt.slice(0, 10)).toBe(e.day);
      const time = e.occurredAt.slice(11, 16);
      expect(time >= '07:00' && time < '22:00', e.occurredAt).toBe(true);
      expect(e.occurredAt.endsWith('+07:00')).toBe(true);
    }
    // Only the communes (the leaves) take in: the districts' and province's targets are their children's sums.
    const leaves = new Set(
      hungYen.units.filter((u) => !hungYen.units.some((c) => c.parentId === u.id)).map((u) => u.id),
    );
    expect(events.every((e) => leaves.has(e.unitId))).toBe(true);
  });

  it('repeats about 10 % of posts whole and a few single events, never inventing a new eventId', () => {
    // Act
    const plan = planSimulation(hungYen, { days: 14, pace: 'mixed', seed: 1 });
    const posts = plan.days.flatMap((d) => d.posts);
    // Assert
    const resent = posts.filter((p) => p.resendWhole).length / posts.length;
    expect(resent).toBeGreaterThan(0.05);
    expect(resent).toBeLessThan(0.15);
    const carried = posts.reduce((s, p) => s + p.carried, 0);
    const inBatch = posts.reduce((s, p) => s + p.inBatch, 0);
    expect(carried).toBeGreaterThan(0);
    expect(inBatch).toBeGreaterThan(0);
    expect(sendsOf(plan).length).toBe(plan.events + carried + inBatch);
  });

  it('follows the pace: lagging takes in 0.4–0.7 of the required rate, on-track 1.05–1.2, mixed in between', () => {
    // Act
    const perDay = (pace: 'on-track' | 'lagging' | 'mixed') =>
      planSimulation(hungYen, { days: 7, pace, seed: 1 }).applications / 7 / requiredPerDay;
    // Assert
    expect(perDay('lagging')).toBeGreaterThan(PACE_RANGES.lagging.min * 0.96);
    expect(perDay('lagging')).toBeLessThan(PACE_RANGES.lagging.max * 1.04);
    expect(perDay('on-track')).toBeGreaterThan(PACE_RANGES.onTrack.min * 0.96);
    expect(perDay('on-track')).toBeLessThan(PACE_RANGES.onTrack.max * 1.04);
    expect(perDay('mixed')).toBeGreaterThan(perDay('lagging'));
    expect(perDay('mixed')).toBeLessThan(perDay('on-track'));
  });

  it('in a mixed run, some units lag and the others are on track', () => {
    // Act
    const plan = planSimulation(hungYen, { days: 1, pace: 'mixed', seed: 1 });
    const paces = [...plan.unitPace.values()];
    // Assert
    expect(paces.some((p) => p <= PACE_RANGES.lagging.max)).toBe(true);
    expect(paces.some((p) => p >= PACE_RANGES.onTrack.min)).toBe(true);
    expect(paces.every((p) => p <= PACE_RANGES.lagging.max || p >= PACE_RANGES.onTrack.min)).toBe(true);
  });

  it('runs the risk job each evening at 20:00 and the report job on Monday mornings for the week that ended', () => {
    // Act: 1/3/2021 is a Monday; 14 days end on Sunday 14/3
    const plan = planSimulation(hungYen, { days: 14, pace: 'lagging', seed: 1 });
    // Assert
    expect(plan.days.map((d) => d.riskAsOf).slice(0, 2)).toEqual([
      '2021-03-01T20:00:00+07:00',
      '2021-03-02T20:00:00+07:00',
    ]);
    expect(plan.days.filter((d) => d.morningReport).map((d) => [d.day, d.morningReport])).toEqual([
      ['2021-03-08', '2021-W09'],
    ]);
    // The morning after the last day is Monday 15/3: the second week's report.
    expect(plan.closingReport).toBe('2021-W10');
  });

  it('registers the province leader by SMS and e-mail and each district leader by e-mail', () => {
    // Act
    const { leaders } = planSimulation(hungYen, { days: 1, pace: 'lagging', seed: 1 });
    // Assert
    expect(leaders).toHaveLength(11);
    expect(leaders[0]).toMatchObject({ unitId: '33', name: 'Chủ tịch UBND Tỉnh Hưng Yên', lang: 'vi' });
    expect(leaders[0]?.sms).toBeDefined();
    expect(leaders.slice(1).every((l) => l.sms === undefined && l.email.includes('@'))).toBe(true);
    expect(leaders.some((l) => l.lang === 'en')).toBe(true);
    expect(new Set(leaders.map((l) => l.name)).size).toBe(leaders.length);
  });

  it('refuses more days than the campaign has', () => {
    // Act + Assert
    expect(() => planSimulation(hungYen, { days: 111, pace: 'lagging', seed: 1 })).toThrow(/1 to 110/);
    expect(() => planSimulation(hungYen, { days: 0, pace: 'lagging', seed: 1 })).toThrow(RangeError);
    expect(daysBetween('2021-03-01', '2021-06-18') + 1).toBe(110);
  });
});

describe('plan helpers', () => {
  it('apportionCount() splits a count by weights, summing exactly', () => {
    expect(apportionCount(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(apportionCount(0, [1, 2])).toEqual([0, 0]);
    expect(apportionCount(1000, [0.5, 1.3, 0.4]).reduce((a, b) => a + b, 0)).toBe(1000);
  });

  it('workingSlots() splits the working hours into two-hour sessions weighted by the hourly curve', () => {
    const slots = workingSlots({ start: '07:00', end: '22:00' });
    expect(slots.map((s) => [s.hour, s.from, s.to])).toEqual([
      [7, 420, 540],
      [9, 540, 660],
      [11, 660, 780],
      [13, 780, 900],
      [15, 900, 1020],
      [17, 1020, 1140],
      [19, 1140, 1260],
      [21, 1260, 1320],
    ]);
    // 09:00-11:00 (1.2 + 1.3) outweighs the lunch session 11:00-13:00 (1.1 + 0.6) and the last hour (0.4).
    expect(slots[1]?.weight).toBeCloseTo(2.5);
    expect(slots[2]?.weight).toBeCloseTo(1.7);
    expect(slots[7]?.weight).toBeCloseTo(0.4);
    // Hours not on a session boundary, and a custom session length
    expect(workingSlots({ start: '07:30', end: '09:15' }).map((s) => [s.hour, s.from, s.to])).toEqual([
      [7, 450, 555],
    ]);
    expect(workingSlots({ start: '07:30', end: '09:15' }, 60).map((s) => [s.from, s.to])).toEqual([
      [450, 510],
      [510, 555],
    ]);
  });

  it('localIso() writes local wall-clock time with the zone offset', () => {
    expect(localIso('2021-03-01', 20 * 60, 'Asia/Ho_Chi_Minh')).toBe('2021-03-01T20:00:00+07:00');
    expect(localIso('2021-07-01', 9 * 60 + 5, 'America/New_York')).toBe('2021-07-01T09:05:00-04:00');
    expect(localIso('2021-03-01', 8 * 60, 'UTC')).toBe('2021-03-01T08:00:00+00:00');
  });

  it('eventIdOf() is readable when it can be and always a valid eventId', () => {
    expect(eventIdOf({ seed: 1 }, 2, '11950', 9, 0)).toBe('sim-s1-d003-11950-h09');
    expect(eventIdOf({ seed: 1, runTag: 'rx1' }, 0, '11950', 9, 1)).toBe('sim-rx1-s1-d001-11950-h09-1');
    const long = eventIdOf({ seed: 1 }, 0, 'a.very.long.unit.id.that.does.not.fit.in.an.event.id', 9, 0);
    expect(EventId.safeParse(long).success).toBe(true);
    expect(long).toBe(
      eventIdOf({ seed: 1 }, 0, 'a.very.long.unit.id.that.does.not.fit.in.an.event.id', 9, 0),
    );
  });

  it('paceOf() is stable per unit and seed and stays in its range', () => {
    expect(paceOf(1, 'lagging', '11950')).toBe(paceOf(1, 'lagging', '11950'));
    for (const id of ['1', '2', '3', '4', '5']) {
      const p = paceOf(9, 'on-track', id);
      expect(p).toBeGreaterThanOrEqual(PACE_RANGES.onTrack.min);
      expect(p).toBeLessThan(PACE_RANGES.onTrack.max);
    }
  });
});
