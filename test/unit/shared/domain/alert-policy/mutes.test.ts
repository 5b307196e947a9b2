import { describe, expect, it } from 'vitest';
import { acknowledgedUnits, silencedAt } from '../../../../../shared/domain/alert-policy/mutes.js';
import type { Acknowledgement, Silence } from '../../../../../shared/domain/alert-policy.js';
import { C1, C2, DISTRICT, hierarchy, OTHER_DISTRICT } from '../../../../support/alert-policy-world.js';

const asOf = new Date('2021-04-10T05:00:00.000Z');
const aSilenceOn = (unitId: string, until: string): Silence => ({
  id: `s-${unitId}`,
  campaignId: 'cccd-2021',
  unitId,
  until,
  reason: 'mất điện',
  createdBy: 'admin',
});
const anAckOn = (unitId: string, overrides: Partial<Acknowledgement> = {}): Acknowledgement => ({
  id: `a-${unitId}`,
  campaignId: 'cccd-2021',
  unitId,
  createdAt: '2021-04-09T00:00:00.000Z',
  createdBy: 'leader',
  until: '2021-04-20T00:00:00.000Z',
  ...overrides,
});

describe('alert policy mutes', () => {
  describe('silencedAt()', () => {
    it('mutes a silenced unit and its subtree while asOf is before until, nothing else', () => {
      // Arrange
      const silences = [
        aSilenceOn(DISTRICT, '2021-04-11T00:00:00.000Z'),
        aSilenceOn(OTHER_DISTRICT, asOf.toISOString()),
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
        anAckOn(C1),
        anAckOn(C1, { id: 'later', createdAt: '2021-04-10T01:00:00.000Z' }),
        anAckOn(C2, { createdAt: '2021-04-10T06:00:00.000Z' }),
        anAckOn(DISTRICT, { deletedAt: '2021-04-10T04:00:00.000Z', deletedBy: 'leader' }),
        anAckOn(OTHER_DISTRICT, { until: asOf.toISOString() }),
      ];

      // Act
      const held = acknowledgedUnits(acks, asOf);

      // Assert
      expect([...held]).toEqual([[C1, Date.parse('2021-04-10T01:00:00.000Z')]]);
    });
  });
});
