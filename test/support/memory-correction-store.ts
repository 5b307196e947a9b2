/**
 * An in-memory CorrectionAdmitter with DynamoCorrectionStore's rule (shared/domain/corrections.ts's
 * admission, one state per corrected event, written only on a matching version), and fault
 * injection: an admission may fail before it is recorded, or be recorded and then fail (a lost response).
 */
import {
  type Admission,
  admit,
  type CorrectionRef,
  type CorrectionState,
} from '../../shared/domain/corrections.js';
import type { CorrectionAdmitter, OriginalKey } from '../../shared/store/correction-store.js';
import type { Fault } from './memory-totals-writer.js';

export class MemoryCorrectionStore implements CorrectionAdmitter {
  readonly states = new Map<string, CorrectionState>();
  fault: (original: OriginalKey) => Fault = () => 'none';

  static id(o: OriginalKey): string {
    return `${o.campaignId}|${o.unitId}|${o.originalId}`;
  }

  async admit(original: OriginalKey, correction: CorrectionRef, originalCount: number): Promise<Admission> {
    const fault = this.fault(original);
    if (fault === 'before') throw new Error('injected failure before the admission');
    const id = MemoryCorrectionStore.id(original);
    // Yield between the read and the conditional write, as a round trip would.
    const read = this.states.get(id) ?? null;
    await Promise.resolve();
    let state = read;
    for (let round = 0; round < 32; round++) {
      const outcome = admit(state, correction, originalCount);
      if (!outcome.fresh) return outcome.admission;
      const stored = this.states.get(id) ?? null;
      if ((stored?.version ?? 0) === (state?.version ?? 0)) {
        this.states.set(id, structuredClone(outcome.next));
        if (fault === 'after') throw new Error('injected failure after the admission (response lost)');
        return outcome.admission;
      }
      state = stored; // the version moved: recompute on what is stored (ALL_OLD)
    }
    throw new Error('state kept changing');
  }
}
