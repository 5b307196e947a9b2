import { describe, expect, it } from 'vitest';
import { parseCampaignText } from '../../../../shared/catalog/parse.js';
import { aCsvFile, located } from '../../../support/campaign-text.js';

describe('parseCampaignText(csv)', () => {
  it.each<[string, Parameters<typeof aCsvFile>[0], string[]]>([
    [
      'reports schema problems of a campaign field on its line',
      {
        campaign: [
          '# campaign.id: Not An Id',
          '# campaign.name: Hưng Yên',
          '# campaign.startDate: 2021-03-01',
          '# campaign.thresholds: atRisk=1.0',
        ],
      },
      [
        '1: error campaign.id: must be 3 to 64 characters: lowercase letters, digits and "-"',
        '4: error campaign.thresholds.critical: is required',
      ],
    ],
    [
      'refuses an unknown column but still checks the rows',
      {
        header: 'id,parentId,name,level,target,deadline,note',
        rows: [
          '33,,Tỉnh Hưng Yên,province,1109100,2021-06-18,x',
          '323,999,Huyện Văn Lâm,district,90000,2021-06-18,y',
        ],
      },
      [
        '5: error header: unknown column "note" (expected id, parentId, name, level, target, deadline, or target:<group> and deadline:<group>)',
        '7: error units[1].parentId: unknown parent "999"',
      ],
    ],
    [
      'reports a row with the wrong number of cells',
      { rows: ['33,,Tỉnh Hưng Yên,province,1109100,2021-06-18', '323,33,Huyện Văn Lâm'] },
      ['7: error units[1]: row has 3 cells, the header has 6'],
    ],
    [
      'still checks the cells of a row with too many cells',
      { rows: ['33,,Tỉnh Hưng Yên,province,-5,2021-06-18,extra'] },
      [
        '6: error units[0]: row has 7 cells, the header has 6',
        '6: error units[0].target: must not be negative',
      ],
    ],
    [
      'needs both cells of a sub-target',
      {
        header: 'id,parentId,name,level,target,deadline,target:official,deadline:official',
        rows: ['33,,Tỉnh Hưng Yên,province,1109100,2021-06-18,30000,'],
      },
      ['6: error units[0].subTargets[0].deadline: is required'],
    ],
  ])('%s', (_title, file, expected) => {
    // Arrange
    const text = aCsvFile(file);

    // Act
    const { problems } = parseCampaignText(text, 'csv');

    // Assert
    expect(located(problems)).toEqual(expected);
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
});
