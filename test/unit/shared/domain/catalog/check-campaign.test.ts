import { describe, expect, it } from 'vitest';
import { checkCampaign } from '../../../../../shared/domain/catalog.js';
import {
  aCampaignFileInput,
  aProvinceInput,
  aUnitInput,
  problemLines,
  refusalOf,
} from '../../../../support/campaign-input.js';

describe('checkCampaign()', () => {
  it('accepts a valid file and applies the defaults', () => {
    // Arrange
    const input = aCampaignFileInput();

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
    const input = aCampaignFileInput(
      [
        aProvinceInput({
          target: 1_000,
          subTargets: [{ group: 'official', target: 500, deadline: '2021-04-30' }],
        }),
        aUnitInput({ id: '323', target: 800, deadline: '2021-06-30' }), // deadline after the parent's
        aUnitInput({ id: '324', target: 700 }), // 800 + 700 > 1,000
        aUnitInput({ id: '325', parentId: '999' }), // unknown parent
        aUnitInput({ id: '323' }), // duplicate id
        aUnitInput({ id: '326', deadline: '2021-02-31' }), // not a date
        aUnitInput({ id: '327', target: -5 }), // negative
        aUnitInput({ id: '328', deadline: '2021-02-01' }), // before the campaign starts
        aUnitInput({ id: '40', parentId: '41' }), // cycle 40 → 41 → 40
        aUnitInput({ id: '41', parentId: '40' }),
        aUnitInput({ id: '50', parentId: null }), // second root
        aUnitInput({
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

    // Act / Assert: refused, with these problems
    expect(refusalOf(input)).toEqual([
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
    const input = aCampaignFileInput([
      aProvinceInput({ target: 100 }),
      aUnitInput({ id: '323', target: 150 }),
    ]);

    // Act
    const { file, problems } = checkCampaign(input);

    // Assert
    expect(problems.map((p) => p.severity)).toEqual(['warning']);
    expect(file?.units).toHaveLength(2);
  });

  describe('roots and parents', () => {
    it('reports a missing root once, on the unit list', () => {
      // Arrange
      const input = aCampaignFileInput([
        aUnitInput({ id: '1', parentId: '2' }),
        aUnitInput({ id: '2', parentId: '3' }),
        aUnitInput({ id: '3', parentId: '1' }),
      ]);

      // Act
      const { problems } = checkCampaign(input);

      // Assert
      expect(problemLines(problems)).toEqual([
        'error units: no root unit: exactly one unit must have "parentId": null',
        'error units[0].parentId: cycle: 1 → 2 → 3 → 1; these units never reach the root',
      ]);
    });

    it('does not claim a missing root when a unit has an invalid parentId (it may be the root)', () => {
      // Arrange
      const input = {
        ...aCampaignFileInput(),
        units: [{ ...aProvinceInput(), parentId: undefined }, aUnitInput({ id: '323' })],
      };

      // Act
      const { problems } = checkCampaign(input);

      // Assert
      expect(problemLines(problems)).toEqual(['error units[0].parentId: is required']);
    });

    it('reports each cycle once, however many units lead into it', () => {
      // Arrange: 60 → 61 → 62 → 61, and 70, 71 hang below the cycle.
      const input = aCampaignFileInput(
        [
          aProvinceInput(),
          aUnitInput({ id: '70', parentId: '60' }),
          aUnitInput({ id: '62', parentId: '61' }),
          aUnitInput({ id: '60', parentId: '61' }),
          aUnitInput({ id: '61', parentId: '62' }),
          aUnitInput({ id: '71', parentId: '62' }),
          aUnitInput({ id: '9', parentId: '9' }),
        ].map((u) => ({ ...u, target: 0 })), // no sums to warn about here
      );

      // Act
      const { problems } = checkCampaign(input);

      // Assert
      expect(problemLines(problems)).toEqual([
        'error units[2].parentId: cycle: 62 → 61 → 62; these units never reach the root',
        'error units[6].parentId: unit "9" is its own parent',
      ]);
    });
  });

  describe('schema problems', () => {
    it.each<[string, unknown, string[]]>([
      [
        'maps each zod issue to a path such as units[1].target',
        aCampaignFileInput(
          [aProvinceInput(), aUnitInput({ id: '323', target: 1.5, deadline: '18/6/2021' })],
          {
            startDate: '2021-3-1',
          },
        ),
        [
          'error campaign.startDate: must be a date written YYYY-MM-DD (got "2021-3-1")',
          'error units[1].target: must be a whole number',
          'error units[1].deadline: must be a date written YYYY-MM-DD (got "18/6/2021")',
        ],
      ],
      [
        'says "is required" for a missing field and names the type for a wrong one',
        {
          campaign: { id: 'cccd-2021-x', startDate: '2021-03-01' },
          units: [
            { id: '33', parentId: null, name: 'A', level: 'province', deadline: '2021-06-18', target: '100' },
          ],
        },
        ['error campaign.name: is required', 'error units[0].target: must be a number'],
      ],
      [
        'still compares working hours and thresholds when another field fails',
        aCampaignFileInput(undefined, {
          id: 'X',
          workingHours: { start: '22:00', end: '07:00' },
          thresholds: { atRisk: 0.5, critical: 0.9 },
        }),
        [
          'error campaign.id: must be 3 to 64 characters: lowercase letters, digits and "-"',
          'error campaign.workingHours.end: start must be before end',
          'error campaign.thresholds.critical: critical must not be above atRisk',
        ],
      ],
      [
        'gives one message for a bad time range, not a second "start must be before end"',
        aCampaignFileInput(undefined, { workingHours: { start: '7h', end: '22:00' } }),
        ['error campaign.workingHours.start: must be a time written HH:MM (00:00 to 24:00)'],
      ],
    ])('%s', (_title, input, expected) => {
      // Act
      const { problems } = checkCampaign(input);

      // Assert
      expect(problemLines(problems)).toEqual(expected);
    });

    it('refuses unknown fields, naming the ones expected there', () => {
      // Arrange
      const input = { ...aCampaignFileInput(), units: [{ ...aProvinceInput(), subtargets: [] }] };

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
      expect(problemLines(problems)).toEqual(['error : must be an object, not text "not a campaign"']);
    });

    it('reports an empty unit list', () => {
      // Act
      const { problems } = checkCampaign(aCampaignFileInput([]));

      // Assert
      expect(problems).toHaveLength(1);
      expect(problems[0]?.path).toBe('units');
    });
  });
});
