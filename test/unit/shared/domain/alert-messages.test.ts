import { describe, expect, it } from 'vitest';
import type { Language } from '../../../../shared/alerts/publisher.js';
import { isGsm7, type RenderOptions, renderNotification } from '../../../../shared/domain/alert-messages.js';
import type { Notification, UnitChange, UnitEvaluation } from '../../../../shared/domain/alert-policy.js';
import { aChange, anEvaluation, hungYen, TZ } from '../../../support/alert-notifications.js';

const CAMPAIGN = 'Thu nhận hồ sơ CCCD 2021';
/** 13/3/2021 22:30 local: the brief's Hưng Yên evaluation. */
const AS_OF = new Date('2021-03-13T15:30:00Z');

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
    expect(subject).toBe('Thu nhan ho so CCCD 2021: Tinh Hung Yen - critical 1,26%; 3/10 districts critical');
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
});
