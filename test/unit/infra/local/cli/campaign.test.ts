import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateNational } from '../../../../../shared/domain/generate.js';

const REPO_ROOT = fileURLToPath(new URL('../../../../..', import.meta.url));

type CliRun = { code: number; stdout: string; stderr: string };

/** `npm run campaign -- <args>`, without npm's own output: tsx on the entry file, from the repository root. */
function campaignCli(...args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      'node_modules/.bin/tsx',
      ['infra/local/cli/campaign.ts', ...args],
      { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line.length > 0);
}

describe('npm run campaign', () => {
  describe('validate', () => {
    it('prints every problem of a JSON file with its line, and exits 1', async () => {
      // Arrange
      const file = 'test/fixtures/campaign-with-problems.json';

      // Act
      const { code, stdout, stderr } = await campaignCli('validate', file);

      // Assert
      expect(code).toBe(1);
      expect(lines(stderr)).toEqual([
        `${file}:8: error: units: no root unit: exactly one unit must have "parentId": null`,
        `${file}:9: error: units[0].parentId: cycle: 10 → 11 → 10; these units never reach the root`,
        `${file}:9: warning: units[0].target: children of 10 (A) sum to 5,800, above its target 1,000`,
        `${file}:11: error: units[2].deadline: deadline 2021-06-30 is after the deadline of its parent 10 (A), 2021-06-18`,
        `${file}:12: error: units[3].parentId: unknown parent "999"`,
        `${file}:13: error: units[4].id: duplicate unit id "12": already used by units[2]`,
        `${file}:14: error: units[5].deadline: 2021-06-31 is not a real calendar date`,
        `${file}:15: error: units[6].target: must not be negative`,
      ]);
      expect(stdout).toBe(`${file}: 7 errors, 1 warning, 7 units\n`);
    });

    it('prints every problem of a CSV file with the line of its row, and exits 1', async () => {
      // Arrange
      const file = 'test/fixtures/campaign-with-problems.csv';

      // Act
      const { code, stdout, stderr } = await campaignCli('validate', file);

      // Assert
      expect(code).toBe(1);
      expect(lines(stderr)).toEqual([
        `${file}:6: error: campaign.workingHours.start: must be a time written HH:MM (00:00 to 24:00)`,
        `${file}:6: error: campaign.workingHours.end: must be a time written HH:MM (00:00 to 24:00)`,
        `${file}:8: error: units[0].target: must be a plain whole number such as 1109100, without thousands separators (got "1.109.100")`,
        `${file}:9: error: units[1].deadline: deadline 2021-06-30 is after the deadline of its parent 33 (Tỉnh A), 2021-06-18`,
        `${file}:10: error: units[2].parentId: unknown parent "999"`,
        `${file}:11: error: units[3].deadline: must be a date written YYYY-MM-DD (got "18/6/2021")`,
        `${file}:12: error: units[4].subTargets[0].target: target 2,000 is above the unit's own target 1,000`,
        `${file}:13: error: units[5].id: duplicate unit id "323": already used by units[1]`,
        `${file}:14: error: units[6].parentId: second root: only one unit may have "parentId": null, and 33 (Tỉnh A) at units[0] already does`,
        `${file}:15: error: units[7]: row has 4 cells, the header has 8`,
      ]);
      expect(stdout).toBe(`${file}: 10 errors, 0 warnings, 8 units\n`);
    });

    it.each(['scenarios/hung-yen-2021.json', 'scenarios/hung-yen-2021.csv'])(
      'passes a clean file (%s) with a summary, exit 0',
      async (file) => {
        // Act
        const { code, stdout, stderr } = await campaignCli('validate', file);

        // Assert
        expect(code).toBe(0);
        expect(stderr).toBe('');
        expect(stdout).toBe(`${file}: 0 errors, 0 warnings, 54 units\n`);
      },
    );

    it('says in one line that a file cannot be read, exit 1', async () => {
      // Act
      const { code, stdout, stderr } = await campaignCli('validate', 'test/fixtures/no-such-file.json');

      // Assert
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toBe('test/fixtures/no-such-file.json: cannot read the file (ENOENT)\n');
    });

    it('refuses a file name that is neither .json nor .csv, exit 2', async () => {
      // Act
      const { code, stderr } = await campaignCli('validate', 'units.xlsx');

      // Assert
      expect(code).toBe(2);
      expect(stderr).toContain('"units.xlsx": the file name must end in .json or .csv');
    });
  });

  describe('generate', () => {
    it('prints the national campaign for a seed as 2-space JSON, the same bytes as generateNational', async () => {
      // Act
      const { code, stdout } = await campaignCli('generate', '--scale', 'national', '--seed', '3');

      // Assert
      expect(code).toBe(0);
      expect(stdout).toBe(`${JSON.stringify(generateNational({ seed: 3 }), null, 2)}\n`);
    });

    it.each([
      [['generate', '--scale', 'county', '--seed', '1'], 'unknown scale "county" (known: national)'],
      [['generate', '--seed', '1'], '--scale is required (national)'],
      [['generate', '--scale', 'national', '--seed', 'abc'], '--seed must be a whole number (got "abc")'],
    ])('refuses %j, exit 2', async (args, message) => {
      // Act
      const { code, stdout, stderr } = await campaignCli(...args);

      // Assert
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toContain(`campaign: ${message}`);
    });
  });

  describe('import', () => {
    it('hands its arguments to campaign-import.ts (which answers a missing file with its usage, exit 2)', async () => {
      // Act
      const { code, stderr } = await campaignCli('import');

      // Assert
      expect(code).toBe(2);
      expect(stderr).toMatch(/usage/i);
    });
  });

  describe('usage', () => {
    it.each([[[]], [['frobnicate']]])('prints the usage on stderr for %j, exit 2', async (args) => {
      // Act
      const { code, stdout, stderr } = await campaignCli(...args);

      // Assert
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toContain('usage: npm run campaign -- <command>');
      expect(stderr).toContain('validate <file.json|file.csv>');
      expect(stderr).toContain('generate --scale national');
    });
  });
});
