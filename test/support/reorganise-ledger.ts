/**
 * The ledger the reorganisation tests compare with: every accepted event counted at its unit's
 * successor (the end of its `mergedInto` chain) and that unit's ancestors in the given tree.
 */
import { effectiveUnit, type TreeUnit } from '../../shared/domain/reorganise.js';

export interface LedgerEvent {
  readonly unitId: string;
  readonly day: string;
  readonly count: number;
}

/** Totals per unit, and per unit and day (`<unitId>|<day>`). */
export function ledgerOn(units: readonly TreeUnit[], events: readonly LedgerEvent[]) {
  const byId = new Map(units.map((u) => [u.id, u]));
  const totals = new Map<string, number>();
  const daily = new Map<string, number>();
  for (const e of events) {
    let at = byId.get(effectiveUnit(byId, e.unitId) ?? '');
    while (at) {
      totals.set(at.id, (totals.get(at.id) ?? 0) + e.count);
      daily.set(`${at.id}|${e.day}`, (daily.get(`${at.id}|${e.day}`) ?? 0) + e.count);
      at = at.parentId === null ? undefined : byId.get(at.parentId);
    }
  }
  return { totals, daily };
}
