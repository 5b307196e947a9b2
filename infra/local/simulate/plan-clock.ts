/** The plan's times of day: working hours as weighted sessions, and local wall-clock instants. */
import { offsetText, zonedInstant } from '../../../shared/domain/calendar.js';

/**
 * A post's or a team's tally covers a session of this many minutes: one event per unit and session
 * (a day of Hưng Yên is then ~350 events, not ~650, which halves the run on DynamoDB Local).
 */
export const SESSION_MINUTES = 120;
/** Relative intake per hour of the day (a working hour not listed weighs 0.8). */
const HOUR_WEIGHTS: Readonly<Record<number, number>> = {
  7: 0.5,
  8: 0.9,
  9: 1.2,
  10: 1.3,
  11: 1.1,
  12: 0.6,
  13: 0.8,
  14: 1.2,
  15: 1.3,
  16: 1.2,
  17: 1.0,
  18: 0.7,
  19: 0.8,
  20: 0.7,
  21: 0.4,
};

export const minutesOf = (time: string) => {
  const [h, m] = time.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};
export const pad = (n: number, width = 2) => String(Math.trunc(Math.abs(n))).padStart(width, '0');
export const clock = (minuteOfDay: number) => `${pad(Math.floor(minuteOfDay / 60))}:${pad(minuteOfDay % 60)}`;

/**
 * The working hours as intake sessions of SESSION_MINUTES from the start (the last one shorter),
 * each weighted by the hourly curve over the minutes it covers. `hour` (the hour it starts in) names it.
 */
export function workingSlots(hours: { start: string; end: string }, sessionMinutes = SESSION_MINUTES) {
  const start = minutesOf(hours.start);
  const end = minutesOf(hours.end);
  const slots: { hour: number; from: number; to: number; weight: number }[] = [];
  for (let from = start; from < end; from += sessionMinutes) {
    const to = Math.min(end, from + sessionMinutes);
    let weight = 0;
    for (let hour = Math.floor(from / 60); hour * 60 < to; hour++) {
      const covered = Math.min(to, hour * 60 + 60) - Math.max(from, hour * 60);
      weight += ((HOUR_WEIGHTS[hour] ?? 0.8) * covered) / 60;
    }
    slots.push({ hour: Math.floor(from / 60), from, to, weight });
  }
  return slots;
}

/** `2021-03-01T09:17:00+07:00`: a local wall-clock time written with the zone's offset at that moment. */
export function localIso(day: string, minuteOfDay: number, timeZone: string): string {
  const time = clock(minuteOfDay);
  return `${day}T${time}:00${offsetText(zonedInstant(day, time, timeZone), timeZone)}`;
}
