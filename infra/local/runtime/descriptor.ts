/** The running local system's descriptor (.local/runtime.json): how the CLIs find it. */
import { readFileSync } from 'node:fs';
import { readFile, unlink, writeFile } from 'node:fs/promises';
import type { TableKey } from '../../../shared/store/tables.js';
import { type LocalPaths, localPaths } from '../paths.js';

/** What CLIs read to find the running local system (.local/runtime.json). */
export interface RuntimeDescriptor {
  readonly pid: number;
  readonly url: string;
  readonly dynamoEndpoint: string;
  /** DynamoDB Local's java process, so an operator (or a test) can check nothing is left behind. */
  readonly dynamoPid: number | null;
  readonly tables: Record<TableKey, string>;
  readonly startedAt: string;
}

/** The state letter of a /proc/<pid>/stat line (`R`, `S`, `Z`…), or null; the name in parentheses may hold anything. */
export function processState(stat: string): string | null {
  const close = stat.lastIndexOf(')');
  return close < 0 ? null : stat.slice(close + 2, close + 3) || null;
}

/**
 * Whether the process runs. One killed but not yet reaped (a zombie, as a `kill -9`ed system is for a
 * moment) has exited: it counts as gone, so the system can be started again at once.
 */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const state = processState(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    return state !== 'Z' && state !== 'X';
  } catch {
    return true; // no /proc (not Linux): the signal said it exists
  }
}

/** The descriptor of a local system whose process is alive, or null. */
export async function readRuntimeDescriptor(
  paths: LocalPaths = localPaths(),
): Promise<RuntimeDescriptor | null> {
  try {
    const descriptor = JSON.parse(await readFile(paths.runtime, 'utf8')) as RuntimeDescriptor;
    return isAlive(descriptor.pid) ? descriptor : null;
  } catch {
    return null;
  }
}

/** Writes the descriptor; the returned cleanup removes it. */
export async function writeRuntimeDescriptor(
  paths: LocalPaths,
  descriptor: RuntimeDescriptor,
): Promise<() => Promise<void>> {
  await writeFile(paths.runtime, `${JSON.stringify(descriptor, null, 2)}\n`);
  return () => unlink(paths.runtime).catch(() => {});
}
