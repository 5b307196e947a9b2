/** A registry CLI (recipients, silences, acknowledgements) run in-process against stores the test holds. */
import type { RegistryCliContext } from '../../infra/local/cli/command-line.js';

export interface InProcessCli {
  /** Runs the CLI with these arguments; the exit code. */
  readonly cli: (...args: string[]) => Promise<number>;
  /** What it wrote on stdout and stderr, one line each (cleared by `clear`). */
  readonly out: string[];
  readonly err: string[];
  clear(): void;
}

export function inProcessCli<T>(
  run: (args: readonly string[], context: RegistryCliContext<T>) => Promise<number>,
  target: (stage: string | undefined) => T,
  clock?: () => Date,
): InProcessCli {
  const out: string[] = [];
  const err: string[] = [];
  return {
    cli: (...args) =>
      run(args, {
        resolve: async (stage) => target(stage),
        out: (line) => out.push(line),
        err: (line) => err.push(line),
        actor: 'cli:tester',
        ...(clock && { clock }),
      }),
    out,
    err,
    clear() {
      out.length = 0;
      err.length = 0;
    },
  };
}
