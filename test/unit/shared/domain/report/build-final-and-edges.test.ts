import { describe, expect, it } from 'vitest';
import { buildReport, finalPeriod, type ReportDay, weekPeriod } from '../../../../../shared/domain/report.js';
import { Unit } from '../../../../../shared/schemas/campaign.js';
import { aUnit } from '../../../../support/builders.js';
import { anInput, CAMPAIGN, steady } from '../../../../support/report-fixtures.js';

describe('buildReport()', () => {
  describe('the final report', () => {
    // A commune without children: 10 a day from 3/3 through its deadline 12/3 reaches its 100.
    const unit = Unit.parse(aUnit({ id: 'X', name: 'Xã Một', target: 100, deadline: '2021-03-12' }));
    /** Its final report (3/3..12/3) with 10 a day from 3/3 through `lastDay`. */
    const finalReportThrough = (lastDay: string) =>
      buildReport({
        campaign: CAMPAIGN,
        unit,
        children: [],
        days: new Map([['X', steady('2021-03-03', lastDay, 10)]]),
        period: finalPeriod('2021-03-03', '2021-03-12'),
        generatedAt: new Date('2021-03-13T00:00:00Z'),
      });
    const report = finalReportThrough('2021-03-12');

    it('covers the whole campaign: from nothing to done, no required rate after the deadline', () => {
      expect(report).toMatchObject({
        reportId: 'X:final',
        atStart: { total: 0, percent: 0, level: 'no_data' },
        atEnd: { total: 100, percent: 100, level: 'done' },
        received: 100,
        dailyAverage: 10,
        requiredDailyRate: null,
        levelChanged: true,
        subTargets: [],
        children: [],
        best: [],
        worst: [],
        notes: [],
      });
    });

    it('is missed when the deadline passed short of the target', () => {
      const short = finalReportThrough('2021-03-11');
      expect(short.atEnd).toEqual({ total: 90, percent: 90, level: 'missed' });
      expect(short.requiredDailyRate).toBeNull();
    });
  });

  describe('best and worst', () => {
    // Seven communes, each target 100; totals give percents with ties (broken by id ascending).
    const totals: Record<string, number> = { A: 50, B: 80, C: 50, D: 10, E: 80, F: 30, G: 95 };
    const children = Object.keys(totals).map((id) =>
      Unit.parse(aUnit({ id, parentId: 'P', name: `Xã ${id}`, target: 100 })),
    );
    const parent = Unit.parse(aUnit({ id: 'P', name: 'Huyện P', level: 'district', target: 700 }));
    const days = new Map<string, ReportDay[]>(
      Object.entries(totals).map(([id, count]) => [id, [{ day: '2021-03-29', count, byGroup: {} }]]),
    );
    const report = buildReport(anInput({ unit: parent, children, days }));

    it('holds five each, best highest first and worst lowest first, ties by id', () => {
      // G 95, B 80, E 80, A 50, C 50 | F 30, D 10
      expect(report.best).toEqual(['G', 'B', 'E', 'A', 'C']);
      // D 10, F 30, A 50, C 50, B 80
      expect(report.worst).toEqual(['D', 'F', 'A', 'C', 'B']);
    });

    it('notes every child whose last 3+ days were empty, longest first, ties in unit order', () => {
      // All seven took in only on Monday 29/3: 30/3..4/4 = 6 days each; no targets note (700 = 700).
      expect(
        report.notes.map((n) => (n.kind === 'no_intake' ? [n.unitId, n.days, n.lastDay] : n.kind)),
      ).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G'].map((id) => [id, 6, '2021-03-29']));
    });
  });

  describe('no-intake notes', () => {
    const child = (id: string) => Unit.parse(aUnit({ id, parentId: 'P', name: `Xã ${id}` }));
    const parent = Unit.parse(aUnit({ id: 'P', name: 'Huyện P', level: 'district', target: 1_000 }));
    const one = (day: string): ReportDay => ({ day, count: 1, byGroup: {} });

    it('starts at 3 empty days and counts the run back before the period', () => {
      const report = buildReport(
        anInput({
          unit: parent,
          children: [child('two'), child('three'), child('long')],
          days: new Map([
            ['two', [one('2021-04-02')]], // 3/4, 4/4 empty: 2 days, no note
            ['three', [one('2021-04-01')]], // 2/4..4/4: 3 days
            ['long', [one('2021-03-20'), one('2021-04-09')]], // 21/3..4/4: 15 days (9/4 is after the period)
          ]),
        }),
      );
      expect(report.notes).toEqual([
        { kind: 'no_intake', unitId: 'long', name: 'Xã long', days: 15, lastDay: '2021-03-20' },
        { kind: 'no_intake', unitId: 'three', name: 'Xã three', days: 3, lastDay: '2021-04-01' },
      ]);
    });
  });

  describe('edges', () => {
    it('treats a unit missing from the days map as without intake', () => {
      const report = buildReport(anInput({ days: new Map() }));
      expect(report.atEnd).toEqual({ total: 0, percent: 0, level: 'critical' });
      expect(report.received).toBe(0);
    });

    it('averages 0 over a period wholly before the campaign start', () => {
      const report = buildReport(anInput({ period: weekPeriod('2021-W08') }));
      expect(report.received).toBe(0);
      expect(report.dailyAverage).toBe(0);
      expect(report.atEnd.level).toBe('no_data');
      expect(report.levelChanged).toBe(false);
    });

    it('refuses a child of another unit', () => {
      const stray = Unit.parse(aUnit({ id: 'Z', parentId: '9999', name: 'Xã Z' }));
      expect(() => buildReport(anInput({ children: [stray] }))).toThrow(/not a child of "2801"/);
    });
  });
});
