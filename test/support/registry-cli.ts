/** A registry CLI (recipients, silences, acknowledgements) run in-process against stores the test holds. */
import { beforeEach } from 'vitest';
import type { RegistryCliContext } from '../../infra/local/cli/command-line.js';

export interface InProcessCli<W> {
  /** Runs the CLI with these arguments; the exit code. */
  readonly cli: (...args: string[]) => Promise<number>;
  /** What it wrote on stdout and stderr, one line each (emptied before each test). */
  readonly out: string[];
  readonly err: string[];
  /** The stores of the current test. */
  world(): W;
}

/**
 * The CLI over a fresh world of stores (`aWorld`) and empty stdout/stderr before each test of the
 * calling describe block; every target resolves to that world, described as the stage or the local system.
 */
export function inProcessCli<W extends object>(
  run: (
    args: readonly string[],
    context: RegistryCliContext<NoInfer<W> & { readonly description: string }>,
  ) => Promise<number>,
  aWorld: () => Promise<W>,
  clock?: () => Date,
): InProcessCli<W> {
  const out: string[] = [];
  const err: string[] = [];
  let world: W | undefined;
  beforeEach(async () => {
    world = await aWorld();
    out.length = 0;
    err.length = 0;
  });
  const current = () => {
    if (!world) throw new Error('inProcessCli: the world is built before each test');
    return world;
  };
  return {
    cli: (...args) =>
      run(args, {
        resolve: async (stage) => ({
          description: stage ? `stage ${stage}` : 'local system at test',
          ...current(),
        }),
        out: (line) => out.push(line),
        err: (line) => err.push(line),
        actor: 'cli:tester',
        ...(clock && { clock }),
      }),
    out,
    err,
    world: current,
  };
}
