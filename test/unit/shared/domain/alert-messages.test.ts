import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Language } from '../../../../shared/alerts/publisher.js';
import {
  formatDateVi,
  formatNumberVi,
  formatPercentVi,
  isGsm7,
  type RenderOptions,
  renderNotification,
  shortenName,
  stripDiacritics,
  worstFirst,
} from '../../../../shared/domain/alert-messages.js';
import type { Notification, UnitChange, UnitEvaluation } from '../../../../shared/domain/alert-policy.js';
import type { RiskFigures, RiskLevel } from '../../../../shared/domain/risk.js';

const TZ = 'Asia/Ho_Chi_Minh';
const CAMPAIGN = 'Thu nhận hồ sơ CCCD 2021';
/** 13/3/2021 22:30 local: the brief's Hưng Yên evaluation. */
const AS_OF = new Date('2021-03-13T15:30:00Z');
const SUBJECT_CHARS = /^[\x20-\x7e]+$/;

// ---------------------------------------------------------------------------------------------
// Builders
// ---------------------------------------------------------------------------------------------

function someFigures(
  overrides: Partial<RiskFigures> & Pick<RiskFigures, 'level' | 'remaining'>,
): RiskFigures {
  return {
    evaluationDay: '2021-03-13',
    daysLeft: 97,
    requiredDailyRate: 100,
    observedDailyRate: 50,
    paceRatio: 0.5,
    projectedCompletion: '2021-09-14',
    ...overrides,
  };
}

function anEvaluation(
  overrides: Partial<Omit<UnitEvaluation, 'figures'>> &
    Pick<UnitEvaluation, 'unitId' | 'name'> & {
      figures?: Partial<RiskFigures>;
    },
): UnitEvaluation {
  const level = overrides.level ?? 'critical';
  const target = overrides.target ?? 9000;
  const total = overrides.total ?? 1500;
  const { figures, ...rest } = overrides;
  return {
    parentId: null,
    level,
    total,
    target,
    percent: (total / target) * 100,
    ...rest,
    figures: someFigures({ level, remaining: Math.max(0, target - total), ...figures }),
  };
}

/** Hưng Yên on 13/3/2021 (BRIEF.md): 13.994 of 1.109.100, 11.290/day required. */
const hungYen = anEvaluation({
  unitId: '33',
  name: 'Tỉnh Hưng Yên',
  level: 'critical',
  total: 13_994,
  target: 1_109_100,
  percent: 1.26,
  figures: {
    remaining: 1_095_106,
    daysLeft: 97,
    requiredDailyRate: 1_095_106 / 97,
    observedDailyRate: 8_500,
    paceRatio: 8_500 / (1_095_106 / 97),
    projectedCompletion: '2021-07-17',
  },
});

function aChange(overrides: Partial<UnitChange> & Pick<UnitChange, 'evaluation'>): UnitChange {
  return {
    from: null,
    to: overrides.evaluation.level,
    kind: 'alert',
    criticalSince: '2021-03-10T01:00:00.000Z',
    ...overrides,
  };
}

function aNotification(overrides: Partial<Notification> & Pick<Notification, 'scopeUnitId'>): Notification {
  return {
    scope: null,
    severity: 'critical',
    own: null,
    children: [],
    escalations: [],
    childCount: 0,
    childLevelCounts: {},
    childUnitLevel: null,
    ...overrides,
  };
}

/** Hưng Yên's Văn Lâm district, on track: 41.234 of 108.000. */
const VAN_LAM = {
  unitId: '323',
  name: 'Huyện Văn Lâm',
  level: 'on_track',
  total: 41_234,
  target: 108_000,
} as const satisfies Partial<UnitEvaluation>;

/** Hưng Yên province turned critical (was at risk), with this many of its 10 districts at each level. */
const hungYenTurnsCritical = (childLevelCounts: Notification['childLevelCounts']) =>
  aNotification({
    scopeUnitId: '33',
    scope: hungYen,
    own: aChange({ evaluation: hungYen, from: 'at_risk', to: 'critical' }),
    childCount: 10,
    childLevelCounts,
    childUnitLevel: 'district',
  });

