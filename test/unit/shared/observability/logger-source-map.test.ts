/**
 * Source maps are shipped but not enabled at start; a logged error's stack is mapped back to the
 * TypeScript sources on the error path only (shared/observability/logger.ts).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { LAMBDA_BUNDLING } from '../../../../bench/lib/bundle.js';
import { mapBundledPositions, mapStack, readSourceMap } from '../../../../shared/observability/logger.js';

describe('mapStack()', () => {
  const dir = mkdtempSync(join(tmpdir(), 'quota-logger-map-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('turns positions in a minified bundle into the sources’ lines', async () => {
    // Prepare: a bundle made as the Lambda asset is made, with its map beside it
    const source = join(dir, 'thrower.ts');
    writeFileSync(
      source,
      [
        'export function handler(): never {',
        '  const message: string = "boom";',
        '  throw new Error(message);',
        '}',
        '',
      ].join('\n'),
    );
    const file = join(dir, 'out', 'index.mjs');
    await build({ ...LAMBDA_BUNDLING, entryPoints: [source], outfile: file, absWorkingDir: dir });
    // Run it in a fresh Node without source maps, as Lambda starts it (this test runner maps stacks).
    const runner = join(dir, 'run.mjs');
    writeFileSync(
      runner,
      `try { (await import(${JSON.stringify(pathToFileURL(file).href)})).handler(); } catch (e) { process.stdout.write(e.stack); }`,
    );
    const stack = spawnSync(process.execPath, [runner], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH },
    }).stdout;
    expect(stack).toMatch(/index\.mjs:\d+:\d+/);
    const map = readSourceMap(`${file}.map`);
    expect(map).not.toBeNull();

    // Act
    const mapped = mapStack(
      `${stack}\n    at elsewhere (${file}:999:1)`,
      file,
      map as NonNullable<typeof map>,
    );

    // Assess: the throw is on line 3 of thrower.ts
    expect(mapped).toMatch(/thrower\.ts:3:\d+/);
    expect(mapped.split('\n')[1]).not.toMatch(/index\.mjs:/);
  });

  it('leaves every other log value alone, and a stack from elsewhere unchanged', () => {
    expect(mapBundledPositions('message', 'at /x/index.mjs:1:2')).toBe('at /x/index.mjs:1:2');
    expect(mapBundledPositions('stack', 'Error: x\n    at f (/elsewhere/index.mjs:1:2)')).toBe(
      'Error: x\n    at f (/elsewhere/index.mjs:1:2)',
    );
    expect(mapBundledPositions('count', 3)).toBe(3);
  });
});
