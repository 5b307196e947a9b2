/**
 * The simulator's own ledger (pure, no I/O): every event the API said it stored (`accepted` or
 * `duplicate`), counted once per eventId, and what every unit's figures must therefore be: its own
 * events plus all its descendants', in total, by kind, channel and group, and per local day.
 * {@link compareFigures} holds that against what the API shows and lists every difference.
 */
import type { Hierarchy } from '../../../shared/domain/hierarchy.js';

/** What the ledger keeps of one event. */
export interface LedgerEvent {
  readonly eventId: string;
  readonly unitId: string;
  /** Local day of occurredAt (campaign time zone). */
  readonly day: string;
  readonly count: number;
  readonly kind: string;
  readonly channel: string;
  readonly group?: string;
}

/** A unit's figures, as the ledger expects them or as the API shows them. */
export interface UnitFigures {
  readonly total: number;
  readonly byKind: Readonly<Record<string, number>>;
  readonly byChannel: Readonly<Record<string, number>>;
  readonly byGroup: Readonly<Record<string, number>>;
  /** Per local day; absent when the view has no daily series. Days not listed are 0. */
  readonly days?: Readonly<Record<string, number>>;
}

export const emptyFigures = (): UnitFigures => ({
  total: 0,
  byKind: {},
  byChannel: {},
  byGroup: {},
  days: {},
});

const addTo = (record: Record<string, number>, key: string, n: number) => {
  record[key] = (record[key] ?? 0) + n;
};

function addRecords(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>) {
  const sum: Record<string, number> = { ...a };
  for (const [k, v] of Object.entries(b)) addTo(sum, k, v);
  return sum;
}

/** a + b, field by field (a baseline plus the ledger's expectation). */
export function addFigures(a: UnitFigures, b: UnitFigures): UnitFigures {
  return {
    total: a.total + b.total,
    byKind: addRecords(a.byKind, b.byKind),
    byChannel: addRecords(a.byChannel, b.byChannel),
    byGroup: addRecords(a.byGroup, b.byGroup),
    ...((a.days || b.days) && { days: addRecords(a.days ?? {}, b.days ?? {}) }),
  };
}

export class Ledger {
  private readonly events = new Map<string, LedgerEvent>();

  /** Records a stored event; a second record of the same eventId changes nothing. True when new. */
  record(event: LedgerEvent): boolean {
    if (this.events.has(event.eventId)) return false;
    this.events.set(event.eventId, {
      eventId: event.eventId,
      unitId: event.unitId,
      day: event.day,
      count: event.count,
      kind: event.kind,
      channel: event.channel,
      ...(event.group !== undefined && { group: event.group }),
    });
    return true;
  }

  /** A copy of what is recorded so far (the past a reorganisation's merged units keep). */
  snapshot(): Ledger {
    const copy = new Ledger();
    for (const e of this.events.values()) copy.record(e);
    return copy;
  }

  has(eventId: string): boolean {
    return this.events.has(eventId);
  }

  /** Distinct events recorded. */
  get size(): number {
    return this.events.size;
  }

  /** Applications they carry. */
  get applications(): number {
    let n = 0;
    for (const e of this.events.values()) n += e.count;
    return n;
  }

  /** Every unit of the hierarchy (zeros included) with its own and its descendants' events. */
  expected(hierarchy: Pick<Hierarchy, 'units' | 'pathOf'>): Map<string, UnitFigures> {
    const figures = new Map(
      hierarchy.units.map((u) => [
        u.id,
        {
          total: 0,
          byKind: {} as Record<string, number>,
          byChannel: {} as Record<string, number>,
          byGroup: {} as Record<string, number>,
          days: {} as Record<string, number>,
        },
      ]),
    );
    for (const e of this.events.values()) {
      for (const id of hierarchy.pathOf(e.unitId)) {
        const f = figures.get(id);
        if (!f) continue;
        f.total += e.count;
        addTo(f.byKind, e.kind, e.count);
        addTo(f.byChannel, e.channel, e.count);
        if (e.group !== undefined) addTo(f.byGroup, e.group, e.count);
        addTo(f.days, e.day, e.count);
      }
    }
    return figures;
  }
}

/** One difference between the ledger and the API. */
export interface Mismatch {
  readonly unitId: string;
  /** Which reading: `live` (running totals), `as of …` (summed DAY items), `daily`. */
  readonly view: string;
  /** `total`, `byKind.new`, `byChannel.mobile`, `byGroup.official`, `day 2021-03-02`, or `unit` (missing). */
  readonly field: string;
  readonly expected: number;
  /** null: the API did not show the unit at all. */
  readonly actual: number | null;
}

function compareRecords(
  expected: Readonly<Record<string, number>>,
  actual: Readonly<Record<string, number>>,
  prefix: string,
  push: (field: string, e: number, a: number) => void,
) {
  for (const key of [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort()) {
    const e = expected[key] ?? 0;
    const a = actual[key] ?? 0;
    if (e !== a) push(`${prefix}${key}`, e, a);
  }
}

export interface CompareOptions {
  /** Names the reading in each mismatch. */
  readonly view: string;
  /** Compare only what the reading holds: `totals` (total and breakdowns), `days`, or both. Default both. */
  readonly fields?: 'totals' | 'days' | 'all';
}

/**
 * Every difference between what the ledger expects and what the API shows, unit by unit in the
 * order of `expected` (the hierarchy's, root first). Breakdown keys absent on one side count as 0;
 * a unit the API did not show at all is one mismatch (`unit`).
 */
export function compareFigures(
  expected: ReadonlyMap<string, UnitFigures>,
  actual: ReadonlyMap<string, UnitFigures>,
  options: CompareOptions,
): Mismatch[] {
  const fields = options.fields ?? 'all';
  const mismatches: Mismatch[] = [];
  for (const [unitId, e] of expected) {
    const a = actual.get(unitId);
    const push = (field: string, exp: number, act: number | null) =>
      mismatches.push({ unitId, view: options.view, field, expected: exp, actual: act });
    if (!a) {
      push('unit', fields === 'days' ? sumOf(e.days ?? {}) : e.total, null);
      continue;
    }
    if (fields !== 'days') {
      if (e.total !== a.total) push('total', e.total, a.total);
      compareRecords(e.byKind, a.byKind, 'byKind.', push);
      compareRecords(e.byChannel, a.byChannel, 'byChannel.', push);
      compareRecords(e.byGroup, a.byGroup, 'byGroup.', push);
    }
    if (fields !== 'totals') compareRecords(e.days ?? {}, a.days ?? {}, 'day ', push);
  }
  return mismatches;
}

const sumOf = (record: Readonly<Record<string, number>>) => Object.values(record).reduce((a, b) => a + b, 0);

/** The units with at least one mismatch. */
export const unitsWithMismatches = (mismatches: readonly Mismatch[]) =>
  new Set(mismatches.map((m) => m.unitId));