const COMMUNE_NAMES = [
  'Xã Đình Dù',
  'Xã Lạc Hồng',
  'Thị trấn Như Quỳnh',
  'Xã Trưng Trắc',
  'Xã Minh Hải',
  'Xã Chỉ Đạo',
  'Xã Đại Đồng',
  'Xã Lạc Đạo',
  'Xã Tân Quang',
  'Phường Hiến Nam',
  'Xã Việt Hưng',
  'Xã Lương Tài',
];

function twelveCommunes(nameOf: (i: number) => string = (i) => COMMUNE_NAMES[i] ?? `Xã ${i}`): UnitChange[] {
  return Array.from({ length: 12 }, (_, i) =>
    aChange({
      evaluation: anEvaluation({
        unitId: String(12001 + i),
        parentId: '323',
        name: nameOf(i),
        total: 1000 + 37 * i,
        figures: { requiredDailyRate: 95, observedDailyRate: 40 + i, paceRatio: (40 + i) / 95 },
      }),
    }),
  );
}

const optionsIn = (lang: Language, overrides: Partial<RenderOptions> = {}): RenderOptions => ({
  lang,
  campaignName: CAMPAIGN,
  timeZone: TZ,
  asOf: AS_OF,
  ...overrides,
});

const LONG_NAME =
  'Xã Đông Phương Yên thuộc vùng đồng bằng sông Hồng có tên rất dài để thử cắt ngắn tên trong tin nhắn SMS không dấu';

// ---------------------------------------------------------------------------------------------
// Arbitraries
// ---------------------------------------------------------------------------------------------

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

const vietnameseName = fc
  .tuple(
    fc.constantFrom(...PREFIXES),
    fc.array(fc.constantFrom(...SYLLABLES), { minLength: 1, maxLength: 30 }),
  )
  .map(([prefix, words]) => `${prefix} ${words.join(' ')}`.trim());
