import type { z } from 'zod';

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
