import { parse as parseCsv } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../../../shared/alerts/publisher.js';
import { isGsm7 } from '../../../../shared/domain/alert-messages.js';
import type { ChildLine, ReportNote, UnitReport } from '../../../../shared/domain/report.js';
import { renderReportEmail, reportToCsv } from '../../../../shared/domain/report-render.js';
import { RISK_LEVELS } from '../../../../shared/domain/risk.js';
import { aReport } from '../../../support/builders.js';

const SUBJECT_CHARS = /^[\x20-\x7e]+$/;

// ---------------------------------------------------------------------------------------------
// Builders
// ---------------------------------------------------------------------------------------------

function aChild(overrides: Partial<ChildLine> & Pick<ChildLine, 'unitId' | 'name'>): ChildLine {
  return { received: 7_000, total: 20_000, target: 160_000, percent: 12.5, level: 'on_track', ...overrides };
}

/** Hưng Yên's districts in week 14 (5/4..11/4/2021); the figures are made up but consistent. */
const DISTRICTS: ChildLine[] = [
  aChild({ unitId: '323', name: 'Huyện Văn Lâm', total: 31_000, percent: 19.38, level: 'on_track' }),
  aChild({ unitId: '324', name: 'Huyện Văn Giang', total: 12_500, percent: 7.81, level: 'critical' }),
  aChild({ unitId: '325', name: 'Huyện Yên Mỹ', total: 28_000, percent: 17.5, level: 'on_track' }),
  aChild({ unitId: '326', name: 'Thị xã Mỹ Hào', total: 26_000, percent: 16.25, level: 'at_risk' }),
  aChild({ unitId: '327', name: 'Huyện Ân Thi', total: 15_000, percent: 9.38, level: 'critical' }),
  aChild({ unitId: '328', name: 'Huyện Khoái Châu, "cũ"', total: 22_000, percent: 13.75, level: 'at_risk' }),
  aChild({
    unitId: '329',
    name: '=HYPERLINK("x")',
    total: 1_109_100,
    target: 1_109_100,
    percent: 100,
    level: 'done',
  }),
];

/** Hưng Yên's week 14 report with its districts, a sub-target and both kinds of note. */
function aWeek14Report(overrides: Partial<UnitReport> = {}): UnitReport {
  return aReport({
    subTargets: [
      {
        group: 'official',
        target: 50_000,
        deadline: '2021-04-30',
        total: 31_250,
        percent: 62.5,
        level: 'on_track',
      },
    ],
    children: DISTRICTS,
    best: ['329', '323', '325', '326', '328'],
    worst: ['324', '327', '328', '326', '325'],
    notes: [
      { kind: 'targets_above_parent', childrenSum: 1_200_000, target: 1_109_100 },
      { kind: 'no_intake', unitId: '327', name: 'Huyện Ân Thi', days: 4, lastDay: '2021-04-07' },
    ],
    ...overrides,
  });
}

// ---------------------------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------------------------

