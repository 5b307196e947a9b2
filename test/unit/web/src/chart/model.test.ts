/**
 * The dashboard's burn-up model (web/src/chart/model.ts) with the Hưng Yên numbers. The figures
 * come from the API's own evaluation (shared/domain/progress.ts progressOf), so the chart and the
 * progress route cannot disagree: 13,994 of 1,109,100 on 13/3/2021 at 22:30, deadline 18/6/2021.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type DayTotals, progressOf } from '../../../../../shared/domain/progress.js';
import { CampaignFile } from '../../../../../shared/schemas/campaign.js';
import {
  burnUp,
  burnUpColumns,
  cumulative,
  projection,
  requiredPath,
  sparkPoints,
  subTargetLines,
  valueOn,
} from '../../../../../web/src/chart/model.js';
import { addDays } from '../../../../../web/src/days.js';
import { someTotals } from '../../../../support/memory-totals.js';

const file = CampaignFile.parse(JSON.parse(readFileSync('scenarios/hung-yen-2021.json', 'utf8')));
const province = file.units.find((u) => u.id === '33');
if (!province) throw new Error('the scenario has no province 33');

/** 1,000 a day from 1/3 to 12/3 and 1,994 on 13/3 (13,994), all of them officials. */
const days: DayTotals[] = Array.from({ length: 13 }, (_, i) => {
  const count = i === 12 ? 1994 : 1000;
  return { day: addDays('2021-03-01', i), totals: someTotals(count, { group: 'official' }) };
});

const progressAt = (asOf: string, today: string) =>
  progressOf(
    province,
    { totals: someTotals(13_994, { group: 'official' }), days },
    { campaignId: file.campaign.id, today, asOf: new Date(asOf).toISOString(), calendar: file.campaign },
  );

const evening = progressAt('2021-03-13T22:30:00+07:00', '2021-03-13');
const noon = progressAt('2021-03-13T12:00:00+07:00', '2021-03-13');
const series = days.map((d) => ({ day: d.day, count: d.totals.count }));

describe('requiredPath()', () => {
  it('at 22:30 on 13/3/2021 runs from 13,994 on 13/3 to 1,109,100 on 18/6 over 97 days, ≈ 11,290 a day', () => {
    // Act
    const path = requiredPath(evening);
    // Assert
    expect(evening.daysLeft).toBe(97);
    expect(path?.from).toEqual({ day: '2021-03-13', value: 13_994 });
    expect(path?.to).toEqual({ day: '2021-06-18', value: 1_109_100 });
    expect(path?.days).toBe(97);
    expect(path?.perDay).toBeCloseTo(11_289.75, 2);
    expect(Math.round(path?.perDay ?? 0)).toBe(11_290);
    // the same rate as the API's requiredDailyRate
    expect(path?.perDay).toBeCloseTo(evening.requiredDailyRate ?? 0, 2);
  });

  it('at noon the same day still counts 13/3: 98 days from 12/3, ≈ 11,174.55 a day', () => {
    const path = requiredPath(noon);
    expect(path?.from.day).toBe('2021-03-12');
    expect(path?.days).toBe(98);
    expect(path?.perDay).toBeCloseTo(11_174.55, 2);
  });

  it('is absent once the target is reached or the deadline has passed', () => {
    expect(requiredPath({ ...evening, total: 1_109_100 })).toBeNull();
    expect(requiredPath({ ...evening, daysLeft: 0 })).toBeNull();
  });
});

describe('projection()', () => {
  it('carries the total forward at the observed pace until the deadline when the pace falls short', () => {
    // observed: mean of 6/3..12/3 = 1,000 a day
    expect(evening.observedDailyRate).toBe(1000);
    const p = projection(evening);
    expect(p?.from).toEqual({ day: '2021-03-13', value: 13_994 });
    expect(p?.to.day).toBe('2021-06-18');
    expect(p?.to.value).toBe(13_994 + 1000 * 97);
    expect(p?.perDay).toBe(1000);
  });

  it('stops at the target on the projected day when the pace suffices', () => {
    const p = projection({ ...evening, observedDailyRate: 20_000 });
    // 1,095,106 ÷ 20,000 = 54.76 → the 55th day after 13/3
    expect(p?.to).toEqual({ day: addDays('2021-03-13', 55), value: 1_109_100 });
  });

  it('is absent without an observed pace (day 1, or nothing taken in)', () => {
    expect(projection({ ...evening, observedDailyRate: null })).toBeNull();
    expect(projection({ ...evening, observedDailyRate: 0 })).toBeNull();
  });
});

describe('subTargetLines()', () => {
  it("draws the officials' 30,000 by 30/4 as its own line, and where the group stands", () => {
    const [line] = subTargetLines(evening, file.campaign.startDate);
    expect(line?.group).toBe('official');
    expect(line?.line.from).toEqual({ day: '2021-02-28', value: 0 });
    expect(line?.line.to).toEqual({ day: '2021-04-30', value: 30_000 });
    expect(line?.line.days).toBe(61);
    expect(line?.current).toEqual({ day: '2021-03-13', value: 13_994 });
  });
});

describe('burnUp() and burnUpColumns()', () => {
  it('has the cumulative actual ending at the progress total, and lines meeting the target at the deadline', () => {
    // Act
    const model = burnUp(evening, file.campaign.startDate, series);
    const columns = burnUpColumns(model);
    // Assert
    expect(model.actual.at(-1)).toEqual({ day: '2021-03-13', value: 13_994 });
    expect(columns.days[0]).toBe('2021-02-28');
    expect(columns.days.at(-1)).toBe('2021-06-18');
    expect(columns.actual[columns.days.indexOf('2021-03-13')]).toBe(13_994);
    expect(columns.actual[columns.days.indexOf('2021-03-14')]).toBeNull();
    expect(columns.target.at(-1)).toBe(1_109_100);
    expect(columns.required.at(-1)).toBeCloseTo(1_109_100, 6);
    expect(columns.required[columns.days.indexOf('2021-03-12')]).toBeNull();
    expect(columns.subTargets[0]?.[columns.days.indexOf('2021-04-30')]).toBe(30_000);
    expect(columns.subTargets[0]?.[columns.days.indexOf('2021-05-01')]).toBeNull();
  });

  it('cumulates the daily series', () => {
    expect(cumulative(series).map((p) => p.value)).toEqual(
      series.map((_, i) => (i === 12 ? 13_994 : (i + 1) * 1000)),
    );
  });

  it('samples straight lines exactly at their ends and nowhere outside', () => {
    const path = requiredPath(evening);
    if (!path) throw new Error('expected a path');
    expect(valueOn(path, '2021-03-13')).toBe(13_994);
    expect(valueOn(path, '2021-03-12')).toBeNull();
    expect(valueOn(path, '2021-06-19')).toBeNull();
  });
});

describe('sparkPoints()', () => {
  it('spreads the days over the width and puts the busiest day at the top', () => {
    const points = sparkPoints([0, 5, 10]);
    expect(points).toEqual([
      { x: 0, y: 1 },
      { x: 0.5, y: 0.5 },
      { x: 1, y: 0 },
    ]);
  });
});
