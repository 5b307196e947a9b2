/** Which units are muted (silences) or have their repeats paused (acknowledgements) at a run's time. */
import type { Hierarchy } from '../hierarchy.js';
import type { Acknowledgement, Silence } from './types.js';

/** A test of whether a unit is muted at `asOf`: an active silence (asOf < until) on it or an ancestor. */
export function silencedAt(
  silences: readonly Silence[],
  asOf: Date,
  hierarchy: Pick<Hierarchy, 'ancestorsOf'>,
): (unitId: string) => boolean {
  const muted = new Set(silences.filter((s) => Date.parse(s.until) > asOf.getTime()).map((s) => s.unitId));
  return (unitId: string) =>
    muted.size > 0 && (muted.has(unitId) || hierarchy.ancestorsOf(unitId).some((a) => muted.has(a)));
}

/** The acknowledgement holding for each unit at `asOf` (the latest made), as the time it was made. */
export function acknowledgedUnits(acks: readonly Acknowledgement[], asOf: Date): Map<string, number> {
  const at = asOf.getTime();
  const result = new Map<string, number>();
  for (const ack of acks) {
    const made = Date.parse(ack.createdAt);
    if (made > at || Date.parse(ack.until) <= at) continue;
    if (ack.deletedAt !== undefined && Date.parse(ack.deletedAt) <= at) continue;
    result.set(ack.unitId, Math.max(result.get(ack.unitId) ?? made, made));
  }
  return result;
}
