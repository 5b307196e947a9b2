/** Fixtures shared by the tests of shared/domain/report.ts (test/unit/shared/domain/report/): Thọ Xuân district, four communes. */
import { addDays } from '../../shared/domain/calendar.js';
import { type ReportDay, type ReportInput, weekPeriod } from '../../shared/domain/report.js';
import { Campaign, Unit } from '../../shared/schemas/campaign.js';
import { aUnit } from './builders.js';

// ---------------------------------------------------------------------------------------------
// The fixed data set (every expected figure below is worked out by hand in the comments)
// ---------------------------------------------------------------------------------------------

/** Starts on Wednesday 3/3/2021: its first ISO week, 2021-W09 (1/3..7/3), has 5 campaign days. */
export const CAMPAIGN = Campaign.parse({
  id: 'cccd-2021-tx',
  name: 'Thu nhận hồ sơ CCCD 2021',
  startDate: '2021-03-03',
  groups: ['official'],
});

/** Children targets: 12.000 + 10.000 + 11.000 + 9.000 = 42.000, above the district's 40.000. */
const DISTRICT = Unit.parse(
  aUnit({
    id: '2801',
    name: 'Huyện Thọ Xuân',
    level: 'district',
    target: 40_000,
    deadline: '2021-06-17',
    subTargets: [{ group: 'official', target: 1_500, deadline: '2021-03-31' }],
  }),
);
const commune = (id: string, name: string, target: number) =>
  Unit.parse(aUnit({ id, parentId: '2801', name, target, deadline: '2021-06-17' }));
const XUAN_HOA = commune('C1', 'Xã Xuân Hòa', 12_000);
const THO_XUAN = commune('C2', 'Thị trấn Thọ Xuân', 10_000);
const BAC_LUONG = commune('C3', 'Xã Bắc Lương', 11_000);
const NAM_GIANG = commune('C4', 'Xã Nam Giang', 9_000);
const CHILDREN = [XUAN_HOA, THO_XUAN, BAC_LUONG, NAM_GIANG];

/** `count` a day (of which `official` officials) every day from `from` through `to`. */
export function steady(from: string, to: string, count: number, official = 0): ReportDay[] {
  const days: ReportDay[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) {
    days.push({ day, count, byGroup: official > 0 ? { official } : {} });
  }
  return days;
}

/** A parent's DAY items: the sum of its children's, day by day (the roll-up, done by the test). */
function rollUp(...lists: ReportDay[][]): ReportDay[] {
  const byDay = new Map<string, { count: number; official: number }>();
  for (const list of lists) {
    for (const d of list) {
      const sum = byDay.get(d.day) ?? { count: 0, official: 0 };
      byDay.set(d.day, { count: sum.count + d.count, official: sum.official + (d.byGroup.official ?? 0) });
    }
  }
  return [...byDay.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([day, s]) => ({ day, count: s.count, byGroup: { official: s.official } }));
}

const LAST_DAY = '2021-04-04';
/** Xuân Hòa: 150 a day (20 officials) from the start. */
const C1_DAYS = steady('2021-03-03', LAST_DAY, 150, 20);
/** Thọ Xuân town: 100 a day (10 officials) from the start. */
const C2_DAYS = steady('2021-03-03', LAST_DAY, 100, 10);
/** Bắc Lương: 80 a day through 31/3, then nothing (1/4..4/4: the last 4 days of 2021-W13). */
const C3_DAYS = steady('2021-03-03', '2021-03-31', 80);
/** Nam Giang: nothing in its first week; 50 a day from Monday 8/3. */
const C4_DAYS = steady('2021-03-08', LAST_DAY, 50);
/** Everything through 4/4 is given to both weeks' reports: days after a period's end must not count. */
const DAYS = new Map<string, ReportDay[]>([
  ['2801', rollUp(C1_DAYS, C2_DAYS, C3_DAYS, C4_DAYS)],
  ['C1', C1_DAYS],
  ['C2', C2_DAYS],
  ['C3', C3_DAYS],
  ['C4', C4_DAYS],
]);
const GENERATED_AT = new Date('2021-04-05T00:00:00Z'); // Monday 5/4 07:00 local

export function anInput(overrides: Partial<ReportInput> = {}): ReportInput {
  return {
    campaign: CAMPAIGN,
    unit: DISTRICT,
    children: CHILDREN,
    days: DAYS,
    period: weekPeriod('2021-W13'),
    generatedAt: GENERATED_AT,
    ...overrides,
  };
}
