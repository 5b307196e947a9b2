/**
 * A scheduled job's input read without zod when it asks for nothing: a scheduled run sends `{}`
 * (infra/constructs/scheduled-job.ts), so a job whose own work needs no zod starts and runs without
 * evaluating it (bench: the coldstart rows). Anything else goes through the job's schema
 * (shared/schemas/jobs.ts), loaded for that case only.
 */
import type { z } from 'zod';
import { parseOrThrow } from '../schemas/issues.js';
import type { ReorganiseJobEvent, ReportJobEvent, RiskJobEvent } from '../schemas/jobs.js';

/** Each job schema's fields, to read `{}` without loading the schemas (a unit test keeps them equal). */
export const JOB_EVENT_FIELDS = {
  risk: ['campaignId', 'asOf'],
  report: ['campaignId', 'unitId', 'week', 'final'],
  reorganise: ['campaignId'],
} as const;

/** What each job's input is, once read. */
interface JobEvents {
  readonly risk: RiskJobEvent;
  readonly report: ReportJobEvent;
  readonly reorganise: ReorganiseJobEvent;
}
export type JobName = keyof typeof JOB_EVENT_FIELDS;

/**
 * `{}` when `event` is missing or a plain object that names none of `fields` (the schema, a
 * z.object, would strip its other fields to `{}` as well); otherwise undefined: the schema decides.
 */
export function emptyJobEvent(event: unknown, fields: readonly string[]): Record<string, never> | undefined {
  if (event === undefined || event === null) return {};
  if (typeof event !== 'object' || Array.isArray(event)) return undefined;
  const proto = Object.getPrototypeOf(event);
  if (proto !== Object.prototype && proto !== null) return undefined;
  return fields.some((field) => field in event) ? undefined : {};
}

/**
 * The job's input: `{}` read plainly, or `event` through the schema `load` gives (`Invalid <what>: …`).
 * `fields` are the schema's fields (a unit test keeps them equal).
 */
export async function jobInput<S extends z.ZodType>(
  event: unknown,
  fields: readonly string[],
  load: () => Promise<S>,
  what: string,
): Promise<z.infer<S> | Record<string, never>> {
  return emptyJobEvent(event, fields) ?? parseOrThrow(await load(), event ?? {}, what);
}

/** Each job's schema (shared/schemas/jobs.ts), loaded only for an input that is not `{}`. */
const JOB_SCHEMAS: { readonly [J in JobName]: () => Promise<z.ZodType<JobEvents[J]>> } = {
  risk: async () => (await import('../schemas/jobs.js')).RiskJobEvent,
  report: async () => (await import('../schemas/jobs.js')).ReportJobEvent,
  reorganise: async () => (await import('../schemas/jobs.js')).ReorganiseJobEvent,
};

/**
 * A scheduled job's input: `{}` from a schedule, read without zod; anything else through the job's
 * schema (`Invalid <job> job input: …`).
 */
export function readJobEvent<J extends JobName>(job: J, event: unknown): Promise<JobEvents[J]> {
  return jobInput(event, JOB_EVENT_FIELDS[job], JOB_SCHEMAS[job], `${job} job input`);
}
