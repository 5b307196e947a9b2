import { describe, expect, it } from 'vitest';
import { acknowledgedUnits, silencedAt } from '../../../../../shared/domain/alert-policy/mutes.js';
import {
  anAcknowledgement,
  aSilence,
  C1,
  C2,
  DISTRICT,
  hierarchy,
  OTHER_DISTRICT,
} from '../../../../support/alert-policy-world.js';

const asOf = new Date('2021-04-10T05:00:00.000Z');

describe('alert policy mutes', () => {
  describe('silencedAt()', () => {
    it('mutes a silenced unit and its subtree while asOf is before until, nothing else', () => {
      // Arrange
      const silences = [
        aSilence({ unitId: DISTRICT, until: '2021-04-11T00:00:00.000Z' }),
        aSilence({ unitId: OTHER_DISTRICT, until: asOf.toISOString() }),
      ];

      // Act
      const isSilenced = silencedAt(silences, asOf, hierarchy);

      // Assert
      expect([DISTRICT, C1, C2].map(isSilenced)).toEqual([true, true, true]);
      expect(isSilenced(OTHER_DISTRICT)).toBe(false);
      expect(isSilenced('33')).toBe(false);
    });
  });

  describe('acknowledgedUnits()', () => {
    it('keeps the latest acknowledgement made by asOf, not ended and not withdrawn', () => {
      // Arrange
      const acks = [
        anAcknowledgement({ unitId: C1, createdAt: '2021-04-09T00:00:00.000Z' }),
        anAcknowledgement({ unitId: C1, id: 'later', createdAt: '2021-04-10T01:00:00.000Z' }),
        anAcknowledgement({ unitId: C2, createdAt: '2021-04-10T06:00:00.000Z' }),
        anAcknowledgement({ unitId: DISTRICT, deletedAt: '2021-04-10T04:00:00.000Z', deletedBy: 'leader' }),
        anAcknowledgement({ unitId: OTHER_DISTRICT, until: asOf.toISOString() }),
      ];

      // Act
      const held = acknowledgedUnits(acks, asOf);

      // Assert
      expect([...held]).toEqual([[C1, Date.parse('2021-04-10T01:00:00.000Z')]]);
    });
  });
});
