import { describe, expect, it } from 'vitest';
import { DEFAULT_ALERT_POLICY, smsReleaseTime } from '../../../../../shared/domain/alert-policy.js';
import { zonedInstant } from '../../../../../shared/domain/calendar.js';
import { localInstant, pad, TZ } from '../../../../../test/support/alert-policy-world.js';

describe('alert policy', () => {
  describe('smsReleaseTime()', () => {
    const quiet = DEFAULT_ALERT_POLICY.quietHours;

    it.each([
      ['21:29', 1, null],
      ['21:30', 1, [2, '06:30']],
      ['23:00', 1, [2, '06:30']],
      ['02:00', 2, [2, '06:30']],
      ['06:30', 2, null],
      ['06:31', 2, null],
    ] as const)('at %s local on day %i of April holds SMS until %j', (time, day, release) => {
      // Arrange
      const [hh, mm] = time.split(':').map(Number);
      const asOf = localInstant(day, hh ?? 0, mm ?? 0);

      // Act
      const released = smsReleaseTime(asOf, TZ, quiet);

      // Assert
      expect(released).toEqual(
        release === null ? null : zonedInstant(`2021-04-${pad(release[0])}`, release[1], TZ),
      );
    });

    it('handles a quiet period within one day, and no quiet period when start equals end', () => {
      // Arrange
      const lunch = { start: '12:00', end: '13:30' };
      const none = { start: '00:00', end: '00:00' };

      // Act
      const atNoon = smsReleaseTime(localInstant(3, 12, 15), TZ, lunch);
      const after = smsReleaseTime(localInstant(3, 13, 30), TZ, lunch);
      const never = smsReleaseTime(localInstant(3, 23), TZ, none);

      // Assert
      expect(atNoon).toEqual(zonedInstant('2021-04-03', '13:30', TZ));
      expect(after).toBeNull();
      expect(never).toBeNull();
    });
  });
});
