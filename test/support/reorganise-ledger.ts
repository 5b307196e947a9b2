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

/**
 * The intake events the reorganisation tests post: one per unit given, on `day`, numbered
 * `<prefix>-000000`, `<prefix>-000001`… across calls, counts and kinds varying with the number.
 */
export function eventSource(campaignId: string, prefix: string) {
  let seq = 0;
  return (unitIds: readonly string[], day: string) =>
    unitIds.map((unitId, i) => ({
      eventId: `${prefix}-${String(seq++).padStart(6, '0')}`,
      campaignId,
      unitId,
      occurredAt: `${day}T${String(8 + (i % 10)).padStart(2, '0')}:15:00+07:00`,
      count: 1 + ((seq * 7) % 13),
      kind: seq % 3 === 0 ? 'renewal' : 'new',
    }));
}
