/**
 * Reorganisation (units moved by `parentId`, units merged by `mergedInto`), without I/O: which DAY
 * items must move how much, so that every total converges to the new hierarchy exactly once while
 * intake goes on.
 *
 * The argument (also in docs/ARCHITECTURE.md, "Reorganisation"):
 *
 * 1. Epochs. Each import that changes structure bumps the campaign's `epoch` (stored with the
 *    catalogue). Intake stamps each event with the epoch of the catalogue it checked the event
 *    against, and the event's `path` comes from that same catalogue. The roll-up adds an event of
 *    epoch e ≥ 1 to `n`, `k:…`, `c:…`, `g:…` as always and also to `e<e>:n`, `e<e>:k:…`… of every
 *    item it writes, and counts every write in `u`. So on any DAY item, the part counted under a
 *    tree older than epoch v is `n − Σ_{e≥v} e<e>:n` (per kind, channel, group alike), and the
 *    rest already sits where the new tree wants it. Nothing new is written for epoch 0.
 *
 * 2. Which units move what. For each unit u of the old tree (units not merged before this import),
 *    let New(u) be the live units that must count u's own events under the new tree: eff(u) (u, or
 *    the end of its `mergedInto` chain) and eff(u)'s new ancestors; Old(u) be u and its old
 *    ancestors, restricted to units live in the new tree (merged units keep their past: nothing is
 *    ever subtracted from them). D(u) = New(u) − Old(u), a signed indicator. The totals must change
 *    by Σ_u own_u·D(u) = Σ_b agg_b·(D(b) − D(oldParent(b))) (sum by parts over the old tree, agg_b
 *    being b's whole subtree's events, i.e. b's own DAY items). So only "boundary" units, where
 *    T(b) = D(b) − D(oldParent(b)) is not zero, move anything: their DAY items' old-epoch part, +1 or
 *    −1 times into each unit of T(b). A commune moved from district A to B: T = +B −A. Districts
 *    removed (children to the province, the district merged into it): T = 0 everywhere. Province P1
 *    merged into P2 with its children moved to P2: T(P1) = +P2, T(children) = 0.
 *
 * 3. Exactly once. A transfer of one boundary DAY item moves `old part − marker`, where the marker
 *    `m<v>:…` on the source item says what migration v moved from it already. One transaction
 *    conditions the source on its write counter `u` (unchanged since read), ADDs the amount to the
 *    marker, and ADDs ±amount to each target's DAY item of the same day — tagged `e<v>:…` there, so a
 *    target that is itself a boundary never moves it again. Re-running moves nothing twice (the
 *    marker), a crash between items loses nothing (the next pass resumes), and a concurrent roll-up
 *    write makes the transaction fail and be retried on a fresh read. Old-epoch events rolled up
 *    after a pass (a container's stale catalogue, a stream backlog) raise the old part again; the
 *    next reconciliation pass moves exactly the difference.
 */
import { addTotals, emptyTotals, type Totals } from './totals.js';

export interface TreeUnit {
  readonly id: string;
  readonly parentId: string | null;
  readonly mergedInto?: string | undefined;
}

export interface TransferTarget {
  readonly unitId: string;
  readonly sign: 1 | -1;
}

/** A boundary unit: its DAY items' old-epoch part goes, ±1 times, to each target. */
export interface Transfer {
  readonly unitId: string;
  readonly targets: readonly TransferTarget[];
}

const byId = (units: readonly TreeUnit[]) => new Map(units.map((u) => [u.id, u]));

/** True when an import changes structure: a stored unit gets another parent, or a new `mergedInto`. */
export function isStructuralChange(before: readonly TreeUnit[], after: readonly TreeUnit[]): boolean {
  return structuralChanges(before, after).length > 0;
}

/** The ids of stored units whose parent changes or that become merged, in the order of `after`. */
export function structuralChanges(before: readonly TreeUnit[], after: readonly TreeUnit[]): string[] {
  const old = byId(before);
  const changed: string[] = [];
  for (const u of after) {
    const b = old.get(u.id);
    if (!b) continue;
    if (b.parentId !== u.parentId || (u.mergedInto !== undefined && b.mergedInto !== u.mergedInto)) {
      changed.push(u.id);
    }
  }
  return changed;
}

/** The end of a `mergedInto` chain (the unit itself when not merged); null on a cycle or a dangling id. */
export function effectiveUnit(units: ReadonlyMap<string, TreeUnit>, id: string): string | null {
  const seen = new Set<string>();
  let current = units.get(id);
  while (current?.mergedInto !== undefined) {
    if (seen.has(current.id)) return null;
    seen.add(current.id);
    current = units.get(current.mergedInto);
  }
  return current ? current.id : null;
}

function ancestorsAndSelf(units: ReadonlyMap<string, TreeUnit>, id: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  let current = units.get(id);
  while (current && !seen.has(current.id)) {
    seen.add(current.id);
    out.push(current.id);
    current = current.parentId === null ? undefined : units.get(current.parentId);
  }
  return out;
}

type Signed = Map<string, number>;

function minus(a: Signed, b: Signed): Signed {
  const out = new Map(a);
  for (const [id, s] of b) out.set(id, (out.get(id) ?? 0) - s);
  for (const [id, s] of out) if (s === 0) out.delete(id);
  return out;
}

/**
 * The boundary units of a reorganisation and their targets (see the argument above). `before` is
 * the catalogue as stored, `after` as imported; units merged before this import are not part of the
 * old tree (their history already counts at their successor).
 */
