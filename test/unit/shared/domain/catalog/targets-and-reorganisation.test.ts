import { describe, expect, it } from 'vitest';
import {
  checkCampaign,
  checkCatalog,
  formatCount,
  formatPath,
  parsePath,
} from '../../../../../shared/domain/catalog.js';
import { CampaignFile } from '../../../../../shared/schemas/campaign.js';
import {
  aCampaignFileInput,
  aProvinceInput,
  aUnitInput,
  problemLines,
  refusalOf,
} from '../../../../support/campaign-input.js';

describe('checkCampaign()', () => {
  describe('targets', () => {
    it('allows children summing below the parent (intake can be recorded at the parent itself)', () => {
      // Arrange
      const input = aCampaignFileInput([
        aProvinceInput({ target: 1_000 }),
        aUnitInput({ id: '1', target: 400 }),
        aUnitInput({ id: '2', target: 600 }),
      ]);

      // Act
      const { problems } = checkCampaign(input);

      // Assert
      expect(problems).toEqual([]);
    });

    it('warns, with grouped numbers, when children sum above the parent', () => {
      // Arrange
      const input = aCampaignFileInput([
        aProvinceInput(),
        aUnitInput({ id: '1', target: 600_000 }),
        aUnitInput({ id: '2', target: 600_000 }),
      ]);

      // Act
      const { problems } = checkCampaign(input);

      // Assert
      expect(problems).toEqual([
        {
          severity: 'warning',
          path: 'units[0].target',
          message: 'children of 33 (Tỉnh Hưng Yên) sum to 1,200,000, above its target 1,109,100',
        },
      ]);
    });

    it('warns when children sum above the parent for a group', () => {
      // Arrange
      const official = (target: number) => [{ group: 'official', target, deadline: '2021-04-30' }];
      const input = aCampaignFileInput([
        aProvinceInput({ subTargets: official(30_000) }),
        aUnitInput({ id: '1', target: 50_000, subTargets: official(20_000) }),
        aUnitInput({ id: '2', target: 50_000, subTargets: official(15_000) }),
      ]);

      // Act
      const { problems } = checkCampaign(input);

      // Assert
      expect(problemLines(problems)).toEqual([
        'warning units[0].subTargets[0].target: children of 33 (Tỉnh Hưng Yên) sum to 35,000 for group "official", above its sub-target 30,000',
      ]);
    });

    it('refuses a sub-target group when the campaign lists no groups', () => {
      // Arrange
      const input = aCampaignFileInput(
        [aProvinceInput({ subTargets: [{ group: 'official', target: 1, deadline: '2021-04-30' }] })],
        { groups: [] },
      );

      // Act
      const { problems } = checkCampaign(input);

      // Assert
      expect(problemLines(problems)).toEqual([
        'error units[0].subTargets[0].group: group "official" is not one of the campaign\'s groups (the campaign lists no groups)',
      ]);
    });

    it('refuses a sub-target due before the campaign starts', () => {
      // Arrange
      const input = aCampaignFileInput([
        aProvinceInput({ subTargets: [{ group: 'official', target: 1, deadline: '2021-01-31' }] }),
      ]);

      // Act
      const { problems } = checkCampaign(input);

      // Assert
      expect(problemLines(problems)).toEqual([
        "error units[0].subTargets[0].deadline: deadline 2021-01-31 is before the campaign's startDate 2021-03-01",
      ]);
    });
  });
});

describe('checkCatalog()', () => {
  it('runs the cross-unit rules on an already parsed file', () => {
    // Arrange
    const file = CampaignFile.parse(
      aCampaignFileInput([aProvinceInput(), aUnitInput({ id: '1', parentId: '2' })]),
    );

    // Act
    const problems = checkCatalog(file);

    // Assert
    expect(problemLines(problems)).toEqual(['error units[1].parentId: unknown parent "2"']);
  });
});

describe('mergedInto (reorganisation)', () => {
  it('accepts a district merged into its province once its communes moved there, and a chain', () => {
    // Arrange: 323 removed (merged into 33), 12001 moved to 33; 324 merged into 323 (a chain to 33).
    const input = aCampaignFileInput([
      aProvinceInput(),
      aUnitInput({ id: '323', mergedInto: '33' }),
      aUnitInput({ id: '324', mergedInto: '323' }),
      aUnitInput({ id: '12001', parentId: '33', level: 'commune' }),
    ]);

    // Act
    const { file, problems } = checkCampaign(input);

    // Assert
    expect(problemLines(problems)).toEqual([]);
    expect(file?.units[1]?.mergedInto).toBe('33');
  });

  it('refuses an unknown successor, itself, a cycle, the root, and a merged unit that keeps children', () => {
    const input = aCampaignFileInput([
      aProvinceInput({ mergedInto: '323' }),
      aUnitInput({ id: '323', mergedInto: '999' }),
      aUnitInput({ id: '324', mergedInto: '324' }),
      aUnitInput({ id: '325', mergedInto: '326' }),
      aUnitInput({ id: '326', mergedInto: '325' }),
      aUnitInput({ id: '327', mergedInto: '33' }),
      aUnitInput({ id: '12001', parentId: '327', level: 'commune' }),
    ]);

    expect(refusalOf(input)).toEqual([
      'error units[0].mergedInto: the root 33 (Tỉnh Hưng Yên) cannot be merged',
      'error units[1].mergedInto: unknown successor "999"',
      'error units[2].mergedInto: 324 (Unit 324) cannot be merged into itself',
      'error units[3].mergedInto: the chain of mergedInto from 325 (Unit 325) is a cycle',
      'error units[4].mergedInto: the chain of mergedInto from 326 (Unit 326) is a cycle',
      'error units[5].mergedInto: 327 (Unit 327) is merged but still has 1 child unit(s) (12001); ' +
        'move them first: give each a parentId that is not merged (e.g. the successor)',
    ]);
  });
});

describe('paths', () => {
  it.each([
    [['units', 3, 'parentId'], 'units[3].parentId'],
    [['campaign', 'startDate'], 'campaign.startDate'],
    [['units', 0, 'subTargets', 1, 'group'], 'units[0].subTargets[1].group'],
    [['units', 2, 'odd key'], 'units[2]["odd key"]'],
    [[], ''],
  ] as const)('%j ⇄ %s', (segments, path) => {
    // Act / Assert
    expect(formatPath(segments)).toBe(path);
    expect(parsePath(path)).toEqual(segments);
  });
});

describe('formatCount()', () => {
  it.each([
    [0, '0'],
    [999, '999'],
    [1_000, '1,000'],
    [1_109_100, '1,109,100'],
  ])('%d → %s', (n, text) => {
    // Act / Assert
    expect(formatCount(n)).toBe(text);
  });
});
