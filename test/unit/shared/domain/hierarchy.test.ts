import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateNational } from '../../../../shared/domain/generate.js';
import { grantsCoverUnit, parseGrants } from '../../../../shared/domain/grants.js';
import {
  buildHierarchy,
  type Hierarchy,
  InvalidHierarchyError,
} from '../../../../shared/domain/hierarchy.js';
import { CampaignFile, type Unit } from '../../../../shared/schemas/campaign.js';

function aUnit(overrides: Partial<Unit> & Pick<Unit, 'id' | 'parentId'>): Unit {
  return {
    name: `Unit ${overrides.id}`,
    level: 'unit',
    target: 100,
    deadline: '2021-06-18',
    subTargets: [],
    ...overrides,
  };
}

/** 33 → { 323 → { 12001, 12004 }, 324 → { 12007 } } */
function hungYenTree(): Unit[] {
  return [
    aUnit({ id: '33', parentId: null, level: 'province' }),
    aUnit({ id: '323', parentId: '33', level: 'district' }),
    aUnit({ id: '12001', parentId: '323', level: 'commune' }),
    aUnit({ id: '324', parentId: '33', level: 'district' }),
    aUnit({ id: '12004', parentId: '323', level: 'commune' }),
    aUnit({ id: '12007', parentId: '324', level: 'commune' }),
  ];
}

