import { describe, expect, it } from 'vitest';
import {
  type CatalogProblem,
  checkCampaign,
  checkCatalog,
  formatCount,
  formatPath,
  parsePath,
} from '../../../../shared/domain/catalog.js';
import {
  CampaignFile,
  type CampaignFileInput,
  type CampaignInput,
  type UnitInput,
} from '../../../../shared/schemas/campaign.js';

// ---------------------------------------------------------------------------
// Builders

function aUnit(overrides: Partial<UnitInput> & Pick<UnitInput, 'id'>): UnitInput {
  return {
    parentId: '33',
    name: `Unit ${overrides.id}`,
    level: 'district',
    target: 100,
    deadline: '2021-06-18',
    ...overrides,
  };
}

function aProvince(overrides: Partial<UnitInput> = {}): UnitInput {
  return aUnit({
    id: '33',
    parentId: null,
    name: 'Tỉnh Hưng Yên',
    level: 'province',
    target: 1_109_100,
    ...overrides,
  });
}

function aCampaignFile(
  units: UnitInput[] = [aProvince(), aUnit({ id: '323' })],
  campaign: Partial<CampaignInput> = {},
): CampaignFileInput {
  return {
    campaign: {
      id: 'cccd-2021-hung-yen',
      name: 'Thu nhận hồ sơ CCCD 2021 — Hưng Yên',
      startDate: '2021-03-01',
      groups: ['official'],
      ...campaign,
    },
    units,
  };
}

/** The problems as "path: message" lines, the way an administrator reads them. */
function lines(problems: readonly CatalogProblem[]): string[] {
  return problems.map((p) => `${p.severity} ${p.path}: ${p.message}`);
}

// ---------------------------------------------------------------------------

