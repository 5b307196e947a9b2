/**
 * The simulator's system lifecycle: its own local system on a fresh temporary store (started in
 * this process, its console lines sent to a log file), or the running `npm start` found through its
 * runtime descriptor; and, at the end, stopping it and keeping or removing the temporary store.
 */
import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LocalPaths, localPaths } from '../paths.js';
import { type LocalSystem, readRuntimeDescriptor, startLocalSystem } from '../runtime.js';
import type { ProgressBar } from './progress.js';
import { SimulationSetupError } from './scenario.js';

/** The system a simulation runs against. */
export interface SimulatedSystem {
  readonly url: string;
  readonly paths: LocalPaths;
  /** Our own in-process system; null when attached to the running one. */
  readonly system: LocalSystem | null;
  /** The temporary state directory of our own system; null when attached. */
  readonly stateDir: string | null;
  readonly restoreConsole: () => void;
}

/** Lines the in-process functions print (each alert delivery, …) go to a log file, not over the bar. */
function captureConsole(file: string): () => void {
  const original = { log: console.log, info: console.info };
  let chain = Promise.resolve();
  const write = (...args: unknown[]) => {
    const line = `${args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}\n`;
    chain = chain.then(() => appendFile(file, line)).catch(() => {});
  };
  console.log = write;
  console.info = write;
  return () => {
    console.log = original.log;
    console.info = original.info;
  };
}

let inProcessStarted = false;

/**
 * Attaches to the running system, or starts our own on a fresh temporary store (once per process:
 * the function modules keep their first DynamoDB endpoint). `timeStart` times the start itself.
 */
export async function openSystem(options: {
  readonly attach: boolean;
  readonly runTag: string;
  readonly bar: ProgressBar;
  readonly timeStart: (work: () => Promise<LocalSystem>) => Promise<LocalSystem>;
}): Promise<SimulatedSystem> {
  const { bar } = options;
  if (options.attach) {
    const paths = localPaths();
    const running = await readRuntimeDescriptor(paths);
    if (!running) {
      throw new SimulationSetupError(
        `--attach: the local system is not running (no ${paths.runtime}); start it with \`npm start\``,
        1,
      );
    }
    bar.note(`attached to ${running.url} (state in ${paths.dir}); eventIds tagged "${options.runTag}"`);
    return { url: running.url, paths, system: null, stateDir: null, restoreConsole: () => {} };
  }
  if (inProcessStarted) {
    throw new Error(
      'runSimulation starts its own local system once per process (the function modules keep their first DynamoDB endpoint); run it in a new process',
    );
  }
  inProcessStarted = true;
  const stateDir = await mkdtemp(join(tmpdir(), 'quota-simulate-'));
  const paths = localPaths(stateDir);
  const logFile = join(stateDir, 'simulate.log');
  const restoreConsole = captureConsole(logFile);
  bar.note(`starting a local system on a fresh store in ${stateDir} …`);
  let system: LocalSystem;
  try {
    system = await options.timeStart(() =>
      startLocalSystem({
        port: 0,
        paths,
        schedules: false,
        loadDemo: false,
        log: (line) => void appendFile(logFile, `${line}\n`).catch(() => {}),
      }),
    );
  } catch (error) {
    restoreConsole();
    await rm(stateDir, { recursive: true, force: true });
    throw error;
  }
  return { url: system.url, paths, system, stateDir, restoreConsole };
}

/** Stops our own system and keeps its state directory (`keepState`) or removes it. */
export async function closeSystem(
  opened: SimulatedSystem,
  bar: ProgressBar,
  keepState: boolean,
): Promise<void> {
  if (opened.system) await opened.system.stop();
  opened.restoreConsole();
  if (opened.stateDir) {
    if (keepState) bar.note(`state kept in ${opened.stateDir} (alerts.jsonl, simulate.log, dynamodb/)`);
    else await rm(opened.stateDir, { recursive: true, force: true });
  }
}
