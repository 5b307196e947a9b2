import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  boundaryTransfers,
  effectiveUnit,
  structuralChanges,
  type TreeUnit,
  transferAmount,
} from '../../../../shared/domain/reorganise.js';

const u = (id: string, parentId: string | null, mergedInto?: string): TreeUnit => ({
  id,
  parentId,
  ...(mergedInto !== undefined && { mergedInto }),
});

/** N → { P1 → { A → { c1, c2 } }, P2 → { B → { c3 } } } */
const tree = (): TreeUnit[] => [
  u('N', null),
  u('P1', 'N'),
  u('A', 'P1'),
  u('c1', 'A'),
  u('c2', 'A'),
  u('P2', 'N'),
  u('B', 'P2'),
  u('c3', 'B'),
];

const withChanges = (units: TreeUnit[], changes: Record<string, Partial<TreeUnit>>) =>
  units.map((x) => ({ ...x, ...(changes[x.id] ?? {}) }));

/** Districts removed: their communes go to the province, each district merged into it. */
const districtsRemoved: Record<string, Partial<TreeUnit>> = {
  c1: { parentId: 'P1' },
  c2: { parentId: 'P1' },
  A: { mergedInto: 'P1' },
  c3: { parentId: 'P2' },
  B: { mergedInto: 'P2' },
};

/** Totals of every live unit of `units` when each unit's own events are `own` (the ledger's view). */
function expectedTotals(units: readonly TreeUnit[], own: ReadonlyMap<string, number>): Map<string, number> {
  const map = new Map(units.map((x) => [x.id, x]));
  const out = new Map<string, number>();
  for (const [id, n] of own) {
    let at = map.get(effectiveUnit(map, id) ?? '');
    while (at) {
      out.set(at.id, (out.get(at.id) ?? 0) + n);
      at = at.parentId === null ? undefined : map.get(at.parentId);
    }
  }
  return out;
}

/** The stored totals after the transfers: old-tree aggregates plus ±the boundary units' aggregates. */
function afterTransfers(before: TreeUnit[], after: TreeUnit[], own: ReadonlyMap<string, number>) {
  const totals = expectedTotals(
    before.filter((x) => x.mergedInto === undefined),
    own,
  );
  const aggregates = new Map(totals);
  for (const t of boundaryTransfers(before, after)) {
    const amount = aggregates.get(t.unitId) ?? 0;
    for (const target of t.targets) {
      totals.set(target.unitId, (totals.get(target.unitId) ?? 0) + target.sign * amount);
    }
  }
  return totals;
}

