/** Counts of intake: all, and by kind, channel and population group. */
export interface Totals {
  readonly count: number;
  readonly byKind: Readonly<Record<string, number>>;
  readonly byChannel: Readonly<Record<string, number>>;
  readonly byGroup: Readonly<Record<string, number>>;
}

export const emptyTotals = (): Totals => ({ count: 0, byKind: {}, byChannel: {}, byGroup: {} });

/**
 * The count under a code, 0 when absent. `Object.hasOwn`, not `record[code] ?? 0`: a code such as
 * `constructor` would otherwise read a function from the prototype (import refuses such codes too).
 */
export const countOf = (record: Readonly<Record<string, number>>, code: string): number =>
  Object.hasOwn(record, code) ? (record[code] ?? 0) : 0;

const addInto = (into: Record<string, number>, from: Readonly<Record<string, number>>) => {
  for (const [k, v] of Object.entries(from)) into[k] = countOf(into, k) + v;
};

export function addTotals(a: Totals, b: Totals): Totals {
  const byKind = { ...a.byKind };
  const byChannel = { ...a.byChannel };
  const byGroup = { ...a.byGroup };
  addInto(byKind, b.byKind);
  addInto(byChannel, b.byChannel);
  addInto(byGroup, b.byGroup);
  return { count: a.count + b.count, byKind, byChannel, byGroup };
}

/** The totals of one event of `count` applications. */
export function totalsOfEvent(e: {
  count: number;
  kind: string;
  channel: string;
  group?: string | undefined;
}): Totals {
  return {
    count: e.count,
    byKind: { [e.kind]: e.count },
    byChannel: { [e.channel]: e.count },
    byGroup: e.group === undefined ? {} : { [e.group]: e.count },
  };
}
