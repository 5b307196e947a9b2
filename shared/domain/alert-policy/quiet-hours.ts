/** Quiet hours: when an SMS decided at a given time may go out (e-mail is never held). */
import { addDays, localDate, localTime, zonedInstant } from '../calendar.js';
import type { AlertPolicyConfig } from './types.js';

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/**
 * When an SMS decided at `asOf` may go out: null to send now, else the end of the quiet period
 * (start inclusive, end exclusive; a period whose start is after its end crosses midnight).
 * Equal start and end mean no quiet hours. E-mail is never held.
 */
export function smsReleaseTime(
  asOf: Date,
  timeZone: string,
  quietHours: AlertPolicyConfig['quietHours'],
): Date | null {
  const start = minutesOf(quietHours.start);
  const end = minutesOf(quietHours.end);
  if (start === end) return null;
  const now = minutesOf(localTime(asOf, timeZone));
  const today = localDate(asOf, timeZone);
  if (start < end) return now >= start && now < end ? zonedInstant(today, quietHours.end, timeZone) : null;
  if (now >= start) return zonedInstant(addDays(today, 1), quietHours.end, timeZone);
  if (now < end) return zonedInstant(today, quietHours.end, timeZone);
  return null;
}
