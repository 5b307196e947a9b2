import { describe, expect, it } from 'vitest';
import { COMMUNE_LEADERS, messagesToOneCommuneLeader, sms } from '../../../../bench/sections/sms.js';
import { DEFAULT_ALERT_POLICY } from '../../../../shared/domain/alert-policy.js';

/** Days (1-based) on which a leader hears of a level first told on `first`, with these gaps. */
function schedule(first: number, gaps: readonly number[], lastDay: number): number[] {
  const days = [first];
  for (let i = 0; ; i++) {
    const next = (days.at(-1) ?? first) + (gaps[Math.min(i, gaps.length - 1)] ?? 1);
    if (next > lastDay) return days;
    days.push(next);
  }
}

describe('bench sms: messagesToOneCommuneLeader()', () => {
  it('counts the alert and the backed-off repeats of a commune critical from day 2, against daily repeats', () => {
    // Act
    const backoff = messagesToOneCommuneLeader(DEFAULT_ALERT_POLICY, 90);
    const daily = messagesToOneCommuneLeader({ ...DEFAULT_ALERT_POLICY, repeatBackoffDays: [1] }, 90);

    // Assert: alerted on day 2 (the second critical evaluation), then 1, 2, 4, 7, 7… days later
    expect(backoff).toBe(schedule(2, [1, 2, 4, 7], 90).length);
    expect(daily).toBe(schedule(2, [1], 90).length);
    expect(backoff).toBeLessThan(daily / 5);
  });

  it('runs as a bench section: three rows with stable ids, back-off against daily repeats', async () => {
    // Act
    const result = await sms.run({ quick: true, seed: 1, measured: {}, log: () => {} });

    // Assert
    expect(result.rows.map((r) => [r.id, r.unit])).toEqual([
      ['sms.perLeader', 'SMS'],
      ['sms.national', 'SMS'],
      ['sms.national.usd', 'USD'],
    ]);
    const [perLeader, national] = result.rows;
    expect(national?.value).toBe((perLeader?.value ?? 0) * COMMUNE_LEADERS);
    expect(result.rows.every((r) => r.ratio !== null && r.ratio < 0.2)).toBe(true);
  });
});
