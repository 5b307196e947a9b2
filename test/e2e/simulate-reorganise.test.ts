/**
 * The simulator with `--reorganise-on-day`: the 2025 reform of scenarios/reform-2025/before.json
 * (districts removed, Thái Bình merged into Hưng Yên) imported on the morning of day 3 of 4; every
 * unit ends exact on the new tree, merged units showing their past.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/local/paths.js';
import { runSimulation } from '../../infra/local/simulate/run.js';

describe('npm run simulate -- --reorganise-on-day', () => {
  it('ends with totals exact at every unit of the reorganised tree', async () => {
    // Arrange
    const notes: string[] = [];

    // Act
    const { result, ok } = await runSimulation({
      scenario: join(REPO_ROOT, 'scenarios/reform-2025/before.json'),
      days: 4,
      pace: 'mixed',
      seed: 1,
      reorganiseOnDay: 3,
      progress: { write: (text: string) => notes.push(text) },
    });

    // Assert
    expect(result.check.mismatches).toEqual([]);
    expect(result.check.exact).toBe(15);
    expect(result.intake.notStored).toBe(0);
    expect(result.problems).toEqual([]);
    expect(notes.join('')).toContain('day 3/4 2025-06-03: reorganised');
    // The whole campaign's applications end at the root, wherever they were posted.
    expect(result.root.total).toBe(result.intake.applications);
    expect(ok).toBe(true);
  });
});
