/**
 * The local runtime in-process for an e2e describe block: a fresh state directory, the system started
 * on a free port before the block's tests and stopped (the directory removed) after them, and tokens
 * signed with its local keys.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { localPaths } from '../../infra/local/paths.js';
import { type LocalSystem, type LocalSystemOptions, startLocalSystem } from '../../infra/local/runtime.js';
import { loadOrCreateKeys, mintToken, type TokenRequest } from '../../infra/local/tokens.js';

export interface LocalRuntime {
  readonly dir: string;
  readonly paths: ReturnType<typeof localPaths>;
  /** The running system: set before the block's tests run. */
  readonly system: LocalSystem;
  /** A bearer token signed with the system's local keys. */
  token(request: TokenRequest): Promise<string>;
  /** GET `path` with the bearer token: expects 200 and gives the JSON body. */
  getJson<T>(path: string, bearer: string): Promise<T>;
}

export function useLocalRuntime(
  prefix: string,
  options: Omit<LocalSystemOptions, 'port' | 'paths'> = {},
  ready?: (runtime: LocalRuntime) => Promise<void>,
  timeoutMs?: number,
): LocalRuntime {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const paths = localPaths(dir);
  let system: LocalSystem | undefined;
  const runtime: LocalRuntime = {
    dir,
    paths,
    get system() {
      if (!system) throw new Error('the local system is not started yet');
      return system;
    },
    token: async (request) => mintToken(await loadOrCreateKeys(paths.keys), request),
    getJson: async <T>(path: string, bearer: string) => {
      const response = await fetch(`${runtime.system.url}${path}`, {
        headers: { authorization: `Bearer ${bearer}` },
      });
      expect(response.status, path).toBe(200);
      return (await response.json()) as T;
    },
  };
  beforeAll(async () => {
    system = await startLocalSystem({ port: 0, paths, ...options });
    await ready?.(runtime);
  }, timeoutMs);
  afterAll(async () => {
    await system?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return runtime;
}
