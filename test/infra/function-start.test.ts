/**
 * What each function evaluates when Lambda loads it (the bench's `coldstart.*` rows: within 1.2× of
 * a bare-SDK handler). zod's own module code was the largest part of a start beyond the SDK clients,
 * so no function reaches zod by static imports: schemas load by `import()` in the route or job that
 * parses with them (docs/ARCHITECTURE.md §2, schemas/). Read from esbuild's import graph of
 * each function of the topology, bundled as deployed; a static import of a schema module on a start
 * path fails here with the chain that pulls zod in.
 */
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { LAMBDA_BUNDLING } from '../../bench/lib/bundle.js';
import { REPO_ROOT } from '../../infra/local/paths.js';
import { functions } from '../../infra/topology.js';

/** The chain of static imports from `entry` to the first module under `packagePath`, or null. */
async function staticChainTo(entry: string, packagePath: string): Promise<string[] | null> {
  const { metafile } = await build({
    ...LAMBDA_BUNDLING,
    entryPoints: [entry],
    outfile: 'index.mjs',
    absWorkingDir: REPO_ROOT,
    write: false,
    metafile: true,
  });
  const parent = new Map<string, string | null>([[entry, null]]);
  const queue = [entry];
  for (let module = queue.shift(); module !== undefined; module = queue.shift()) {
    if (module.includes(packagePath)) {
      const chain: string[] = [];
      for (let m: string | null | undefined = module; m; m = parent.get(m)) chain.unshift(m);
      return chain;
    }
    for (const imported of metafile.inputs[module]?.imports ?? []) {
      if (imported.kind === 'dynamic-import' || imported.external || parent.has(imported.path)) continue;
      parent.set(imported.path, module);
      queue.push(imported.path);
    }
  }
  return null;
}

describe('function start', () => {
  it.each(functions.map((fn) => [fn.name, fn.entry]))(
    '%s reaches zod by no static import (schemas load at first use)',
    async (_name, entry) => {
      expect(await staticChainTo(entry, 'node_modules/zod/')).toBeNull();
    },
  );

  it('finds the chain when a start path imports a schema module statically', async () => {
    // The check can fail: env.ts (the environment's zod schema) imports zod eagerly.
    const chain = await staticChainTo('shared/config/env.ts', 'node_modules/zod/');
    expect(chain?.[0]).toBe('shared/config/env.ts');
    expect(chain?.at(-1)).toMatch(/node_modules\/zod\//);
  });
});
