/** One stream poller per stream-triggered function, with its mapping's settings (Lambda's rules). */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { TableKey } from '../../../shared/store/tables.js';
import type { FunctionDeclaration } from '../../topology.js';
import type { LocalPaths } from '../paths.js';
import { type StreamPoller, startStreamPoller } from '../stream-poller.js';
import type { StreamFunction } from './functions.js';

export interface LocalStreams {
  /** Waits until every record in the streams has been handled (or set aside). */
  drain(timeoutMs?: number): Promise<void>;
  /** Stops the stream pollers (checkpoints kept), as if Lambda's mappings were disabled. */
  pause(): Promise<void>;
  /** Starts them again from their checkpoints. */
  resume(): Promise<void>;
}

export interface LocalStreamsOptions {
  readonly streamFunctions: readonly StreamFunction[];
  readonly endpoint: string;
  readonly tableNames: Record<TableKey, string>;
  readonly paths: LocalPaths;
  /** Another batching window than the topology's (bench). */
  readonly streamWindowSeconds?: number;
  readonly log: (line: string) => void;
}

/** Starts the pollers; `pause` is also the cleanup that stops them. */
export async function startLocalStreams(options: LocalStreamsOptions): Promise<LocalStreams> {
  const { streamFunctions, endpoint, tableNames, paths, log } = options;
  await mkdir(paths.streams, { recursive: true });
  let pollers: StreamPoller[] = [];
  const startPollers = async () => {
    pollers = await Promise.all(
      streamFunctions.map(({ fn, handler }) => {
        const declared = fn.stream as NonNullable<FunctionDeclaration['stream']>;
        const trigger =
          options.streamWindowSeconds === undefined
            ? declared
            : { ...declared, maxBatchingWindowSeconds: options.streamWindowSeconds };
        return startStreamPoller({
          endpoint,
          tableName: tableNames[trigger.table],
          trigger,
          handler,
          checkpointFile: join(paths.streams, `${fn.name}.checkpoints.json`),
          failureFile: paths.streamFailures,
          log,
        });
      }),
    );
  };
  const stopPollers = async () => {
    const running = pollers;
    pollers = [];
    await Promise.all(running.map((p) => p.stop()));
  };
  await startPollers();
  return {
    drain: async (timeoutMs) => {
      await Promise.all(pollers.map((p) => p.drain(timeoutMs)));
    },
    pause: stopPollers,
    resume: async () => {
      if (pollers.length === 0) await startPollers();
    },
  };
}
