import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  campaignToCsv,
  formatFromFileName,
  formatProblem,
  parseCampaignText,
} from '../../../../shared/catalog/parse.js';
import type { CatalogProblem } from '../../../../shared/domain/catalog.js';
import { generateNational } from '../../../../shared/domain/generate.js';
import { CampaignFile } from '../../../../shared/schemas/campaign.js';

const scenario = (name: string) =>
  readFile(new URL(`../../../../scenarios/${name}`, import.meta.url), 'utf8');

/** "line: severity path: message", the parts a test cares about. */
function located(problems: readonly CatalogProblem[]): string[] {
  return problems.map((p) => `${p.line ?? '-'}: ${p.severity} ${p.path}: ${p.message}`);
}

/** A CSV campaign file: the campaign lines, then the given header and rows. */
function aCsvFile({
  campaign = [
    '# campaign.id: cccd-2021-hung-yen',
    '# campaign.name: Hưng Yên',
    '# campaign.startDate: 2021-03-01',
    '# campaign.groups: official',
  ],
  header = 'id,parentId,name,level,target,deadline',
  rows = ['33,,Tỉnh Hưng Yên,province,1109100,2021-06-18', '323,33,Huyện Văn Lâm,district,90000,2021-06-18'],
}: {
  campaign?: string[];
  header?: string;
  rows?: string[];
} = {}): string {
  return `${[...campaign, header, ...rows].join('\n')}\n`;
}

