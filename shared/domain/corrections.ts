/**
 * Corrections, without I/O: which count is in force for a corrected event, and what each correction
 * changes (docs/ARCHITECTURE.md, corrections; the roll-up's use of it is argued at the top of
 * shared/rollup/apply.ts).
 *
 * The count in force is the count of the latest correction by occurredAt (ties: the greater
 * eventId), else the original's count. Corrections are *admitted* one at a time on a per-original
 * state (stored with an optimistic version, shared/store/correction-store.ts): admitting one records
 * its delta = the count in force after it − the count in force before it, and `from` (the count in
 * force before). An older correction arriving after a later one changes nothing (delta 0). A
 * correction already admitted keeps its recorded delta (a redelivery). So, whatever the order of
 * arrival, the deltas telescope: their sum is the final count in force − the original's count.
 */

/** One correction as the roll-up sees it. */
export interface CorrectionRef {
  readonly eventId: string;
  /** ISO instant, UTC. */
  readonly occurredAt: string;
  /** The corrected count it states (0 voids). */
  readonly count: number;
}

/** What admitting a correction recorded: the totals move by `delta`; `from` was in force before it. */
export interface Admission {
  readonly delta: number;
  readonly from: number;
  readonly to: number;
}

/** The per-original state: the latest correction so far and every admitted correction's record. */
export interface CorrectionState {
  /** Optimistic version: each admission adds 1. */
  readonly version: number;
  readonly originalCount: number;
  readonly latest: CorrectionRef | null;
  readonly admitted: Readonly<Record<string, Admission>>;
}

/** Whether `a` supersedes `b`: later occurredAt, or the same instant and the greater eventId. */
export function supersedes(a: CorrectionRef, b: CorrectionRef): boolean {
  const x = Date.parse(a.occurredAt);
  const y = Date.parse(b.occurredAt);
  if (x !== y) return x > y;
  return a.eventId > b.eventId;
}

/** The count in force for a state (the original's count when nothing was admitted). */
export const countInForce = (state: CorrectionState | null, originalCount: number): number =>
  state?.latest?.count ?? state?.originalCount ?? originalCount;

export type AdmitOutcome =
  | { readonly fresh: false; readonly admission: Admission }
  | { readonly fresh: true; readonly admission: Admission; readonly next: CorrectionState };

/** Admits `correction` on `state` (null: nothing admitted for this original yet). */
export function admit(
  state: CorrectionState | null,
  correction: CorrectionRef,
  originalCount: number,
): AdmitOutcome {
  const known =
    state && Object.hasOwn(state.admitted, correction.eventId)
      ? state.admitted[correction.eventId]
      : undefined;
  if (known) return { fresh: false, admission: known };
  const before = countInForce(state, originalCount);
  const latest = state?.latest ?? null;
  const wins = latest === null || supersedes(correction, latest);
  const admission: Admission = {
    delta: wins ? correction.count - before : 0,
    from: before,
    to: correction.count,
  };
  return {
    fresh: true,
    admission,
    next: {
      version: (state?.version ?? 0) + 1,
      originalCount: state?.originalCount ?? originalCount,
      latest: wins ? correction : latest,
      admitted: { ...state?.admitted, [correction.eventId]: admission },
    },
  };
}

/** Net effect of corrections: how many, and the sum of their deltas. */
export interface CorrectionSummary {
  readonly count: number;
  readonly net: number;
}
