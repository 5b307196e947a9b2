/** Times as the CLIs print them for an administrator (infra/local/cli/local-time.ts). */
import { describe, expect, it } from 'vitest';
import { localDateTime } from '../../../../../infra/local/cli/local-time.js';

describe('localDateTime', () => {
  it.each([
    ['2021-03-20T00:00:00.000Z', 'Asia/Ho_Chi_Minh', '2021-03-20 07:00 (+07:00)'],
    ['2021-03-19T18:30:00.000Z', 'Asia/Ho_Chi_Minh', '2021-03-20 01:30 (+07:00)'],
    ['2021-03-20T00:00:00.000Z', 'UTC', '2021-03-20 00:00 (+00:00)'],
    ['2021-03-20T00:00:00.000Z', 'Asia/Kolkata', '2021-03-20 05:30 (+05:30)'],
    // Daylight saving: the offset is the zone's at that instant.
    ['2021-01-15T12:00:00.000Z', 'America/New_York', '2021-01-15 07:00 (-05:00)'],
    ['2021-07-15T12:00:00.000Z', 'America/New_York', '2021-07-15 08:00 (-04:00)'],
    // Offsets of minutes, both signs (shared/domain/calendar.ts offsetText).
    ['2021-03-20T00:00:00.000Z', 'Asia/Kathmandu', '2021-03-20 05:45 (+05:45)'],
    ['2021-01-15T12:00:00.000Z', 'America/St_Johns', '2021-01-15 08:30 (-03:30)'],
    ['2021-07-15T12:00:00.000Z', 'America/St_Johns', '2021-07-15 09:30 (-02:30)'],
  ])('%s in %s is %s', (instant, timeZone, expected) => {
    expect(localDateTime(instant, timeZone)).toBe(expected);
  });

  it('takes a Date as well', () => {
    expect(localDateTime(new Date('2021-03-20T00:00:00Z'), 'Asia/Ho_Chi_Minh')).toBe(
      '2021-03-20 07:00 (+07:00)',
    );
  });

  it('leaves a text that is no instant as it is', () => {
    expect(localDateTime('soon', 'Asia/Ho_Chi_Minh')).toBe('soon');
  });
});
