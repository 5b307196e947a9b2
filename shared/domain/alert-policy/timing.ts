/** Repeat back-off and escalation timing of the alert policy (see the decisions in ../alert-policy.ts). */
import type { AlertPolicyConfig } from './types.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** A repeat falls due this much before its exact time, so a schedule firing a little late or early keeps the days. */
export const REPEAT_TOLERANCE_MS = 15 * 60_000;

/** Days before the repeat after `repeats` earlier repeats (the last value holds for every later one). */
export function repeatGapDays(config: Pick<AlertPolicyConfig, 'repeatBackoffDays'>, repeats: number): number {
  const gaps = config.repeatBackoffDays;
  return gaps[Math.min(repeats, gaps.length - 1)] ?? 1;
}

/** Whether the next repeat of an unchanged critical level is due at `asOf` (leaders last told at `alertedAt`). */
export function repeatFallsDue(
  asOf: Date,
  alertedAt: string,
  repeats: number,
  config: Pick<AlertPolicyConfig, 'repeatBackoffDays'>,
): boolean {
  return (
    asOf.getTime() - Date.parse(alertedAt) >= repeatGapDays(config, repeats) * DAY_MS - REPEAT_TOLERANCE_MS
  );
}

/** Whether a critical spell begun at `criticalSince` has lasted long enough to tell the parent's leaders. */
export function escalationFallsDue(
  asOf: Date,
  criticalSince: string,
  config: Pick<AlertPolicyConfig, 'escalateAfterDays'>,
): boolean {
  return asOf.getTime() - Date.parse(criticalSince) >= config.escalateAfterDays * DAY_MS;
}