describe('hierarchy', () => {
  describe('buildHierarchy()', () => {
    it('answers root, children, ancestors, path and depth', () => {
      // Arrange
      const units = hungYenTree();

      // Act
      const h = buildHierarchy(units);

      // Assert
      expect(h.root.id).toBe('33');
      expect(h.size).toBe(6);
      expect(h.get('323')?.level).toBe('district');
      expect(h.get('nope')).toBeUndefined();
      expect(h.childrenOf('33').map((u) => u.id)).toEqual(['323', '324']);
      expect(h.childrenOf('323').map((u) => u.id)).toEqual(['12001', '12004']);
      expect(h.childrenOf('12001')).toEqual([]);
      expect(h.ancestorsOf('12004')).toEqual(['33', '323']);
      expect(h.ancestorsOf('33')).toEqual([]);
      expect(h.pathOf('12007')).toEqual(['33', '324', '12007']);
      expect(h.depthOf('33')).toBe(0);
      expect(h.depthOf('324')).toBe(1);
      expect(h.depthOf('12007')).toBe(2);
    });

    it('lists every unit with parents before children, whatever the input order', () => {
      // Arrange
      const units = [...hungYenTree()].reverse();

      // Act
      const order = buildHierarchy(units).units.map((u) => u.id);

      // Assert
      expect(order).toHaveLength(6);
      for (const unit of units) {
        if (unit.parentId !== null) expect(order.indexOf(unit.parentId)).toBeLessThan(order.indexOf(unit.id));
      }
    });

    it('hands out copies, so a caller sorting children cannot disturb the tree', () => {
      // Arrange
      const h = buildHierarchy(hungYenTree());

      // Act
      h.childrenOf('33').reverse();
      h.ancestorsOf('12001').pop();

      // Assert
      expect(h.childrenOf('33').map((u) => u.id)).toEqual(['323', '324']);
      expect(h.ancestorsOf('12001')).toEqual(['33', '323']);
    });

    it('throws for an unknown id', () => {
      // Arrange
      const h = buildHierarchy(hungYenTree());

      // Act / Assert
      expect(() => h.ancestorsOf('999')).toThrow(/unknown unit "999"/);
      expect(() => h.childrenOf('999')).toThrow(InvalidHierarchyError);
      expect(() => h.depthOf('999')).toThrow(InvalidHierarchyError);
    });

    it.each([
      ['no root', [aUnit({ id: 'a', parentId: 'b' }), aUnit({ id: 'b', parentId: 'a' })], /no root/],
      ['two roots', [aUnit({ id: 'a', parentId: null }), aUnit({ id: 'b', parentId: null })], /two roots/],
      [
        'an unknown parent',
        [aUnit({ id: 'a', parentId: null }), aUnit({ id: 'b', parentId: 'x' })],
        /unknown parent/,
      ],
      [
        'a duplicate id',
        [aUnit({ id: 'a', parentId: null }), aUnit({ id: 'a', parentId: 'a' })],
        /duplicate/,
      ],
      [
        'a cycle beside the root',
        [
          aUnit({ id: 'r', parentId: null }),
          aUnit({ id: 'a', parentId: 'b' }),
          aUnit({ id: 'b', parentId: 'a' }),
        ],
        /not reachable.*a, b/,
      ],
    ])('refuses a list with %s', (_case, units, message) => {
      // Act / Assert
      expect(() => buildHierarchy(units)).toThrow(message);
    });

    it('places every unit of the national campaign at its depth', () => {
      // Arrange
      const units = CampaignFile.parse(generateNational({ seed: 1 })).units;

      // Act
      const h = buildHierarchy(units);

      // Assert
      expect(h.size).toBe(units.length);
      const depths = new Map<string, number>();
      for (const u of units) depths.set(u.level, h.depthOf(u.id));
      expect(Object.fromEntries(depths)).toEqual({ nation: 0, province: 1, district: 2, commune: 3 });
      for (const u of units) {
        const ancestors = h.ancestorsOf(u.id);
        expect(ancestors.at(-1) ?? null).toBe(u.parentId);
      }
    });
  });

  describe('grantsCoverUnit() over a stored tree', () => {
    const isWithinScope = (h: Hierarchy, unitId: string, granted: readonly string[]) =>
      grantsCoverUnit(parseGrants(granted), 'cccd-2021-hung-yen', unitId, h);
    const h = buildHierarchy(hungYenTree());

    it.each([
      ['the unit itself', '323', ['323'], true],
      ['a unit under a granted district', '12004', ['323'], true],
      ['a unit under the granted province', '12007', ['33'], true],
      ['any unit with *', '12007', ['*'], true],
      ['a unit among several grants', '12007', ['323', '324'], true],
      ['a sibling district', '324', ['323'], false],
      ['a commune of another district', '12007', ['323'], false],
      ['the parent of a granted unit', '33', ['323'], false],
      ['anything with no grant', '12001', [], false],
      ['an unknown unit, even under a granted root', '99999', ['33'], false],
      ['an unknown unit with *', '99999', ['*'], true],
    ] as const)('%s → %s', (_case, unitId, granted, expected) => {
      // Act
      const allowed = isWithinScope(h, unitId, granted);

      // Assert
      expect(allowed).toBe(expected);
    });

    it('grants exactly the units whose path passes through a granted unit (random trees)', () => {
      // Arrange: unit i's parent is one of the units before it, so every list is a valid tree.
      const trees = fc
        .array(fc.nat(), { minLength: 1, maxLength: 40 })
        .map((picks) => [
          aUnit({ id: 'u0', parentId: null }),
          ...picks.map((p, i) => aUnit({ id: `u${i + 1}`, parentId: `u${p % (i + 1)}` })),
        ]);

      fc.assert(
        fc.property(trees, fc.nat(), fc.nat(), (units, a, b) => {
          // Act
          const tree = buildHierarchy(units);
          const unit = units[a % units.length] as Unit;
          const granted = units[b % units.length] as Unit;

          // Assert
          let walk: Unit | undefined = unit;
          let onPath = false;
          while (walk) {
            if (walk.id === granted.id) onPath = true;
            walk = walk.parentId === null ? undefined : tree.get(walk.parentId);
          }
          expect(isWithinScope(tree, unit.id, [granted.id])).toBe(onPath);
          expect(tree.depthOf(unit.id)).toBe(tree.ancestorsOf(unit.id).length);
        }),
      );
    });
  });
});