describe('catalog', () => {
  describe('checkCampaign()', () => {
    it('accepts a valid file and applies the defaults', () => {
      // Arrange
      const input = aCampaignFile();

      // Act
      const { file, problems } = checkCampaign(input);

      // Assert
      expect(problems).toEqual([]);
      expect(file?.campaign.timeZone).toBe('Asia/Ho_Chi_Minh');
      expect(file?.campaign.kinds).toEqual(['new', 'renewal']);
      expect(file?.campaign.workingHours).toEqual({ start: '07:00', end: '22:00' });
      expect(file?.campaign.thresholds).toEqual({ atRisk: 1, critical: 0.8 });
      expect(file?.units[1]?.subTargets).toEqual([]);
    });

    it('reports every problem of a file at once, schema and cross-unit alike', () => {
      // Arrange: one of each kind, in one file.
      const input = aCampaignFile(
        [
          aProvince({
            target: 1_000,
            subTargets: [{ group: 'official', target: 500, deadline: '2021-04-30' }],
          }),
          aUnit({ id: '323', target: 800, deadline: '2021-06-30' }), // deadline after the parent's
          aUnit({ id: '324', target: 700 }), // 800 + 700 > 1,000
          aUnit({ id: '325', parentId: '999' }), // unknown parent
          aUnit({ id: '323' }), // duplicate id
          aUnit({ id: '326', deadline: '2021-02-31' }), // not a date
          aUnit({ id: '327', target: -5 }), // negative
          aUnit({ id: '328', deadline: '2021-02-01' }), // before the campaign starts
          aUnit({ id: '40', parentId: '41' }), // cycle 40 → 41 → 40
          aUnit({ id: '41', parentId: '40' }),
          aUnit({ id: '50', parentId: null }), // second root
          aUnit({
            id: '329',
            subTargets: [
              { group: 'veterans', target: 10, deadline: '2021-04-30' }, // unknown group
              { group: 'official', target: 200, deadline: '2021-05-30' }, // above the unit, after the parent's group deadline
              { group: 'official', target: 10, deadline: '2021-07-01' }, // duplicate group, after the unit's deadline
            ],
          }),
        ],
        { startDate: '2021-03-01' },
      );

      // Act
      const { file, problems } = checkCampaign(input);

      // Assert
      expect(file).toBeNull();
      expect(lines(problems)).toEqual([
        'warning units[0].target: children of 33 (Tỉnh Hưng Yên) sum to 1,800, above its target 1,000',
        'error units[1].deadline: deadline 2021-06-30 is after the deadline of its parent 33 (Tỉnh Hưng Yên), 2021-06-18',
        'error units[3].parentId: unknown parent "999"',
        'error units[4].id: duplicate unit id "323": already used by units[1]',
        'error units[5].deadline: 2021-02-31 is not a real calendar date',
        'error units[6].target: must not be negative',
        "error units[7].deadline: deadline 2021-02-01 is before the campaign's startDate 2021-03-01",
        'error units[8].parentId: cycle: 40 → 41 → 40; these units never reach the root',
        'error units[10].parentId: second root: only one unit may have "parentId": null, and 33 (Tỉnh Hưng Yên) at units[0] already does',
        'error units[11].subTargets[0].group: group "veterans" is not one of the campaign\'s groups (official)',
        "error units[11].subTargets[1].target: target 200 is above the unit's own target 100",
        'error units[11].subTargets[1].deadline: deadline 2021-05-30 is after the "official" deadline of its parent 33 (Tỉnh Hưng Yên), 2021-04-30',
        'error units[11].subTargets[2].group: group "official" already has a sub-target in this unit (subTargets[1])',
        "error units[11].subTargets[2].deadline: deadline 2021-07-01 is after the unit's own deadline 2021-06-18",
      ]);
    });

    it('returns the file when there are only warnings', () => {
      // Arrange
      const input = aCampaignFile([aProvince({ target: 100 }), aUnit({ id: '323', target: 150 })]);

      // Act
      const { file, problems } = checkCampaign(input);

      // Assert
      expect(problems.map((p) => p.severity)).toEqual(['warning']);
      expect(file?.units).toHaveLength(2);
    });

    describe('schema problems', () => {
      it('maps each zod issue to a path such as units[1].target', () => {
        // Arrange
        const input = aCampaignFile([aProvince(), aUnit({ id: '323', target: 1.5, deadline: '18/6/2021' })], {
          startDate: '2021-3-1',
        });

        // Act
        const { problems } = checkCampaign(input);

        // Assert
        expect(lines(problems)).toEqual([
          'error campaign.startDate: must be a date written YYYY-MM-DD (got "2021-3-1")',
          'error units[1].target: must be a whole number',
          'error units[1].deadline: must be a date written YYYY-MM-DD (got "18/6/2021")',
        ]);
      });

      it('says "is required" for a missing field and names the type for a wrong one', () => {
        // Arrange
        const input = {
          campaign: { id: 'cccd-2021-x', startDate: '2021-03-01' },
          units: [
            { id: '33', parentId: null, name: 'A', level: 'province', deadline: '2021-06-18', target: '100' },
          ],
        };

        // Act
        const { problems } = checkCampaign(input);

        // Assert
        expect(lines(problems)).toEqual([
          'error campaign.name: is required',
          'error units[0].target: must be a number',
        ]);
      });

      it('refuses unknown fields, naming the ones expected there', () => {
        // Arrange
        const input = { ...aCampaignFile(), units: [{ ...aProvince(), subtargets: [] }] };

        // Act
        const { problems } = checkCampaign(input);

        // Assert
        expect(problems).toEqual([
          {
            severity: 'error',
            path: 'units[0].subtargets',
            message:
              'is not a known field (expected one of: id, parentId, name, level, target, deadline, subTargets, mergedInto)',
          },
        ]);
      });

      it('reports a whole-file problem with an empty path', () => {
        // Act
        const { file, problems } = checkCampaign('not a campaign');

        // Assert
        expect(file).toBeNull();
        expect(lines(problems)).toEqual(['error : must be an object, not text "not a campaign"']);
      });

      it('reports an empty unit list', () => {
        // Act
        const { problems } = checkCampaign(aCampaignFile([]));

        // Assert
        expect(problems).toHaveLength(1);
        expect(problems[0]?.path).toBe('units');
      });

      it('still compares working hours and thresholds when another field fails', () => {
        // Arrange
        const input = aCampaignFile(undefined, {
          id: 'X',
          workingHours: { start: '22:00', end: '07:00' },
          thresholds: { atRisk: 0.5, critical: 0.9 },
        });

        // Act
        const { problems } = checkCampaign(input);

        // Assert
        expect(lines(problems)).toEqual([
          'error campaign.id: must be 3 to 64 characters: lowercase letters, digits and "-"',
          'error campaign.workingHours.end: start must be before end',
          'error campaign.thresholds.critical: critical must not be above atRisk',
        ]);
      });

      it('gives one message for a bad time range, not a second "start must be before end"', () => {
        // Arrange
        const input = aCampaignFile(undefined, { workingHours: { start: '7h', end: '22:00' } });

        // Act
        const { problems } = checkCampaign(input);

        // Assert
        expect(lines(problems)).toEqual([
          'error campaign.workingHours.start: must be a time written HH:MM (00:00 to 24:00)',
        ]);
      });
    });

    describe('roots and parents', () => {
      it('reports a missing root once, on the unit list', () => {
        // Arrange
        const input = aCampaignFile([
          aUnit({ id: '1', parentId: '2' }),
          aUnit({ id: '2', parentId: '3' }),
          aUnit({ id: '3', parentId: '1' }),
        ]);

        // Act
        const { problems } = checkCampaign(input);

        // Assert
        expect(lines(problems)).toEqual([
          'error units: no root unit: exactly one unit must have "parentId": null',
          'error units[0].parentId: cycle: 1 → 2 → 3 → 1; these units never reach the root',
        ]);
      });

      it('does not claim a missing root when a unit has an invalid parentId (it may be the root)', () => {
        // Arrange
        const input = {
          ...aCampaignFile(),
          units: [{ ...aProvince(), parentId: undefined }, aUnit({ id: '323' })],
        };

        // Act
        const { problems } = checkCampaign(input);

        // Assert
        expect(lines(problems)).toEqual(['error units[0].parentId: is required']);
      });

      it('reports each cycle once, however many units lead into it', () => {
        // Arrange: 60 → 61 → 62 → 61, and 70, 71 hang below the cycle.
        const input = aCampaignFile(
          [
            aProvince(),
            aUnit({ id: '70', parentId: '60' }),
            aUnit({ id: '62', parentId: '61' }),
            aUnit({ id: '60', parentId: '61' }),
            aUnit({ id: '61', parentId: '62' }),
            aUnit({ id: '71', parentId: '62' }),
            aUnit({ id: '9', parentId: '9' }),
          ].map((u) => ({ ...u, target: 0 })), // no sums to warn about here
        );

        // Act
        const { problems } = checkCampaign(input);

        // Assert
        expect(lines(problems)).toEqual([
          'error units[2].parentId: cycle: 62 → 61 → 62; these units never reach the root',
          'error units[6].parentId: unit "9" is its own parent',
        ]);
      });
    });

    describe('targets', () => {
      it('allows children summing below the parent (intake can be recorded at the parent itself)', () => {
        // Arrange
        const input = aCampaignFile([
          aProvince({ target: 1_000 }),
          aUnit({ id: '1', target: 400 }),
          aUnit({ id: '2', target: 600 }),
        ]);

        // Act
        const { problems } = checkCampaign(input);

        // Assert
        expect(problems).toEqual([]);
      });

      it('warns, with grouped numbers, when children sum above the parent', () => {
        // Arrange
        const input = aCampaignFile([
          aProvince(),
          aUnit({ id: '1', target: 600_000 }),
          aUnit({ id: '2', target: 600_000 }),
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
        const input = aCampaignFile([
          aProvince({ subTargets: official(30_000) }),
          aUnit({ id: '1', target: 50_000, subTargets: official(20_000) }),
          aUnit({ id: '2', target: 50_000, subTargets: official(15_000) }),
        ]);

        // Act
        const { problems } = checkCampaign(input);

        // Assert
        expect(lines(problems)).toEqual([
          'warning units[0].subTargets[0].target: children of 33 (Tỉnh Hưng Yên) sum to 35,000 for group "official", above its sub-target 30,000',
        ]);
      });

      it('refuses a sub-target group when the campaign lists no groups', () => {
        // Arrange
        const input = aCampaignFile(
          [aProvince({ subTargets: [{ group: 'official', target: 1, deadline: '2021-04-30' }] })],
          { groups: [] },
        );

        // Act
        const { problems } = checkCampaign(input);

        // Assert
        expect(lines(problems)).toEqual([
          'error units[0].subTargets[0].group: group "official" is not one of the campaign\'s groups (the campaign lists no groups)',
        ]);
      });

      it('refuses a sub-target due before the campaign starts', () => {
        // Arrange
        const input = aCampaignFile([
          aProvince({ subTargets: [{ group: 'official', target: 1, deadline: '2021-01-31' }] }),
        ]);

        // Act
        const { problems } = checkCampaign(input);

        // Assert
        expect(lines(problems)).toEqual([
          "error units[0].subTargets[0].deadline: deadline 2021-01-31 is before the campaign's startDate 2021-03-01",
        ]);
      });
    });
  });

  describe('checkCatalog()', () => {
    it('runs the cross-unit rules on an already parsed file', () => {
      // Arrange
      const file = CampaignFile.parse(aCampaignFile([aProvince(), aUnit({ id: '1', parentId: '2' })]));

      // Act
      const problems = checkCatalog(file);

      // Assert
      expect(lines(problems)).toEqual(['error units[1].parentId: unknown parent "2"']);
    });
  });

  describe('mergedInto (reorganisation)', () => {
    it('accepts a district merged into its province once its communes moved there, and a chain', () => {
      // Arrange: 323 removed (merged into 33), 12001 moved to 33; 324 merged into 323 (a chain to 33).
      const input = aCampaignFile([
        aProvince(),
        aUnit({ id: '323', mergedInto: '33' }),
        aUnit({ id: '324', mergedInto: '323' }),
        aUnit({ id: '12001', parentId: '33', level: 'commune' }),
      ]);

      // Act
      const { file, problems } = checkCampaign(input);

      // Assert
      expect(lines(problems)).toEqual([]);
      expect(file?.units[1]?.mergedInto).toBe('33');
    });

    it('refuses an unknown successor, itself, a cycle, the root, and a merged unit that keeps children', () => {
      const input = aCampaignFile([
        aProvince({ mergedInto: '323' }),
        aUnit({ id: '323', mergedInto: '999' }),
        aUnit({ id: '324', mergedInto: '324' }),
        aUnit({ id: '325', mergedInto: '326' }),
        aUnit({ id: '326', mergedInto: '325' }),
        aUnit({ id: '327', mergedInto: '33' }),
        aUnit({ id: '12001', parentId: '327', level: 'commune' }),
      ]);

      const { file, problems } = checkCampaign(input);

      expect(file).toBeNull();
      expect(lines(problems)).toEqual([
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
});
