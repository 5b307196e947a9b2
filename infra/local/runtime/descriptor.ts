/** The running local system's descriptor (.local/runtime.json): how the CLIs find it. */
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

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
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
