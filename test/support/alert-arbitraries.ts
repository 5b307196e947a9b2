/** fast-check arbitraries for the alert texts' properties: Vietnamese and hostile unit names, notifications, render options. */
import fc from 'fast-check';
import type { Language } from '../../shared/alerts/publisher.js';
import type { Notification, UnitChange, UnitEvaluation } from '../../shared/domain/alert-policy.js';
import type { RiskLevel } from '../../shared/domain/risk.js';
import { TZ } from './alert-notifications.js';

const SYLLABLES = [
  'Hưng',
  'Yên',
  'Đông',
  'Anh',
  'Văn',
  'Lâm',
  'Giang',
  'Đình',
  'Dù',
  'Lạc',
  'Hồng',
  'Như',
  'Quỳnh',
  'Nguyễn',
  'Thiện',
  'Thuật',
  'Ứng',
  'Hòe',
  'Khoái',
  'Châu',
  'Mỹ',
  'Hào',
  'Ân',
  'Tiên',
  'Lữ',
  'Động',
  'Phù',
  'Cừ',
  'Đạo',
  'Thọ',
  'Xuân',
  'Thanh',
  'Hóa',
];
const PREFIXES = ['Xã', 'Phường', 'Thị trấn', 'Huyện', 'Thành phố', 'Tỉnh', 'Quận', 'Thị xã', ''];
const NASTY = [
  '…',
  '“',
  '”',
  '‘',
  '’',
  '[',
  ']',
  '{',
  '}',
  '~',
  '|',
  '\\',
  '^',
  '€',
  '😀',
  '\n',
  '\t',
  'Ð',
  'ð',
  '–',
];

export const vietnameseName = fc
  .tuple(
    fc.constantFrom(...PREFIXES),
    fc.array(fc.constantFrom(...SYLLABLES), { minLength: 1, maxLength: 30 }),
  )
  .map(([prefix, words]) => `${prefix} ${words.join(' ')}`.trim());
export const anyName = fc.oneof(
  { weight: 3, arbitrary: vietnameseName },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 200 }) },
  {
    weight: 1,
    arbitrary: fc
      .array(fc.oneof(fc.constantFrom(...NASTY), fc.constantFrom(...SYLLABLES)), {
        minLength: 1,
        maxLength: 40,
      })
      .map((parts) => parts.join(' ')),
  },
);
const levels = fc.constantFrom<RiskLevel>('done', 'on_track', 'at_risk', 'critical', 'missed', 'no_data');
const rate = fc.option(fc.double({ min: 0, max: 2_000_000, noNaN: true }), { nil: null });
const isoDay = fc
  .date({ min: new Date('2021-03-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const instant = fc
  .date({ min: new Date('2021-03-01T00:00:00Z'), max: new Date('2021-07-01T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString());

const evaluationOf = (name: fc.Arbitrary<string>): fc.Arbitrary<UnitEvaluation> =>
  fc
    .record({
      unitId: fc.stringMatching(/^[0-9]{2,6}$/),
      name,
      level: levels,
      target: fc.integer({ min: 1, max: 1_000_000_000 }),
      share: fc.double({ min: 0, max: 1.2, noNaN: true }),
      daysLeft: fc.integer({ min: 0, max: 120 }),
      required: rate,
      observed: rate,
      projected: fc.option(isoDay, { nil: null }),
    })
    .map(({ share, daysLeft, required, observed, projected, ...e }) => {
      const total = Math.round(e.target * share);
      const remaining = Math.max(0, e.target - total);
      return {
        ...e,
        parentId: null,
        total,
        percent: (total / e.target) * 100,
        figures: {
          evaluationDay: '2021-03-13',
          remaining,
          daysLeft,
          requiredDailyRate: required,
          observedDailyRate: observed,
          paceRatio: required && observed !== null ? observed / required : null,
          projectedCompletion: projected,
          level: e.level,
        },
      };
    });

export const changeOf = (
  name: fc.Arbitrary<string>,
  kinds: readonly UnitChange['kind'][],
): fc.Arbitrary<UnitChange> =>
  fc.record({
    evaluation: evaluationOf(name),
    from: fc.option(levels, { nil: null }),
    to: levels,
    kind: fc.constantFrom(...kinds),
    criticalSince: fc.option(instant, { nil: null }),
  });

export const notificationOf = (name: fc.Arbitrary<string>): fc.Arbitrary<Notification> =>
  fc
    .record({
      scopeUnitId: fc.stringMatching(/^[0-9]{2,6}$/),
      scope: fc.option(evaluationOf(name), { nil: null }),
      severity: fc.constantFrom<Notification['severity']>('critical', 'at_risk', 'resolved'),
      own: fc.option(changeOf(name, ['alert', 'repeat', 'resolved']), { nil: null }),
      children: fc.array(changeOf(name, ['alert', 'resolved']), { maxLength: 40 }),
      escalations: fc.array(changeOf(name, ['escalation']), { maxLength: 15 }),
      extraChildren: fc.integer({ min: 0, max: 600 }),
      critical: fc.nat(600),
      atRisk: fc.nat(600),
      onTrack: fc.nat(600),
      childUnitLevel: fc.constantFrom('commune', 'district', 'province', 'ward', 'town', 'village', null),
    })
    .filter((n) => n.own !== null || n.children.length > 0 || n.escalations.length > 0)
    .map(({ extraChildren, critical, atRisk, onTrack, ...n }) => ({
      ...n,
      childCount: n.children.length + n.escalations.length + extraChildren,
      childLevelCounts: { critical, at_risk: atRisk, on_track: onTrack },
    }));

export const renderOptions = fc.record({
  lang: fc.constantFrom<Language>('vi', 'en'),
  campaignName: anyName,
  timeZone: fc.constant(TZ),
  asOf: fc.date({
    min: new Date('2021-03-01T00:00:00Z'),
    max: new Date('2021-07-01T00:00:00Z'),
    noInvalidDate: true,
  }),
});
