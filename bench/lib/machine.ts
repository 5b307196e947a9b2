/** What the benchmark ran on, for results.json and the README's example output. */
import { execFileSync, spawnSync } from 'node:child_process';
import { arch, availableParallelism, cpus, type as osType, release, totalmem } from 'node:os';

export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly os: string;
  readonly java: string | null;
}

/** `java -version`'s first line (it writes to stderr); null without Java. */
function javaVersion(): string | null {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error) return null;
  return `${result.stderr}${result.stdout}`.split('\n')[0]?.trim() || null;
}

export function machineInfo(): MachineInfo {
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${osType()} ${release()} ${arch()}`,
    java: javaVersion(),
  };
}

/** HEAD's commit, with `-dirty` when the work tree has changes; null outside git. */
export function gitCommit(cwd: string): string | null {
  try {
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd, encoding: 'utf8', stdio: 'pipe' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], {
      cwd,
      encoding: 'utf8',
      stdio: 'pipe',
    }).trim();
    return dirty ? `${head}-dirty` : head;
  } catch {
    return null;
  }
}
