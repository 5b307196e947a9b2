import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LOCK_FILE, missingOptionals } from '../../../../infra/tools/complete-lock.js';

describe('package-lock.json', () => {
  it('names every optional platform package, so that `npm ci` accepts it (run `npm run lock:complete`)', () => {
    const lock = JSON.parse(readFileSync(LOCK_FILE, 'utf8'));
    expect(missingOptionals(lock)).toEqual([]);
  });

  it('detects a missing optional package', () => {
    const lock = {
      packages: { '': {}, 'node_modules/a': { optionalDependencies: { 'a-win32-x64': '1.0.0' } } },
    };
    expect(missingOptionals(lock)).toEqual([
      { name: 'a-win32-x64', version: '1.0.0', parent: 'node_modules/a' },
    ]);
  });
});
