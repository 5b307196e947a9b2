/**
 * Function configuration, parsed from process.env once when a module loads: a missing or bad
 * variable fails the cold start with a clear message instead of failing a request later.
 */
import * as z from 'zod';
import { issuesText } from '../schemas/issues.js';

const FunctionEnv = z.object({
  CAMPAIGN_TABLE: z.string().min(3).optional(),
  INTAKE_EVENTS_TABLE: z.string().min(3).optional(),
  /** Set only by the local runtime: DynamoDB Local's URL. */
  DYNAMODB_ENDPOINT: z.url().optional(),
  /** Seconds a function keeps the unit catalogue in memory. */
  CATALOG_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
});
export type FunctionEnv = z.infer<typeof FunctionEnv>;

export function parseEnv(env: NodeJS.ProcessEnv = process.env): FunctionEnv {
  const result = FunctionEnv.safeParse(env);
  if (!result.success) {
    const detail = issuesText(result.error.issues);
    throw new Error(`Invalid function environment: ${detail}`);
  }
  return result.data;
}

export function requireVar<K extends keyof FunctionEnv>(
  env: FunctionEnv,
  name: K,
): NonNullable<FunctionEnv[K]> {
  const value = env[name];
  if (value === undefined || value === null) throw new Error(`Missing environment variable ${String(name)}`);
  return value as NonNullable<FunctionEnv[K]>;
}