describe('reorganise', () => {
  describe('boundaryTransfers()', () => {
    it.each<[string, Record<string, Partial<TreeUnit>>, ReturnType<typeof boundaryTransfers>]>([
      [
        'moves a commune between districts: +new district, −old district, nothing above',
        { c1: { parentId: 'B' } },
        [
          {
            unitId: 'c1',
            targets: [
              { unitId: 'A', sign: -1 },
              { unitId: 'B', sign: 1 },
              { unitId: 'P1', sign: -1 },
              { unitId: 'P2', sign: 1 },
            ],
          },
        ],
      ],
      [
        'removes districts (communes to the province, district merged into it): nothing to transfer',
        districtsRemoved,
        [],
      ],
      [
        'merges province P1 into P2 with its children moved: P1 aggregate goes to P2 only',
        { P1: { mergedInto: 'P2' }, A: { parentId: 'P2' } },
        [{ unitId: 'P1', targets: [{ unitId: 'P2', sign: 1 }] }],
      ],
      [
        'the 2025 pattern in one import (districts removed, provinces merged): P1 → P2 only',
        {
          c1: { parentId: 'P2' },
          c2: { parentId: 'P2' },
          A: { mergedInto: 'P1' },
          P1: { mergedInto: 'P2' },
          c3: { parentId: 'P2' },
          B: { mergedInto: 'P2' },
        },
        [{ unitId: 'P1', targets: [{ unitId: 'P2', sign: 1 }] }],
      ],
    ])('%s', (_, changes, expected) => {
      // Arrange
      const before = tree();
      const after = withChanges(before, changes);

      // Act
      const transfers = boundaryTransfers(before, after);

      // Assert
      expect(transfers).toEqual(expected);
    });

    it('a merged unit keeps its past: it is never a target of a subtraction', () => {
      const before = tree();
      const after = withChanges(before, { P1: { mergedInto: 'P2' }, A: { parentId: 'P2' } });
      const own = new Map([
        ['P1', 5],
        ['c1', 7],
      ]);

      const totals = afterTransfers(before, after, own);

      expect(totals.get('P1')).toBe(12);
      expect(totals.get('P2')).toBe(12);
      expect(totals.get('N')).toBe(12);
    });

    it('any reorganisation of a random tree: old totals plus transfers equal totals on the new tree', () => {
      const arbitraryCase = fc.integer({ min: 2, max: 12 }).chain((size) =>
        fc.record({
          size: fc.constant(size),
          parents: fc.array(fc.nat(), { minLength: size, maxLength: size }),
          newParents: fc.array(fc.nat(), { minLength: size, maxLength: size }),
          merges: fc.array(fc.option(fc.nat(), { nil: undefined }), { minLength: size, maxLength: size }),
          own: fc.array(fc.integer({ min: 0, max: 50 }), { minLength: size, maxLength: size }),
        }),
      );
      fc.assert(
        fc.property(arbitraryCase, ({ size, parents, newParents, merges, own }) => {
          // Old tree: unit i's parent is some j < i (0 is the root).
          const before = Array.from({ length: size }, (_, i) =>
            u(`u${i}`, i === 0 ? null : `u${(parents[i] ?? 0) % i}`),
          );
          // New tree: again parents j < i; some units merged into an earlier unit, which then has no
          // children (a merged unit may not keep children) — children of a merged unit go to its successor.
          const merged = new Map<number, number>();
          for (let i = 1; i < size; i++) {
            const m = merges[i];
            if (m !== undefined) merged.set(i, m % i);
          }
          const live = (j: number): number => {
            let k = j;
            while (merged.has(k)) k = merged.get(k) ?? 0;
            return k;
          };
          const after = Array.from({ length: size }, (_, i) => {
            if (i === 0) return u('u0', null);
            const m = merged.get(i);
            return u(`u${i}`, `u${live((newParents[i] ?? 0) % i)}`, m === undefined ? undefined : `u${m}`);
          });
          const ownMap = new Map(own.map((n, i) => [`u${i}`, n]));

          const totals = afterTransfers(before, after, ownMap);
          const expected = expectedTotals(after, ownMap);
          for (const x of after) {
            if (x.mergedInto !== undefined) continue;
            expect(totals.get(x.id) ?? 0).toBe(expected.get(x.id) ?? 0);
          }
          // Merged units keep exactly their old-tree totals.
          const old = expectedTotals(before, ownMap);
          for (const x of after) {
            if (x.mergedInto === undefined) continue;
            expect(totals.get(x.id) ?? 0).toBe(old.get(x.id) ?? 0);
          }
        }),
        { numRuns: 300 },
      );
    });
  });

  describe('structuralChanges()', () => {
    it('lists the units whose place changed when districts are removed, in tree order', () => {
      const before = tree();
      expect(structuralChanges(before, withChanges(before, districtsRemoved))).toEqual([
        'A',
        'c1',
        'c2',
        'B',
        'c3',
      ]);
    });
  });

  describe('transferAmount()', () => {
    it('is the old-epoch part minus what this migration moved already', () => {
      // Arrange: 10 in all, 3 of them rolled up under epoch 2, 4 already moved by migration 2.
      const item = {
        n: 10,
        'k:new': 10,
        'c:fixed': 10,
        'e2:n': 3,
        'e2:k:new': 3,
        'e2:c:fixed': 3,
        'm2:n': 4,
        'm2:k:new': 4,
        'm2:c:fixed': 4,
        'e1:n': 6,
        'm1:n': 1,
        u: 9,
      };

      // Act
      const amount = transferAmount(item, 2);

      // Assert: epoch-1 tags and migration-1 markers are old history for migration 2.
      expect(amount).toEqual({ count: 3, byKind: { new: 3 }, byChannel: { fixed: 3 }, byGroup: {} });
    });

    it('counts later epochs as new too, and is zero once everything moved', () => {
      expect(transferAmount({ n: 5, 'e3:n': 2, 'e4:n': 3 }, 3).count).toBe(0);
      expect(transferAmount({ n: 5, 'm3:n': 5 }, 3).count).toBe(0);
      expect(transferAmount({ n: 5, 'm3:n': 7 }, 3).count).toBe(-2);
    });
  });
});