describe('reportToCsv()', () => {
  const csv = reportToCsv(aWeek14Report(), 'vi');

  it('starts with a UTF-8 BOM, then the header row', () => {
    expect(
      csv.startsWith('\uFEFFMã đơn vị,Tên đơn vị,Thu nhận trong kỳ,Lũy kế,Chỉ tiêu,Tỷ lệ (%),Mức độ\r\n'),
    ).toBe(true);
    expect(
      reportToCsv(aWeek14Report(), 'en').startsWith(
        '\uFEFFUnit ID,Name,Received in period,Total,Target,Percent,Level\r\n',
      ),
    ).toBe(true);
  });

  it('ends every row with CRLF, never a bare LF', () => {
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('has one row per child, in unit order, with plain digits and a dot-decimal percent', () => {
    const rows = csv.slice(1).split('\r\n').slice(1, -1);
    expect(rows).toHaveLength(DISTRICTS.length);
    expect(rows[0]).toBe('323,Huyện Văn Lâm,7000,31000,160000,19.38,đúng tiến độ');
    expect(rows[1]).toBe('324,Huyện Văn Giang,7000,12500,160000,7.81,nguy cấp');
    expect(rows[2]).toBe('325,Huyện Yên Mỹ,7000,28000,160000,17.50,đúng tiến độ');
  });

  it('quotes names with commas and quotes (RFC 4180), and disarms a formula', () => {
    const rows = csv.split('\r\n');
    expect(rows[6]).toBe('328,"Huyện Khoái Châu, ""cũ""",7000,22000,160000,13.75,nguy cơ chậm');
    expect(rows[7]).toBe(`329,"'=HYPERLINK(""x"")",7000,1109100,1109100,100.00,đã đạt chỉ tiêu`);
  });

  it('parses back (csv-parse, BOM aware) into the header and one record per child', () => {
    const records: string[][] = parseCsv(reportToCsv(aWeek14Report(), 'en'), { bom: true });
    expect(records[0]).toEqual([
      'Unit ID',
      'Name',
      'Received in period',
      'Total',
      'Target',
      'Percent',
      'Level',
    ]);
    expect(records.slice(1).map((r) => r[1])).toEqual([
      'Huyện Văn Lâm',
      'Huyện Văn Giang',
      'Huyện Yên Mỹ',
      'Thị xã Mỹ Hào',
      'Huyện Ân Thi',
      'Huyện Khoái Châu, "cũ"',
      `'=HYPERLINK("x")`,
    ]);
    expect(records[5]).toEqual(['327', 'Huyện Ân Thi', '7000', '15000', '160000', '9.38', 'critical']);
  });

  it('is just the BOM and the header for a unit without children', () => {
    expect(reportToCsv(aWeek14Report({ children: [], best: [], worst: [] }), 'en')).toBe(
      '\uFEFFUnit ID,Name,Received in period,Total,Target,Percent,Level\r\n',
    );
  });
});

// ---------------------------------------------------------------------------------------------
// E-mail, subject, SMS
// ---------------------------------------------------------------------------------------------

describe('renderReportEmail()', () => {
  describe('in Vietnamese', () => {
    const text = renderReportEmail(aWeek14Report(), 'vi');

    it('gives the headline figures with diacritics, vi-VN numbers and dates', () => {
      expect(text.email).toContain('Báo cáo tuần 14/2021 (5/4/2021 – 11/4/2021): Tỉnh Hưng Yên');
      expect(text.email).toContain('Kết quả: 158.500 / chỉ tiêu 1.109.100 hồ sơ (14,29%), hạn 18/6/2021.');
      expect(text.email).toContain('- Thu nhận trong kỳ: 63.500 hồ sơ, bình quân 9.071/ngày.');
      expect(text.email).toContain('- Đầu kỳ: 95.000 (8,57%), mức "nguy cấp".');
      expect(text.email).toContain('- Cuối kỳ: 158.500 (14,29%), mức "nguy cơ chậm" (chuyển từ "nguy cấp").');
      expect(text.email).toContain('- Còn lại 950.600 hồ sơ; tốc độ cần đạt từ 12/4/2021: 13.763/ngày.');
      expect(text.email).toContain(
        '- cán bộ, đảng viên: 31.250 / 50.000 (62,5%), hạn 30/4/2021, mức "đúng tiến độ".',
      );
    });

    it('names the best and worst children', () => {
      expect(text.email).toContain('Đơn vị trực thuộc (7):');
      expect(text.email).toContain(
        '- Cao nhất: 1. =HYPERLINK("x") 100% (đã đạt chỉ tiêu); 2. Huyện Văn Lâm 19,38% (đúng tiến độ);',
      );
      expect(text.email).toContain(
        '- Thấp nhất: 1. Huyện Văn Giang 7,81% (nguy cấp); 2. Huyện Ân Thi 9,38% (nguy cấp);',
      );
    });

    it('gives the notes', () => {
      expect(text.email).toContain(
        '- Tổng chỉ tiêu giao cho các đơn vị trực thuộc (1.200.000) cao hơn chỉ tiêu của Tỉnh Hưng Yên (1.109.100)',
      );
      expect(text.email).toContain(
        '- Huyện Ân Thi: không thu nhận hồ sơ nào trong 4 ngày liền (lần cuối ngày 7/4/2021).',
      );
    });

    it('has an ASCII subject and a GSM-7 SMS', () => {
      expect(text.subject).toBe('Bao cao tuan 14/2021 (5/4-11/4/2021) - Tinh Hung Yen: 14,29%, nguy co cham');
      // The bare facts, then extras while they fit: here the notes' count and the range do not.
      expect(text.sms).toBe(
        'Bao cao tuan 14/2021: Tinh Hung Yen 14,29%, tuan +63.500, can 13.763/ngay. ' +
          'NGUY CO CHAM (truoc: nguy cap). Thap nhat: Huyen Van Giang 7,81%; Huyen An Thi 9,38%.',
      );
      expect(text.sms.length).toBeLessThanOrEqual(160);
      expect(isGsm7(text.sms)).toBe(true);
    });
  });

  describe('in English', () => {
    const text = renderReportEmail(aWeek14Report(), 'en');

    it('uses English words with the same vi-VN numbers and dates', () => {
      expect(text.email).toContain('Week 14/2021 report (5/4/2021 – 11/4/2021): Tỉnh Hưng Yên');
      expect(text.email).toContain(
        'Result: 158.500 of a target of 1.109.100 applications (14,29%), deadline 18/6/2021.',
      );
      expect(text.email).toContain('- At the end: 158.500 (14,29%), "at risk" (was "critical").');
      expect(text.email).toContain('- Lowest: 1. Huyện Văn Giang 7,81% (critical);');
      expect(text.email).toContain('- Huyện Ân Thi: no intake for 4 days in a row (last on 7/4/2021).');
      expect(text.subject).toBe('Week 14/2021 report (5/4-11/4/2021) - Tinh Hung Yen: 14,29%, at risk');
      expect(text.sms).toContain('AT RISK (was: critical)');
    });
  });

  it('ranks 5 children or fewer once, and says when nothing changed', () => {
    const few = aWeek14Report({
      children: DISTRICTS.slice(0, 2),
      best: ['323', '324'],
      worst: ['324', '323'],
      atStart: { total: 95_000, percent: 8.57, level: 'at_risk' },
      levelChanged: false,
      notes: [],
    });
    const text = renderReportEmail(few, 'vi');
    expect(text.email).toContain(
      '- Xếp hạng (cao nhất trước): 1. Huyện Văn Lâm 19,38% (đúng tiến độ); 2. Huyện Văn Giang 7,81% (nguy cấp).',
    );
    expect(text.email).not.toContain('Thấp nhất');
    expect(text.email).toContain('mức "nguy cơ chậm" (không đổi)');
    expect(text.email).not.toContain('Lưu ý');
  });

  it('words the final report, after the deadline', () => {
    const final = aWeek14Report({
      reportId: '33:final',
      period: { kind: 'final', id: 'final', from: '2021-03-01', to: '2021-06-18' },
      atStart: { total: 0, percent: 0, level: 'no_data' },
      atEnd: { total: 1_100_000, percent: 99.18, level: 'missed' },
      received: 1_100_000,
      requiredDailyRate: null,
    });
    const text = renderReportEmail(final, 'vi');
    expect(text.email).toContain('Báo cáo tổng kết (1/3/2021 – 18/6/2021): Tỉnh Hưng Yên');
    expect(text.email).toContain('- Đã hết hạn, còn thiếu 9.100 hồ sơ.');
    expect(text.subject).toBe('Bao cao tong ket (1/3-18/6/2021) - Tinh Hung Yen: 99,18%, qua han chua dat');
    expect(text.sms.startsWith('Bao cao tong ket')).toBe(true);
  });

  describe('whatever the names and figures', () => {
    const SYLLABLES = [
      'Huyện',
      'Xã',
      'Phường',
      'Thị trấn',
      'Nguyễn',
      'Đường',
      'Khoái',
      'Châu',
      'Ân',
      'Thi',
      'Mỹ',
      'Hào',
      'Yên',
      'Tiên',
      'Lữ',
      'Phù',
      'Cừ',
      'Văn',
      'Giang',
      'Lâm',
      'Động',
      'Thượng',
      'Hưng',
      'Quỳnh',
      'Ngọc',
    ];
    const vietnameseName = fc.oneof(
      fc.array(fc.constantFrom(...SYLLABLES), { minLength: 1, maxLength: 40 }).map((w) => w.join(' ')),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 120 }),
    );
    const level = fc.constantFrom(...RISK_LEVELS);
    const count = fc.integer({ min: 0, max: 1_000_000_000 });
    const percent = fc.integer({ min: 0, max: 1_000_000 }).map((n) => n / 100);
    const child = fc.record({
      unitId: fc.stringMatching(/^[A-Za-z0-9]{1,64}$/),
      name: vietnameseName,
      received: count,
      total: count,
      target: count,
      percent,
      level,
    });
    const report = fc
      .record({
        name: vietnameseName,
        children: fc.array(child, { maxLength: 12 }),
        atStart: fc.record({ total: count, percent, level }),
        atEnd: fc.record({ total: count, percent, level }),
        target: count,
        received: count,
        requiredDailyRate: fc.option(fc.double({ min: 0, max: 1e9, noNaN: true })),
        silent: fc.nat({ max: 12 }),
        final: fc.boolean(),
      })
      .map(({ name, children, silent, final, ...figures }): UnitReport => {
        const ids = children.map((c) => c.unitId);
        const notes: ReportNote[] = children.slice(0, silent).map((c) => ({
          kind: 'no_intake',
          unitId: c.unitId,
          name: c.name,
          days: 3,
          lastDay: null,
        }));
        return aWeek14Report({
          ...figures,
          unit: { id: '33', name, level: 'province', parentId: null },
          ...(final && { period: { kind: 'final', id: 'final', from: '2021-03-01', to: '2021-06-18' } }),
          levelChanged: figures.atStart.level !== figures.atEnd.level,
          children,
          best: ids.slice(0, 5),
          worst: ids.slice(-5).reverse(),
          notes,
        });
      });

    it('keeps the SMS within 160 GSM-7 characters and the subject within 100 ASCII ones', () => {
      fc.assert(
        fc.property(report, fc.constantFrom(...LANGUAGES), (r, lang) => {
          const text = renderReportEmail(r, lang);
          expect(text.sms.length).toBeLessThanOrEqual(160);
          expect(isGsm7(text.sms)).toBe(true);
          expect(text.subject.length).toBeLessThanOrEqual(100);
          expect(text.subject).toMatch(SUBJECT_CHARS);
        }),
        { numRuns: 300 },
      );
    });

    it('always tells the unit, its percent and its level in the SMS when the name fits shortened', () => {
      fc.assert(
        fc.property(report, (r) => {
          const sms = renderReportEmail(r, 'en').sms;
          expect(sms).toMatch(/^(Week \d+\/2021|Final) report/);
          expect(sms.toUpperCase()).toContain(
            {
              done: 'TARGET REACHED',
              on_track: 'ON TRACK',
              at_risk: 'AT RISK',
              critical: 'CRITICAL',
              missed: 'DEADLINE MISSED',
              no_data: 'NO DATA YET',
            }[r.atEnd.level],
          );
        }),
        { numRuns: 200 },
      );
    });
  });
});
