import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkCampaign } from '../../../../shared/domain/catalog.js';
import {
  apportion,
  generateNational,
  mulberry32,
  NATIONAL_CAMPAIGN_ID,
  NATIONAL_SHAPE,
} from '../../../../shared/domain/generate.js';
import type { UnitInput } from '../../../../shared/schemas/campaign.js';

function unitsByLevel(units: readonly UnitInput[]): Record<string, UnitInput[]> {
  const levels: Record<string, UnitInput[]> = {};
  for (const u of units) {
    const level = levels[u.level] ?? [];
    level.push(u);
    levels[u.level] = level;
  }
  return levels;
}

/** Every parent's target (and group sub-target) against the sum of its children's. */
function sumMismatches(units: readonly UnitInput[]): string[] {
  const sums = new Map<string, number>();
  for (const u of units)
    if (u.parentId !== null) sums.set(u.parentId, (sums.get(u.parentId) ?? 0) + u.target);
  return units
    .filter((u) => sums.has(u.id) && sums.get(u.id) !== u.target)
    .map((u) => `${u.id}: ${u.target} ≠ ${sums.get(u.id)}`);
}

describe('generateNational()', () => {
  // Arrange (shared): one national file, generated once; the tests below only read it.
  const file = generateNational({ seed: 1 });
  const levels = unitsByLevel(file.units);

  it('has the national shape: one root, 63 provinces, about 700 districts, about 10,600 communes', () => {
    // Assert
    expect(levels.nation).toHaveLength(1);
    expect(levels.province).toHaveLength(NATIONAL_SHAPE.provinces);
    expect(levels.province).toHaveLength(63);
    expect(levels.district?.length).toBeGreaterThanOrEqual(650);
    expect(levels.district?.length).toBeLessThanOrEqual(750);
    expect(levels.commune?.length).toBeGreaterThanOrEqual(10_000);
    expect(levels.commune?.length).toBeLessThanOrEqual(11_200);
  });

  it('uses unique official-looking codes: 2-digit provinces, 3-digit districts, 5-digit communes', () => {
    // Assert
    const ids = file.units.map((u) => u.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(levels.province?.every((u) => /^\d{2}$/.test(u.id))).toBe(true);
    expect(levels.district?.every((u) => /^\d{3}$/.test(u.id))).toBe(true);
    expect(levels.commune?.every((u) => /^\d{5}$/.test(u.id))).toBe(true);
  });

  it('makes each parent target exactly the sum of its children', () => {
    // Assert
    expect(sumMismatches(file.units)).toEqual([]);
    expect(levels.commune?.every((u) => u.target > 0)).toBe(true);
  });

  it('gives each province an official sub-target due before its deadline', () => {
    // Assert
    for (const p of levels.province ?? []) {
      expect(p.subTargets).toEqual([
        { group: 'official', target: expect.any(Number), deadline: '2021-04-30' },
      ]);
      expect(p.subTargets?.[0]?.target).toBeLessThan(p.target);
    }
    expect(file.campaign).toMatchObject({
      id: NATIONAL_CAMPAIGN_ID,
      startDate: '2021-03-01',
      kinds: ['new', 'renewal'],
      groups: ['official'],
    });
  });

  it('validates with no errors and no warnings', () => {
    // Act
    const { file: parsed, problems } = checkCampaign(file);

    // Assert
    expect(problems).toEqual([]);
    expect(parsed?.units).toHaveLength(file.units.length);
  });

  it('is deterministic: the same seed gives byte-identical output, another seed another country', () => {
    // Act
    const again = JSON.stringify(generateNational({ seed: 1 }));
    const other = JSON.stringify(generateNational({ seed: 2 }));

    // Assert
    expect(again).toBe(JSON.stringify(file));
    expect(other).not.toBe(again);
  });

  it('keeps the sums and the counts for any seed', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        // Act
        const units = generateNational({ seed }).units;

        // Assert
        expect(sumMismatches(units)).toEqual([]);
        expect(units).toHaveLength(
          1 + NATIONAL_SHAPE.provinces + NATIONAL_SHAPE.districts + NATIONAL_SHAPE.communes,
        );
        expect(new Set(units.map((u) => u.id)).size).toBe(units.length);
      }),
      { numRuns: 15 },
    );
  });
});

describe('apportion()', () => {
  it('splits a total exactly, in proportion, ties to the earlier part', () => {
    // Act / Assert
    expect(apportion(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(apportion(100, [3, 1])).toEqual([75, 25]);
    expect(apportion(0, [1, 2])).toEqual([0, 0]);
  });

  it('always sums to the total with no negative part', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 1_000_000 }),
        fc.array(fc.double({ min: 0.01, max: 100, noNaN: true }), { minLength: 1, maxLength: 50 }),
        (total, weights) => {
          // Act
          const parts = apportion(total, weights);

          // Assert
          expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
          expect(parts.every((p) => Number.isInteger(p) && p >= 0)).toBe(true);
        },
      ),
    );
  });
});

describe('mulberry32()', () => {
  it('repeats its sequence for a seed and stays within [0, 1)', () => {
    // Arrange
    const a = mulberry32(42);
    const b = mulberry32(42);

    // Act
    const first = Array.from({ length: 1000 }, a);
    const second = Array.from({ length: 1000 }, b);

    // Assert
    expect(first).toEqual(second);
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});
