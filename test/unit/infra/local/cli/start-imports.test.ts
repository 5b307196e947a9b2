/**
 * What the CLIs load: none reaches oidc-provider (the local identity provider's library, which only
 * `npm start` serves) by a static import. Loading it cost every CLI its start-up time and printed its
 * "Unsupported runtime" warning on Node 20, `npm run token` included, which signs with jose alone
 * (infra/local/tokens.ts). Read from esbuild's import graph of each CLI.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../../../infra/local/paths.js';

/** The chain of static imports from `entry` (a repository path) to the package, or null. */
async function staticChainTo(entry: string, packageName: string): Promise<string[] | null> {
  const { metafile } = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    outfile: 'out.mjs',
    absWorkingDir: REPO_ROOT,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const parent = new Map<string, string | null>([[entry, null]]);
  const queue = [entry];
  for (let module = queue.shift(); module !== undefined; module = queue.shift()) {
    for (const imported of metafile.inputs[module]?.imports ?? []) {
      if (imported.kind === 'dynamic-import') continue;
      if (imported.path === packageName || imported.path.startsWith(`${packageName}/`)) {
        const chain = [imported.path];
        for (let m: string | null | undefined = module; m; m = parent.get(m)) chain.unshift(m);
        return chain;
      }
      if (imported.external || parent.has(imported.path)) continue;
      parent.set(imported.path, module);
      queue.push(imported.path);
    }
  }
  return null;
}

/** The scripts package.json runs from infra/local/cli (token, job, campaign, recipients, …). */
const CLIS = readdirSync(join(REPO_ROOT, 'infra', 'local', 'cli'))
  .filter((name) =>
    /^(token|job|campaign|recipients|silences|acknowledgements|users|clients)\.ts$/.test(name),
  )
  .map((name) => `infra/local/cli/${name}`);

describe('CLI start-up imports', () => {
  it('knows the eight CLIs', () => {
    expect(CLIS).toHaveLength(8);
  });

  it.each(CLIS)('%s reaches oidc-provider by no static import', async (entry) => {
    expect(await staticChainTo(entry, 'oidc-provider')).toBeNull();
  });

  it('finds the chain where there is one: npm start serves the identity provider', async () => {
    const chain = await staticChainTo('infra/local/main.ts', 'oidc-provider');
    expect(chain?.[0]).toBe('infra/local/main.ts');
    expect(chain?.at(-1)).toBe('oidc-provider');
  });
});
