import { describe, expect, it } from 'vitest';
import { checkCampaign } from '../../../../../shared/domain/catalog.js';
import {
  aCampaignFileInput,
  aProvinceInput,
  aUnitInput,
  problemLines,
} from '../../../../support/campaign-input.js';

describe('checkCampaign()', () => {
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
