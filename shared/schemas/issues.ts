import type { z } from 'zod';
import type { FieldError } from '../vocabulary/problem.js';

/** zod issues as one line: `count: must be at least 1; kind: …` (a message alone when it has no path). */
export function issuesText(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((i) => (i.path.length > 0 ? `${i.path.map(String).join('.')}: ${i.message}` : i.message))
    .join('; ');
}

/** Parses `value` or throws `Invalid <what>: <issues>` (job inputs, configuration). */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Error(`Invalid ${what}: ${issuesText(parsed.error.issues)}`);
  return parsed.data;
}

/** Zod issues as the API's `errors: [{ path, message }]`, and as the CLI's one-line messages. */
export function fieldErrors(issues: readonly z.core.$ZodIssue[], root = '(body)'): FieldError[] {
  return issues.map((issue) =>
    issue.code === 'unrecognized_keys'
      ? { path: issue.keys.join(', '), message: 'is not a known field' }
      : { path: issue.path.map(String).join('.') || root, message: issue.message },
  );
}
