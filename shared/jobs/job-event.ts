/**
 * A scheduled job's input read without zod when it asks for nothing: a scheduled run sends `{}`
 * (infra/constructs/scheduled-job.ts), so a job whose own work needs no zod starts and runs without
 * evaluating it (bench: the coldstart rows). Anything else goes through the job's schema
 * (shared/schemas/jobs.ts), loaded for that case only.
 */
import type { z } from 'zod';
import { parseOrThrow } from '../schemas/issues.js';

/** Each job schema's fields, to read `{}` without loading the schemas (a unit test keeps them equal). */
export const JOB_EVENT_FIELDS = {
  risk: ['campaignId', 'asOf'],
  report: ['campaignId', 'unitId', 'week', 'final'],
  reorganise: ['campaignId'],
} as const;

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
