/**
 * The topology's functions, loaded in-process and sorted by trigger: HTTP routes for the gateway,
 * stream consumers for the pollers, scheduled jobs for the scheduler. Each invocation gets a Lambda
 * context, as in AWS, so its log lines carry it.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import type { FunctionDeclaration } from '../../topology.js';
import { functions } from '../../topology.js';
import type { BoundRoute, LocalHandler } from '../gateway.js';
import { invokedLocally } from '../lambda-context.js';
import { REPO_ROOT } from '../paths.js';
import type { startStreamPoller } from '../stream-poller.js';

/** A scheduled function's handler: it takes the schedule's input ({} or { campaignId, asOf, … }). */
export type JobHandler = (event: Record<string, unknown>) => Promise<unknown>;

/** A stream-triggered function's handler as the poller calls it (functions/rollup.ts). */
export type StreamHandler = Parameters<typeof startStreamPoller>[0]['handler'];

export interface StreamFunction {
  readonly fn: FunctionDeclaration;
  readonly handler: StreamHandler;
}

export interface JobFunction {
  readonly fn: FunctionDeclaration;
  readonly handler: JobHandler;
}

export interface LoadedFunctions {
  readonly routes: BoundRoute[];
  readonly streamFunctions: StreamFunction[];
  /** By job name (see jobName). */
  readonly jobs: Map<string, JobFunction>;
}

/** Jobs are named after their function: Risk → `risk`. */
export const jobName = (fn: FunctionDeclaration) => fn.name.toLowerCase();

export async function loadFunctions(): Promise<LoadedFunctions> {
  const routes: BoundRoute[] = [];
  const streamFunctions: StreamFunction[] = [];
  const jobs = new Map<string, JobFunction>();
  for (const fn of functions) {
    const module = (await import(pathToFileURL(join(REPO_ROOT, fn.entry)).href)) as {
      handler: (event: unknown, context: Context) => Promise<unknown>;
    };
    const handler = invokedLocally(fn, module.handler);
    for (const route of fn.routes) {
      routes.push({ ...route, functionName: fn.name, handler: handler as LocalHandler });
    }
    if (fn.stream) streamFunctions.push({ fn, handler: handler as StreamHandler });
    if (fn.schedules) jobs.set(jobName(fn), { fn, handler: handler as JobHandler });
  }
  return { routes, streamFunctions, jobs };
}