describe('campaign file parsing', () => {
  describe('parseCampaignText(json)', () => {
    it('parses a valid file', async () => {
      // Arrange
      const text = await scenario('hung-yen-2021.json');

      // Act
      const { file, problems, unitCount } = parseCampaignText(text, 'json');

      // Assert
      expect(problems).toEqual([]);
      expect(file?.campaign.id).toBe('cccd-2021-hung-yen');
      expect(unitCount).toBe(file?.units.length);
    });

    it('puts each problem on the line of the offending value, or of the object missing a property', () => {
      // Arrange
      const text = [
        '{', // 1
        '  "campaign": {', // 2
        '    "id": "cccd-2021-hung-yen",', // 3
        '    "name": "Hưng Yên",', // 4
        '    "startDate": "2021-3-1"', // 5
        '  },', // 6
        '  "units": [', // 7
        '    { "id": "33", "parentId": null, "name": "Tỉnh", "level": "province", "target": 9, "deadline": "2021-06-18" },', // 8
        '    {', // 9
        '      "id": "323",', // 10
        '      "parentId": "999",', // 11
        '      "name": "Huyện Văn Lâm",', // 12
        '      "level": "district",', // 13
        '      "deadline": "2021-06-18"', // 14
        '    }', // 15
        '  ]', // 16
        '}', // 17
      ].join('\n');

      // Act
      const { file, problems, unitCount } = parseCampaignText(text, 'json');

      // Assert
      expect(file).toBeNull();
      expect(unitCount).toBe(2);
      expect(located(problems)).toEqual([
        '5: error campaign.startDate: must be a date written YYYY-MM-DD (got "2021-3-1")',
        '9: error units[1].target: is required',
        '11: error units[1].parentId: unknown parent "999"',
      ]);
    });

    it('counts lines the same in a CRLF file with a byte-order mark', () => {
      // Arrange
      const text = `\uFEFF{\r\n  "campaign": {},\r\n  "units": []\r\n}\r\n`;

      // Act
      const { problems } = parseCampaignText(text, 'json');

      // Assert
      expect(located(problems)).toEqual([
        '2: error campaign.id: is required',
        '2: error campaign.name: is required',
        '2: error campaign.startDate: is required',
        '3: error units: must list at least one unit',
      ]);
    });

    it.each([
      [
        'a trailing comma',
        '{\n  "campaign": {},\n  "units": [],\n}',
        '4: error : invalid JSON: expected a property name',
      ],
      [
        'a comment',
        '{\n  // units\n  "units": []\n}',
        '2: error : invalid JSON: comments are not allowed in JSON',
      ],
      [
        'a missing comma',
        '{\n  "campaign": {}\n  "units": []\n}',
        '3: error : invalid JSON: expected "," between values',
      ],
      ['an empty file', '', '1: error : invalid JSON: expected a value'],
      [
        'an unterminated string',
        '{\n  "campaign": {\n    "id": "x\n  }\n}',
        '3: error : invalid JSON: unterminated string',
      ],
    ])('refuses invalid JSON (%s) with its line', (_case, text, expected) => {
      // Act
      const { file, problems } = parseCampaignText(text, 'json');

      // Assert
      expect(file).toBeNull();
      expect(located(problems)[0]).toContain(expected);
    });

    it('refuses a key given twice in one object (JSON.parse would silently keep the last)', () => {
      // Arrange
      const text = [
        '{',
        '  "campaign": { "id": "cccd-2021-x", "name": "X", "startDate": "2021-03-01" },',
        '  "units": [',
        '    { "id": "1", "parentId": null, "name": "A", "level": "p", "target": 5,',
        '      "target": 50, "deadline": "2021-06-18" }',
        '  ]',
        '}',
      ].join('\n');

      // Act
      const { file, problems } = parseCampaignText(text, 'json');

      // Assert
      expect(file).toBeNull();
      expect(located(problems)).toEqual([
        '5: error units[0].target: key "target" appears twice in this object (also on line 4); remove one',
      ]);
    });
  });

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

    it('reports schema problems of a campaign field on its line', () => {
      // Arrange
      const text = aCsvFile({
        campaign: [
          '# campaign.id: Not An Id',
          '# campaign.name: Hưng Yên',
          '# campaign.startDate: 2021-03-01',
          '# campaign.thresholds: atRisk=1.0',
        ],
      });

      // Act
      const { problems } = parseCampaignText(text, 'csv');

      // Assert
      expect(located(problems)).toEqual([
        '1: error campaign.id: must be 3 to 64 characters: lowercase letters, digits and "-"',
        '4: error campaign.thresholds.critical: is required',
      ]);
    });

    it.each([
      [
        'a missing column',
        'id,parentId,name,level,target',
        'missing column "deadline" (the header needs id,parentId,name,level,target,deadline)',
      ],
      ['a repeated column', 'id,id,parentId,name,level,target,deadline', 'column "id" appears twice'],
      [
        'a lone group column',
        'id,parentId,name,level,target,deadline,target:official',
        'column "target:official" needs its partner "deadline:official"',
      ],
    ])('stops at the header when it has %s', (_case, header, message) => {
      // Arrange
      const text = aCsvFile({ header });

      // Act
      const { file, problems } = parseCampaignText(text, 'csv');

      // Assert
      expect(file).toBeNull();
      expect(located(problems)).toEqual([`5: error header: ${message}`]);
    });

    it('refuses an unknown column but still checks the rows', () => {
      // Arrange
      const text = aCsvFile({
        header: 'id,parentId,name,level,target,deadline,note',
        rows: [
          '33,,Tỉnh Hưng Yên,province,1109100,2021-06-18,x',
          '323,999,Huyện Văn Lâm,district,90000,2021-06-18,y',
        ],
      });

      // Act
      const { problems } = parseCampaignText(text, 'csv');

      // Assert
      expect(located(problems)).toEqual([
        '5: error header: unknown column "note" (expected id, parentId, name, level, target, deadline, or target:<group> and deadline:<group>)',
        '7: error units[1].parentId: unknown parent "999"',
      ]);
    });

    it('reports a row with the wrong number of cells', () => {
      // Arrange
      const text = aCsvFile({
        rows: ['33,,Tỉnh Hưng Yên,province,1109100,2021-06-18', '323,33,Huyện Văn Lâm'],
      });

      // Act
      const { problems } = parseCampaignText(text, 'csv');

      // Assert
      expect(located(problems)).toEqual(['7: error units[1]: row has 3 cells, the header has 6']);
    });

    it('still checks the cells of a row with too many cells', () => {
      // Arrange
      const text = aCsvFile({ rows: ['33,,Tỉnh Hưng Yên,province,-5,2021-06-18,extra'] });

      // Act
      const { problems } = parseCampaignText(text, 'csv');

      // Assert
      expect(located(problems)).toEqual([
        '6: error units[0]: row has 7 cells, the header has 6',
        '6: error units[0].target: must not be negative',
      ]);
    });

    it('needs both cells of a sub-target', () => {
      // Arrange
      const text = aCsvFile({
        header: 'id,parentId,name,level,target,deadline,target:official,deadline:official',
        rows: ['33,,Tỉnh Hưng Yên,province,1109100,2021-06-18,30000,'],
      });

      // Act
      const { problems } = parseCampaignText(text, 'csv');

      // Assert
      expect(located(problems)).toEqual(['6: error units[0].subTargets[0].deadline: is required']);
    });

    it('reports a file with no header row', () => {
      // Act
      const { file, problems } = parseCampaignText('# campaign.id: x\n\n', 'csv');

      // Assert
      expect(file).toBeNull();
      expect(located(problems)).toContain(
        '-: error : no header row: expected "id,parentId,name,level,target,deadline" after the # campaign lines',
      );
    });

    it('reports malformed CSV quoting with its line', () => {
      // Arrange
      const text = aCsvFile({ rows: ['33,,"Tỉnh" Hưng Yên,province,1109100,2021-06-18'] });

      // Act
      const { file, problems } = parseCampaignText(text, 'csv');

      // Assert
      expect(file).toBeNull();
      expect(problems[0]?.line).toBe(6);
      expect(problems[0]?.message).toMatch(/^invalid CSV: /);
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

  describe('CSV and JSON forms', () => {
    it('give the same Hưng Yên campaign', async () => {
      // Arrange
      const [json, csv] = await Promise.all([scenario('hung-yen-2021.json'), scenario('hung-yen-2021.csv')]);

      // Act
      const fromJson = parseCampaignText(json, 'json');
      const fromCsv = parseCampaignText(csv, 'csv');

      // Assert
      expect(fromCsv.problems).toEqual([]);
      expect(fromJson.problems).toEqual([]);
      expect(fromCsv.file).toEqual(fromJson.file);
    });

    it('round-trip through campaignToCsv, national scale included', () => {
      // Arrange
      const file = CampaignFile.parse(generateNational({ seed: 5 }));

      // Act
      const back = parseCampaignText(campaignToCsv(file), 'csv');

      // Assert
      expect(back.problems).toEqual([]);
      expect(back.file).toEqual(file);
    });

    it('round-trip names that need quoting', () => {
      // Arrange
      const file = CampaignFile.parse({
        campaign: { id: 'cccd-2021-x', name: 'X', startDate: '2021-03-01', groups: [] },
        units: [
          { id: '1', parentId: null, name: '#1, "the" root', level: 'p', target: 5, deadline: '2021-06-18' },
          { id: '2', parentId: '1', name: ' =SUM(A1) ', level: 'd', target: 5, deadline: '2021-06-18' },
        ],
      });

      // Act
      const back = parseCampaignText(campaignToCsv(file), 'csv');

      // Assert
      expect(back.problems).toEqual([]);
      expect(back.file).toEqual(file);
    });
  });

  describe('formatFromFileName()', () => {
    it.each([
      ['scenarios/hung-yen-2021.json', 'json'],
      ['UNITS.CSV', 'csv'],
    ] as const)('%s → %s', (name, format) => {
      // Act / Assert
      expect(formatFromFileName(name)).toBe(format);
    });

    it('refuses other file names, naming the file', () => {
      // Act / Assert
      expect(() => formatFromFileName('units.xlsx')).toThrow(/"units.xlsx".*\.json or \.csv/);
    });
  });

  describe('formatProblem()', () => {
    it('writes file:line: severity: path: message', () => {
      // Arrange
      const p: CatalogProblem = {
        severity: 'error',
        path: 'units[12].parentId',
        line: 14,
        message: 'unknown parent "999"',
      };

      // Act / Assert
      expect(formatProblem('units.csv', p)).toBe(
        'units.csv:14: error: units[12].parentId: unknown parent "999"',
      );
    });

    it('leaves out the line and the path when there are none', () => {
      // Arrange
      const p: CatalogProblem = { severity: 'warning', path: '', message: 'something' };

      // Act / Assert
      expect(formatProblem('units.csv', p)).toBe('units.csv: warning: something');
    });
  });
});
