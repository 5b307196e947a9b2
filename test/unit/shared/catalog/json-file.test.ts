import { describe, expect, it } from 'vitest';
import { parseCampaignText } from '../../../../shared/catalog/parse.js';
import { located, scenario } from '../../../support/campaign-text.js';

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