export function boundaryTransfers(before: readonly TreeUnit[], after: readonly TreeUnit[]): Transfer[] {
  const oldLive = byId(before.filter((u) => u.mergedInto === undefined));
  const next = byId(after);
  const liveNow = (id: string) => {
    const u = next.get(id);
    return u !== undefined && u.mergedInto === undefined;
  };
  const memo = new Map<string, Signed>();
  const d = (id: string): Signed => {
    const cached = memo.get(id);
    if (cached) return cached;
    let value: Signed;
    if (!next.has(id)) {
      // Removed by this import: its history stays where it is (as before reorganisation existed).
      const parent = oldLive.get(id)?.parentId ?? null;
      value = parent === null ? new Map() : d(parent);
    } else {
      const eff = effectiveUnit(next, id);
      const newSet: Signed = new Map((eff === null ? [] : ancestorsAndSelf(next, eff)).map((x) => [x, 1]));
      const oldSet: Signed = new Map(
        ancestorsAndSelf(oldLive, id)
          .filter(liveNow)
          .map((x) => [x, 1]),
      );
      value = minus(newSet, oldSet);
    }
    memo.set(id, value);
    return value;
  };
  const transfers: Transfer[] = [];
  for (const u of oldLive.values()) {
    const parentD = u.parentId === null ? new Map<string, number>() : d(u.parentId);
    const t = minus(d(u.id), parentD);
    if (t.size === 0) continue;
    const targets = [...t]
      .map(([unitId, sign]) => {
        if (sign !== 1 && sign !== -1) throw new Error(`coefficient ${sign} for ${unitId}: not a tree`);
        return { unitId, sign: sign as 1 | -1 };
      })
      .sort((a, b) => a.unitId.localeCompare(b.unitId));
    transfers.push({ unitId: u.id, targets });
  }
  return transfers;
}

/** Every unit whose totals a reorganisation changes: the boundary units and their targets. */
export function affectedUnits(transfers: readonly Transfer[], moved: readonly string[] = []): string[] {
  const out = new Set<string>(moved);
  for (const t of transfers) {
    out.add(t.unitId);
    for (const target of t.targets) out.add(target.unitId);
  }
  return [...out].sort();
}

/**
 * Each unit's running total once the transfers are done, from the totals before (the plan's "before
 * and after"; exact when no event of the new epoch has been counted yet).
 */
export function totalsAfterTransfers(
  transfers: readonly Transfer[],
  before: ReadonlyMap<string, number>,
): Map<string, number> {
  const after = new Map(before);
  for (const t of transfers) {
    const amount = before.get(t.unitId) ?? 0;
    for (const target of t.targets) {
      after.set(target.unitId, (after.get(target.unitId) ?? 0) + target.sign * amount);
    }
  }
  return after;
}

/** Attribute names of the counts, as on a DAY item. */
export const epochAttr = (epoch: number, attr: string) => `e${epoch}:${attr}`;
export const markerAttr = (epoch: number, attr: string) => `m${epoch}:${attr}`;

const BASE = /^(n|[kcg]:.+)$/;

/**
 * What migration `epoch` still has to move from one DAY item (raw attributes): for every count
 * attribute a, a − Σ_{e ≥ epoch} e<e>:a − m<epoch>:a. May be negative (a correction of an old event
 * after the transfer), which is moved like any other amount.
 */
export function transferAmount(item: Readonly<Record<string, unknown>>, epoch: number): Totals {
  const amounts = new Map<string, number>();
  const add = (attr: string, value: number) => amounts.set(attr, (amounts.get(attr) ?? 0) + value);
  for (const [name, value] of Object.entries(item)) {
    if (typeof value !== 'number') continue;
    if (BASE.test(name)) {
      add(name, value);
      continue;
    }
    const tagged = /^([em])(\d+):(n|[kcg]:.+)$/.exec(name);
    if (!tagged) continue;
    const [, tag, e, attr] = tagged as unknown as [string, string, string, string];
    const n = Number(e);
    if ((tag === 'e' && n >= epoch) || (tag === 'm' && n === epoch)) add(attr, -value);
  }
  return totalsOfAttributes(amounts);
}

function totalsOfAttributes(amounts: ReadonlyMap<string, number>): Totals {
  const byKind: Record<string, number> = {};
  const byChannel: Record<string, number> = {};
  const byGroup: Record<string, number> = {};
  for (const [attr, v] of amounts) {
    if (v === 0) continue;
    if (attr.startsWith('k:')) byKind[attr.slice(2)] = v;
    else if (attr.startsWith('c:')) byChannel[attr.slice(2)] = v;
    else if (attr.startsWith('g:')) byGroup[attr.slice(2)] = v;
  }
  return addTotals(emptyTotals(), { count: amounts.get('n') ?? 0, byKind, byChannel, byGroup });
}

/** The count attributes of a totals delta, by name (`n`, `k:new`…), zeros left out. */
export function attributesOf(t: Totals): Map<string, number> {
  const out = new Map<string, number>();
  if (t.count !== 0) out.set('n', t.count);
  for (const [prefix, counts] of [
    ['k:', t.byKind],
    ['c:', t.byChannel],
    ['g:', t.byGroup],
  ] as const) {
    for (const [code, n] of Object.entries(counts)) if (n !== 0) out.set(`${prefix}${code}`, n);
  }
  return out;
}

export const isZero = (t: Totals) => attributesOf(t).size === 0;