const anyName = fc.oneof(
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

const changeOf = (
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

const notificationOf = (name: fc.Arbitrary<string>): fc.Arbitrary<Notification> =>
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

const renderOptions = fc.record({
  lang: fc.constantFrom<Language>('vi', 'en'),
  campaignName: anyName,
  timeZone: fc.constant(TZ),
  asOf: fc.date({
    min: new Date('2021-03-01T00:00:00Z'),
    max: new Date('2021-07-01T00:00:00Z'),
    noInvalidDate: true,
  }),
});

/** Integers of 4+ digits not written the vi-VN way, once names and dates are taken out. */
function ungroupedNumbers(email: string, names: readonly string[]): string[] {
  let text = email.replace(/\b\d{1,2}\/\d{1,2}\/\d{4}\b/g, ' ');
  for (const name of [...names].sort((a, b) => b.length - a.length)) text = text.split(name).join(' ');
  return text.match(/(?<![\d.,])\d{4,}/g) ?? [];
}

function namesIn(n: Notification, campaignName: string): string[] {
  const changes = [n.own, ...n.children, ...n.escalations].filter((c): c is UnitChange => c !== null);
  return [
    campaignName,
    n.scopeUnitId,
    ...(n.scope ? [n.scope.name] : []),
    ...changes.map((c) => c.evaluation.name),
  ];
}

// ---------------------------------------------------------------------------------------------

describe('alert messages', () => {
  describe('helpers', () => {
    it('stripDiacritics() writes Vietnamese without diacritics, đ → d and Đ → D', () => {
      // Arrange
      const names = ['Hưng Yên, Đông Anh', 'Thọ Xuân, Thanh Hóa', 'ỨNG HÒA đường Ðình'];

      // Act
      const stripped = names.map(stripDiacritics);

      // Assert
      expect(stripped).toEqual(['Hung Yen, Dong Anh', 'Tho Xuan, Thanh Hoa', 'UNG HOA duong Dinh']);
    });

    it('isGsm7() accepts the GSM-7 basic table only', () => {
      // Arrange
      const yes = ['Hung Yen: NGUY CAP 1,26%', '@£$¥èé!"#%&\'()*+,-./:;<=>?§¿Ää', ''];
      const no = ['Hưng Yên', 'curly ’quote’', 'ellipsis…', 'brackets [1]', 'tilde ~', 'euro €', 'emoji 😀'];

      // Act
      const answers = [...yes, ...no].map(isGsm7);

      // Assert
      expect(answers).toEqual([...yes.map(() => true), ...no.map(() => false)]);
    });

    it('formatNumberVi() and formatDateVi() write numbers and dates the vi-VN way', () => {
      // Arrange, Act, Assert
      expect(formatNumberVi(1_109_100)).toBe('1.109.100');
      expect(formatNumberVi(1_109_100)).toBe(new Intl.NumberFormat('vi-VN').format(1_109_100));
      expect(formatNumberVi(13_994)).toBe('13.994');
      expect(formatNumberVi(999)).toBe('999');
      expect(formatNumberVi(0)).toBe('0');
      expect(formatNumberVi(-1234.5, 1)).toBe('-1.234,5');
      expect(formatNumberVi(1.26, 2)).toBe('1,26');
      expect(formatNumberVi(11_289.75)).toBe('11.290');
      expect(formatPercentVi(1.2617)).toBe('1,26%');
      expect(formatPercentVi(100)).toBe('100%');
      expect(formatDateVi('2021-06-18')).toBe('18/6/2021');
      expect(formatDateVi('2021-03-13')).toBe('13/3/2021');
      expect(() => formatDateVi('18/6/2021')).toThrow(RangeError);
    });

    it('shortenName() abbreviates the administrative prefix first, then cuts', () => {
      // Arrange
      const name = 'Huyen Van Lam';

      // Act
      const forms = [20, 10, 7].map((max) => shortenName(name, max));

      // Assert
      expect(forms).toEqual(['Huyen Van Lam', 'H.Van Lam', 'H.Van.']);
      expect(shortenName('Thi tran Nhu Quynh', 12)).toBe('TT.Nhu Quynh');
    });

    it('worstFirst() puts escalations and the worst levels first and resolved notices last', () => {
      // Arrange
      const resolved = aChange({
        kind: 'resolved',
        evaluation: anEvaluation({ unitId: '1', name: 'A', level: 'on_track' }),
      });
      const atRisk = aChange({ evaluation: anEvaluation({ unitId: '2', name: 'B', level: 'at_risk' }) });
      const critical = aChange({ evaluation: anEvaluation({ unitId: '3', name: 'C', level: 'critical' }) });
      const escalated = aChange({ kind: 'escalation', evaluation: anEvaluation({ unitId: '4', name: 'D' }) });

      // Act
      const order = worstFirst([resolved, atRisk, critical, escalated]).map((c) => c.evaluation.name);

      // Assert
      expect(order).toEqual(['D', 'C', 'B', 'A']);
    });
  });

  describe('renderNotification()', () => {
    it('renders the Hưng Yên critical alert: SMS without diacritics, e-mail with them, vi-VN numbers', () => {
      // Arrange
      const n = hungYenTurnsCritical({ critical: 3, at_risk: 2, on_track: 5 });

      // Act
      const { subject, sms, email } = renderNotification(n, optionsIn('vi'));

      // Assert
      expect(sms).toBe(
        'Thu nhan ho so CCCD 2021: Tinh Hung Yen: NGUY CAP 1,26%, can 11.290/ngay, thuc te 8.500/ngay. 3/10 huyen nguy cap, 2/10 nguy co cham.',
      );
      expect(isGsm7(sms)).toBe(true);
      expect(subject).toBe(
        'Thu nhan ho so CCCD 2021: Tinh Hung Yen - nguy cap 1,26%; 3/10 huyen nguy cap, 2/10 nguy co cham',
      );
      for (const text of [
        'Tỉnh Hưng Yên',
        'nguy cấp',
        '13.994 / chỉ tiêu 1.109.100 (1,26%)',
        'Còn lại: 1.095.106, còn 97 ngày',
        'Tốc độ cần đạt: 11.290/ngày',
        '8.500/ngày',
        'Dự kiến hoàn thành: 17/7/2021',
        'Số liệu lúc 22:30 ngày 13/3/2021',
        'Đơn vị trực thuộc (10 huyện): 3 nguy cấp, 2 nguy cơ chậm, 5 đúng tiến độ.',
      ]) {
        expect(email).toContain(text);
      }
    });

    it('renders the same alert in English, numbers still vi-VN', () => {
      // Arrange
      const n = hungYenTurnsCritical({ critical: 3 });

      // Act
      const { subject, sms, email } = renderNotification(n, optionsIn('en'));

      // Assert
      expect(sms).toBe(
        'Thu nhan ho so CCCD 2021: Tinh Hung Yen: CRITICAL 1,26%, need 11.290/day, actual 8.500/day. 3/10 districts critical.',
      );
      expect(subject).toBe(
        'Thu nhan ho so CCCD 2021: Tinh Hung Yen - critical 1,26%; 3/10 districts critical',
      );
      expect(email).toContain('ALERT, CRITICAL: Tỉnh Hưng Yên is critical (was at risk).');
      expect(email).toContain('Done: 13.994 of 1.109.100 (1,26%)');
      expect(email).toContain('Required rate: 11.290/day');
      expect(email).toContain('Projected completion: 17/7/2021');
    });

    it('groups 12 communes in one digest SMS with counts and the worst commune, even with very long names', () => {
      // Arrange
      const district = anEvaluation(VAN_LAM);
      const digest = (children: UnitChange[]) =>
        aNotification({
          scopeUnitId: '323',
          scope: district,
          children,
          childCount: 12,
          childLevelCounts: { critical: 12 },
          childUnitLevel: 'commune',
        });
      const short = digest(twelveCommunes());
      const long = digest(twelveCommunes((i) => `${LONG_NAME} ${i}`));

      // Act
      const rendered = [short, long].flatMap((n) =>
        (['vi', 'en'] as const).map((lang) => renderNotification(n, optionsIn(lang))),
      );

      // Assert
      const [shortVi, shortEn, longVi, longEn] = rendered.map((r) => r.sms);
      expect(shortVi).toBe(
        'Huyen Van Lam: 12/12 xa nguy cap. Xa Dinh Du: NGUY CAP 11,11%, can 95/ngay, thuc te 40/ngay. Gom: Xa Lac Hong, Thi tran Nhu Quynh, Xa Trung Trac +8',
      );
      expect(shortEn).toContain('12/12 communes critical');
      for (const sms of [shortVi, shortEn, longVi, longEn]) {
        expect(sms?.length).toBeLessThanOrEqual(160);
        expect(isGsm7(sms ?? '')).toBe(true);
        expect(sms).toMatch(/Huyen Van Lam|H\.Van Lam/);
      }
      expect(longVi).toContain('12/12 xa nguy cap');
      expect(longVi).toContain('can 95/ngay');
      expect(rendered[0]?.email).toContain('Cần chú ý nhất (5/12):');
      expect(rendered[0]?.email).toContain(
        '1. Xã Đình Dù: nguy cấp; 11,11% (1.000 / 9.000); cần 95/ngày, thực tế 40/ngày',
      );
      expect(rendered[0]?.email).toContain('... và 7 xã khác.');
      expect(rendered[1]?.email).toContain('... and 7 more communes.');
    });

    it('words resolved notices and escalations of their own', () => {
      // Arrange
      const district = anEvaluation({
        ...VAN_LAM,
        figures: {
          requiredDailyRate: 700,
          observedDailyRate: 760,
          paceRatio: 760 / 700,
          projectedCompletion: '2021-06-10',
        },
      });
      const resolved = aNotification({
        scopeUnitId: '323',
        scope: district,
        severity: 'resolved',
        own: aChange({
          evaluation: district,
          from: 'critical',
          to: 'on_track',
          kind: 'resolved',
          criticalSince: null,
        }),
        childCount: 12,
        childLevelCounts: { on_track: 12 },
        childUnitLevel: 'commune',
      });
      const stuck = anEvaluation({
        ...VAN_LAM,
        parentId: '33',
        level: 'critical',
      });
      const escalation = aNotification({
        scopeUnitId: '33',
        scope: { ...hungYen, level: 'at_risk' },
        escalations: [aChange({ evaluation: stuck, from: 'critical', kind: 'escalation' })],
        childCount: 10,
        childLevelCounts: { critical: 1, on_track: 9 },
        childUnitLevel: 'district',
      });

      // Act
      const [resolvedVi, resolvedEn, escalationVi, escalationEn] = [resolved, escalation].flatMap((n) =>
        (['vi', 'en'] as const).map((lang) => renderNotification(n, optionsIn(lang))),
      );

      // Assert
      expect(resolvedVi?.sms).toBe(
        'Thu nhan ho so CCCD 2021: Huyen Van Lam: HET CANH BAO, dung tien do 38,18%, can 700/ngay, thuc te 760/ngay.',
      );
      expect(resolvedVi?.email).toContain(
        'HẾT CẢNH BÁO: Huyện Văn Lâm đã trở lại mức "đúng tiến độ" (trước đó: nguy cấp).',
      );
      expect(resolvedEn?.sms).toBe(
        'Thu nhan ho so CCCD 2021: Huyen Van Lam: RESOLVED, on track 38,18%, need 700/day, actual 760/day.',
      );
      expect(escalationVi?.sms).toBe(
        'Thu nhan ho so CCCD 2021: Tinh Hung Yen: 1/10 huyen nguy cap. Huyen Van Lam: NGUY CAP 3 NGAY 38,18%, can 100/ngay, thuc te 50/ngay.',
      );
      expect(escalationVi?.email).toContain('Tỉnh Hưng Yên: 1 huyện nguy cấp liên tục từ 3 ngày trở lên.');
      expect(escalationVi?.email).toContain('Nguy cấp kéo dài, báo lên lãnh đạo Tỉnh Hưng Yên:');
      expect(escalationVi?.email).toContain('1. Huyện Văn Lâm: nguy cấp liên tục 3 ngày (từ 10/3/2021)');
      expect(escalationEn?.email).toContain('Tỉnh Hưng Yên: 1 district critical for 3 days or more.');
      expect(escalationEn?.sms).toContain('CRITICAL 3 DAYS');
    });

    it('keeps every SMS within 160 GSM-7 characters and every subject ASCII within 100, whatever the input', () => {
      fc.assert(
        fc.property(notificationOf(anyName), renderOptions, (n, options) => {
          // Act
          const { subject, sms, email } = renderNotification(n, options);

          // Assert
          expect(sms.length).toBeGreaterThan(0);
          expect(sms.length).toBeLessThanOrEqual(160);
          expect(isGsm7(sms)).toBe(true);
          expect(sms).not.toMatch(/[\n\r]/);
          expect(subject.length).toBeLessThanOrEqual(100);
          expect(subject).toMatch(SUBJECT_CHARS);
          expect(email.length).toBeGreaterThan(0);
        }),
        { numRuns: 400 },
      );
    });

    it('keeps every SMS with a brand prefix, sub-targets, summaries and a link within 160 GSM-7 characters', () => {
      const withGroups = fc
        .tuple(
          notificationOf(anyName),
          fc.array(changeOf(anyName, ['alert', 'repeat', 'resolved', 'summary']), { maxLength: 3 }),
          fc.constantFrom('official', 'student', 'x'),
        )
        .map(([n, groups, code]) => ({
          ...n,
          groups: groups.map((g) => ({ ...g, group: { code, deadline: '2021-04-30' } })),
        }));
      const brand = fc.constantFrom('UBND HY', 'CA-HUNGYEN', 'X', 'BCA.CCCD');
      const link = fc.constantFrom(
        'http://127.0.0.1:3000/c/cccd-2021-hung-yen/u/33',
        'https://d111111abcdef8.cloudfront.net/c/cccd-2021-hung-yen/u/12001',
        'https://dashboard.example.gov.vn/c/cccd-2021-national-lagging-run/u/VN-01.001.00001',
      );
      fc.assert(
        fc.property(withGroups, renderOptions, brand, link, (n, options, smsBrand, url) => {
          // Act
          const { sms, email } = renderNotification(n, { ...options, smsBrand, link: url, smsLinks: true });

          // Assert
          expect(sms.startsWith(`${smsBrand}: `)).toBe(true);
          expect(sms.length).toBeLessThanOrEqual(160);
          expect(isGsm7(sms)).toBe(true);
          expect(email).toContain(url);
        }),
        { numRuns: 300 },
      );
    });

    it('puts the link in a short SMS when smsLinks is on, and never when it is off', () => {
      // Arrange
      const n: Notification = {
        scopeUnitId: '33',
        scope: null,
        severity: 'critical',
        own: {
          // Hưng Yên, without a projected completion
          evaluation: { ...hungYen, figures: { ...hungYen.figures, projectedCompletion: null } },
          from: null,
          to: 'critical',
          kind: 'alert',
          criticalSince: null,
        },
        children: [],
        escalations: [],
        childCount: 10,
        childLevelCounts: { critical: 3, at_risk: 2, on_track: 5 },
        childUnitLevel: 'district',
      };
      const options = {
        lang: 'vi' as const,
        campaignName: 'CCCD 2021',
        timeZone: TZ,
        asOf: new Date('2021-03-13T15:30:00Z'),
      };
      const link = 'https://d111111abcdef8.cloudfront.net/c/cccd-2021-hung-yen/u/33';

      // Act
      const on = renderNotification(n, { ...options, smsBrand: 'UBND HY', link, smsLinks: true }).sms;
      const off = renderNotification(n, { ...options, smsBrand: 'UBND HY', link, smsLinks: false }).sms;

      // Assert
      expect(on).toMatch(
        /^UBND HY: .*NGUY CAP 1,26%.* https:\/\/d111111abcdef8\.cloudfront\.net\/c\/cccd-2021-hung-yen\/u\/33$/,
      );
      expect(on.length).toBeLessThanOrEqual(160);
      expect(off).not.toContain('https://');
      expect(off.startsWith('UBND HY: ')).toBe(true);
    });

    it('says in every SMS the unit, level, percent and counts; writes every e-mail number the vi-VN way', () => {
      fc.assert(
        fc.property(notificationOf(vietnameseName), renderOptions, (n, options) => {
          // Arrange
          const headline = n.own ?? worstFirst([...n.escalations, ...n.children])[0];

          // Act
          const { sms, email } = renderNotification(n, options);

          // Assert
          expect(sms.length).toBeLessThanOrEqual(160);
          expect(isGsm7(sms)).toBe(true);
          expect(sms).toContain(formatPercentVi(headline?.evaluation.percent ?? Number.NaN));
          if (n.childCount > 0 && (n.children.length > 0 || n.escalations.length > 0)) {
            expect(sms).toContain(`/${n.childCount} `);
          }
          expect(ungroupedNumbers(email, namesIn(n, options.campaignName))).toEqual([]);
          expect(email).toContain(formatNumberVi(headline?.evaluation.target ?? Number.NaN));
          if (options.lang === 'vi') {
            expect(email).toContain('Chiến dịch:');
            expect(stripDiacritics(email)).not.toBe(email);
          } else {
            expect(email).toContain('Campaign:');
          }
        }),
        { numRuns: 300 },
      );
    });
  });
});
