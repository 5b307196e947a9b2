/**
 * `npm run lock:complete`: the npm registry these machines reach holds only the Linux builds of
 * some platform packages (Biome's), so `npm install` leaves the other platforms' optional
 * entries out of package-lock.json, and `npm ci` then refuses the lock ("Missing: … from lock
 * file"). This adds those entries back with their platform fields (npm skips them on other
 * platforms without fetching). Run it after any `npm install`; test/unit/infra/tools/complete-lock.test.ts fails
 * until the lock is complete.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../local/paths.js';

interface LockPackage {
  version?: string;
  optionalDependencies?: Record<string, string>;
  [key: string]: unknown;
}
interface Lock {
  packages: Record<string, LockPackage>;
}

/** Platform fields of the packages known to be missing from the reachable registry. */
const PLATFORMS: Record<string, { os: string[]; cpu: string[]; libc?: string[] }> = {
  'android-arm64': { os: ['android'], cpu: ['arm64'] },
  'android-x64': { os: ['android'], cpu: ['x64'] },
  'darwin-arm64': { os: ['darwin'], cpu: ['arm64'] },
  'darwin-x64': { os: ['darwin'], cpu: ['x64'] },
  'linux-arm64-musl': { os: ['linux'], cpu: ['arm64'], libc: ['musl'] },
  'linux-x64-musl': { os: ['linux'], cpu: ['x64'], libc: ['musl'] },
  'win32-arm64': { os: ['win32'], cpu: ['arm64'] },
  'win32-x64': { os: ['win32'], cpu: ['x64'] },
};

export const LOCK_FILE = join(REPO_ROOT, 'package-lock.json');

/** Optional dependencies named by a locked package but absent from the lock. */
export function missingOptionals(lock: Lock): { name: string; version: string; parent: string }[] {
  const missing: { name: string; version: string; parent: string }[] = [];
  for (const [path, pkg] of Object.entries(lock.packages)) {
    for (const [name, version] of Object.entries(pkg.optionalDependencies ?? {})) {
      if (!resolves(lock, path, name)) missing.push({ name, version, parent: path });
    }
  }
  return missing;
}

/** Node's lookup: <path>/node_modules/<name>, then each enclosing node_modules up to the root. */
function resolves(lock: Lock, from: string, name: string): boolean {
  let dir = from;
  for (;;) {
    if (lock.packages[dir ? `${dir}/node_modules/${name}` : `node_modules/${name}`]) return true;
    if (!dir) return false;
    const cut = dir.lastIndexOf('/node_modules/');
    dir = cut >= 0 ? dir.slice(0, cut) : '';
  }
}

export function completeLock(lock: Lock): string[] {
  const added: string[] = [];
  for (const { name, version, parent } of missingOptionals(lock)) {
    const platform = Object.entries(PLATFORMS).find(([suffix]) => name.endsWith(`-${suffix}`))?.[1];
    if (!platform)
      throw new Error(`${name} (optional dependency of ${parent}) is missing and its platform is unknown`);
    const parentPkg = lock.packages[parent];
    lock.packages[`node_modules/${name}`] = {
      version: version.replace(/^[\^~=]/, ''),
      ...platform,
      ...(parentPkg?.dev === true && { dev: true }),
      optional: true,
    };
    added.push(name);
  }
  lock.packages = Object.fromEntries(
    Object.entries(lock.packages).sort(([a], [b]) =>
      a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0,
    ),
  );
  return added;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const lock = JSON.parse(readFileSync(LOCK_FILE, 'utf8')) as Lock;
  const added = completeLock(lock);
  writeFileSync(LOCK_FILE, `${JSON.stringify(lock, null, 2)}\n`);
  console.log(added.length > 0 ? `added ${added.join(', ')}` : 'package-lock.json is complete');
}
