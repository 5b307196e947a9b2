/**
 * Runs `npm start`'s entry point (infra/local/main.ts) as a child process, as a user would,
 * with its state in a temporary directory, and the CLIs against it.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../infra/local/paths.js';

const TSX = join(REPO_ROOT, 'node_modules', '.bin', 'tsx');

export interface RunningSystem {
  readonly url: string;
  readonly process: ChildProcess;
  readonly output: () => string;
  readonly startSeconds: number;
  /** Sends the signal to the whole process group, as a terminal's Ctrl-C does, and waits for exit. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function startSystem(
  localDir: string,
  args: string[] = [],
  timeoutMs = 60_000,
): Promise<RunningSystem> {
  const started = Date.now();
  const child = spawn(TSX, ['infra/local/main.ts', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, QUOTA_LOCAL_DIR: localDir },
    detached: true, // its own process group, like a terminal job
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => {
    output += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    output += c.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`not ready within ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const check = () => {
      const match = /^ready (http:\/\/127\.0\.0\.1:\d+)$/m.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    process: child,
    output: () => output,
    startSeconds: (Date.now() - started) / 1000,
    stop: async (signal = 'SIGINT') => {
      if (child.exitCode !== null) return child.exitCode;
      if (child.pid) process.kill(-child.pid, signal);
      return exited;
    },
  };
}

/** Runs a CLI (`npm run <name>`'s entry) against the local system in `localDir`. */
export function runCli(localDir: string, script: string, args: string[]) {
  const result = spawnSync(TSX, [script, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, QUOTA_LOCAL_DIR: localDir },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

export interface ScriptRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * A script of the repository (`npm run <name>`'s entry, bench/e2e-child.ts) run with tsx as a child
 * process, without blocking this one, to its end; after `timeoutMs` it is told to stop (SIGTERM),
 * `onTimeout` first.
 */
export function runScript(
  script: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; onTimeout?: () => void } = {},
): Promise<ScriptRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [script, ...args], {
      cwd: REPO_ROOT,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            options.onTimeout?.();
            child.kill('SIGTERM');
          }, options.timeoutMs);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Processes whose command line mentions `needle` (e.g. the state directory), from /proc. */
export function processesMentioning(needle: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (cmdline.includes(needle) && Number(pid) !== process.pid) found.push(`${pid}: ${cmdline}`);
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}
