import { describe, expect, it } from 'vitest';
import {
  escalationFallsDue,
  REPEAT_TOLERANCE_MS,
  repeatFallsDue,
  repeatGapDays,
} from '../../../../../shared/domain/alert-policy/timing.js';
import { DEFAULT_ALERT_POLICY } from '../../../../../shared/domain/alert-policy.js';

const DAY_MS = 86_400_000;
const told = '2021-04-05T03:00:00.000Z';
const later = (ms: number) => new Date(Date.parse(told) + ms);

describe('alert policy timing', () => {
  describe('repeatGapDays()', () => {
    it('walks the back-off and holds its last value', () => {
      // Act
      const gaps = [0, 1, 2, 3, 4, 9].map((n) => repeatGapDays(DEFAULT_ALERT_POLICY, n));

      // Assert
      expect(gaps).toEqual([1, 2, 4, 7, 7, 7]);
    });
  });

  describe('repeatFallsDue()', () => {
    it('falls due within the tolerance before the gap, not earlier', () => {
      // Arrange: after two repeats the gap is 4 days
      const gap = 4 * DAY_MS;

      // Act
      const early = repeatFallsDue(later(gap - REPEAT_TOLERANCE_MS - 1), told, 2, DEFAULT_ALERT_POLICY);
      const justInTolerance = repeatFallsDue(later(gap - REPEAT_TOLERANCE_MS), told, 2, DEFAULT_ALERT_POLICY);

      // Assert
      expect(early).toBe(false);
      expect(justInTolerance).toBe(true);
    });
  });

  describe('escalationFallsDue()', () => {
    it('falls due exactly escalateAfterDays after the critical spell began, without tolerance', () => {
      // Act
      const before = escalationFallsDue(later(3 * DAY_MS - 1), told, DEFAULT_ALERT_POLICY);
      const at = escalationFallsDue(later(3 * DAY_MS), told, DEFAULT_ALERT_POLICY);

      // Assert
      expect(before).toBe(false);
      expect(at).toBe(true);
    });
  });
});
