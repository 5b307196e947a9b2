import { describe, expect, it } from 'vitest';
import { campaignToCsv, parseCampaignText } from '../../../../shared/catalog/parse.js';
import { aCsvFile, located, scenario } from '../../../support/campaign-text.js';

describe('parseCampaignText(csv)', () => {
  it('reads an optional mergedInto column, and the reform file round-trips through CSV', async () => {
    // Arrange
    const after = parseCampaignText(await scenario('reform-2025/after.json'), 'json').file;
    if (!after) throw new Error('reform-2025/after.json must be valid');

    // Act
    const csv = campaignToCsv(after);
    const { file, problems } = parseCampaignText(csv, 'csv');

    // Assert
    expect(csv.split('\n').find((l) => l.startsWith('id,'))).toBe(
      'id,parentId,name,level,target,deadline,mergedInto',
    );
    expect(problems).toEqual([]);
    expect(file?.units.find((u) => u.id === '34')?.mergedInto).toBe('33');
    expect(file).toEqual(after);
  });

  it('reads the campaign lines, the header and the rows', () => {
    // Arrange
    const text = aCsvFile({
      campaign: [
        '# A comment that is not a campaign field',
        '# campaign.id: cccd-2021-hung-yen',
        '# campaign.name: Thu nhận hồ sơ CCCD 2021 — Hưng Yên: tỉnh',
        '# campaign.startDate: 2021-03-01',
        '# campaign.kinds: new, renewal',
        '# campaign.groups: official veterans',
        '# campaign.workingHours: 06:30 - 21:00',
        '# campaign.thresholds: atRisk=0.9 critical=0.7',
      ],
      header: 'id,name,parentId,level,target,deadline,target:official,deadline:official',
      rows: [
        '33,Tỉnh Hưng Yên,,province,1109100,2021-06-18,30000,2021-04-30',
        '323,"Huyện Văn Lâm, ""A""",33,district,90000,2021-06-18,,',
      ],
    });

    // Act
    const { file, problems } = parseCampaignText(text, 'csv');

    // Assert
    expect(problems).toEqual([]);
    expect(file).toEqual({
      campaign: {
        id: 'cccd-2021-hung-yen',
        name: 'Thu nhận hồ sơ CCCD 2021 — Hưng Yên: tỉnh',
        timeZone: 'Asia/Ho_Chi_Minh',
        startDate: '2021-03-01',
        kinds: ['new', 'renewal'],
        groups: ['official', 'veterans'],
        workingHours: { start: '06:30', end: '21:00' },
        thresholds: { atRisk: 0.9, critical: 0.7 },
        correctionWindowDays: 30,
      },
      units: [
        {
          id: '33',
          parentId: null,
          name: 'Tỉnh Hưng Yên',
          level: 'province',
          target: 1_109_100,
          deadline: '2021-06-18',
          subTargets: [{ group: 'official', target: 30_000, deadline: '2021-04-30' }],
        },
        {
          id: '323',
          parentId: '33',
          name: 'Huyện Văn Lâm, "A"',
          level: 'district',
          target: 90_000,
          deadline: '2021-06-18',
          subTargets: [],
        },
      ],
    });
  });

  it('puts each problem on the file line of its row, across comments, blank rows and multi-line cells', () => {
    // Arrange
    const text = aCsvFile({
      rows: [
        '33,,Tỉnh Hưng Yên,province,1109100,2021-06-18', // line 6
        '', // 7
        '# a comment row', // 8
        '323,33,"Huyện', // 9
        'Văn Lâm",district,90000,2021-06-30', // 10
        ',,,,,', // 11: an empty spreadsheet row
        '324,999,Huyện B,district,100,2021-06-18', // 12
      ],
    });

    // Act
    const { problems, unitCount } = parseCampaignText(text, 'csv');

    // Assert
    expect(unitCount).toBe(3);
    expect(located(problems)).toEqual([
      '9: error units[1].name: must not contain control characters (line breaks, tabs…)',
      '9: error units[1].deadline: deadline 2021-06-30 is after the deadline of its parent 33 (Tỉnh Hưng Yên), 2021-06-18',
      '12: error units[2].parentId: unknown parent "999"',
    ]);
  });

  it.each([
    [
      '1.109.100',
      'must be a plain whole number such as 1109100, without thousands separators (got "1.109.100")',
    ],
    [
      '1,109,100',
      'must be a plain whole number such as 1109100, without thousands separators (got "1,109,100")',
    ],
    [
      '1 109 100',
      'must be a plain whole number such as 1109100, without thousands separators (got "1 109 100")',
    ],
    ['many', 'must be a whole number (got "many")'],
    ['1.5', 'must be a whole number'],
    ['-5', 'must not be negative'],
    ['', 'is required'],
  ])('refuses the target cell %j once, with a clear message', (cell, message) => {
    // Arrange
    const text = aCsvFile({ rows: [`33,,Tỉnh Hưng Yên,province,"${cell}",2021-06-18`] });

    // Act
    const { file, problems } = parseCampaignText(text, 'csv');

    // Assert
    expect(file).toBeNull();
    expect(located(problems)).toEqual([`6: error units[0].target: ${message}`]);
  });

  it('reports problems in the campaign lines on their own lines', () => {
    // Arrange
    const text = aCsvFile({
      campaign: [
        '# campaign.id: cccd-2021-hung-yen', // 1
        '# campaign.name: Hưng Yên', // 2
        '# campaign.colour: red', // 3
        '# campaign.id: again', // 4
        '# campaign.workingHours: from seven', // 5
        '# campaign.thresholds: atRisk=high', // 6
        '# campaign.kinds', // 7
      ],
      rows: ['33,,Tỉnh Hưng Yên,province,1109100,2021-06-18', '# campaign.groups: official'],
    });

    // Act
    const { problems } = parseCampaignText(text, 'csv');

    // Assert
    expect(located(problems)).toEqual([
      '-: error campaign.startDate: is required: add a line "# campaign.startDate: …" before the header row',
      '3: error campaign.colour: is not a campaign field (expected one of: id, name, timeZone, startDate, kinds, groups, workingHours, thresholds, correctionWindowDays)',
      '4: error campaign.id: is given twice (first on line 1)',
      '5: error campaign.workingHours: must be written start-end, e.g. 07:00-22:00',
      '6: error campaign.thresholds: must be written atRisk=<number> critical=<number>, e.g. atRisk=1.0 critical=0.8 (got "atRisk=high")',
      '7: error campaign.kinds: write it as "# campaign.kinds: <value>"',
      '10: error campaign.groups: campaign fields must come before the header row',
    ]);
  });

  it('reads CRLF line ends and a byte-order mark, as spreadsheets save them', () => {
    // Arrange
    const text = `\uFEFF${aCsvFile({ rows: ['33,,Tỉnh Hưng Yên,province,1109100,2021-06-18', '323,999,B,district,1,2021-06-18'] }).replace(/\n/g, '\r\n')}`;

    // Act
    const { problems } = parseCampaignText(text, 'csv');

    // Assert
    expect(located(problems)).toEqual(['7: error units[1].parentId: unknown parent "999"']);
  });
});
