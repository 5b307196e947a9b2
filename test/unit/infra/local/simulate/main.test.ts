import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runSimulateCli } from '../../../../../infra/local/simulate/main.js';

/** Bad arguments are refused before anything starts (no DynamoDB Local, no store). */
describe('runSimulateCli()', () => {
  let errors: string[];
  beforeEach(() => {
    errors = [];
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      errors.push(args.join(' '));
    });
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it.each([
    [[], /--scenario is required/],
    [['--scenario', 'hung-yen-2021', '--pace', 'slow'], /--pace must be one of on-track, lagging, mixed/],
    [['--scenario', 'hung-yen-2021', '--days', 'two'], /--days must be a whole number/],
    [['--scenario', 'hung-yen-2021', '--seed', '1.5'], /--seed must be a whole number/],
    [['--scenario', 'hung-yen-2021', '--frobnicate'], /Unknown option '--frobnicate'/],
    [['--scenario', 'ha-noi-2021'], /no scenario "ha-noi-2021"; scenarios: hung-yen-2021, thanh-hoa-2021/],
    [['--scenario', 'hung-yen-2021', '--days', '111'], /--days: days must be a whole number from 1 to 110/],
    [['--scenario', 'missing/file.json'], /no such file: missing\/file\.json/],
  ])('refuses %j with exit 2 and the usage', async (argv, message) => {
    // Act
    const code = await runSimulateCli(argv);
    // Assert
    expect(code).toBe(2);
    expect(errors.join('\n')).toMatch(message);
    expect(errors.join('\n')).toContain('usage: npm run simulate');
  });

  it('says so, exit 1, when --attach finds no running system', async () => {
    // Arrange: an empty state directory: no runtime descriptor
    const dir = mkdtempSync(join(tmpdir(), 'quota-simulate-cli-'));
    vi.stubEnv('QUOTA_LOCAL_DIR', dir);
    try {
      // Act
      const code = await runSimulateCli(['--scenario', 'hung-yen-2021', '--days', '2', '--attach']);
      // Assert
      expect(code).toBe(1);
      expect(errors.join('\n')).toMatch(
        /--attach: the local system is not running .*start it with `npm start`/,
      );
    } finally {
      vi.unstubAllEnvs();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
