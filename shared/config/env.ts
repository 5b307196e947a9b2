/**
 * Function configuration, parsed from process.env once when a module loads: a missing or bad
 * variable fails the cold start with a clear message instead of failing a request later.
 *
 * The zod schema is the definition (types, messages). At load, a plain check of the same rules
 * (`ENV_RULES`) reads the usual environment without touching zod: building and first running a zod
 * schema at load was the largest part of what a function's cold start spent beyond its AWS SDK
 * clients (bench: the coldstart rows). Anything the plain check does not accept as clearly valid
 * goes through the schema, which gives the value or the message; test/unit/env.test.ts checks that
 * both agree and that every variable of the schema has its rule.
 */
import * as z from 'zod';
import { issuesText } from '../schemas/issues.js';
import { lazySchema } from '../schemas/lazy.js';

const FunctionEnv = lazySchema(() =>
  z.object({
    CAMPAIGN_TABLE: z.string().min(3).optional(),
    INTAKE_EVENTS_TABLE: z.string().min(3).optional(),
    /** Set only by the local runtime: DynamoDB Local's URL. */
    DYNAMODB_ENDPOINT: z.url().optional(),
    /** Seconds a function keeps the unit catalogue in memory. */
    CATALOG_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  }),
);
export type FunctionEnv = z.infer<typeof FunctionEnv>;
/** The schema itself (tests compare the plain check with it). */
export const FunctionEnvSchema = FunctionEnv;

/** A rule the plain check applies; it accepts a subset of what the schema accepts, never more. */
export type EnvRule =
  | { readonly kind: 'text'; readonly minLength: number }
  | { readonly kind: 'httpUrl' }
  | { readonly kind: 'integer'; readonly min: number; readonly max: number; readonly default: number };

/** One rule per variable of the schema (the type makes a new variable without a rule a compile error). */
export const ENV_RULES: { readonly [K in keyof Required<FunctionEnv>]: EnvRule } = {
  CAMPAIGN_TABLE: { kind: 'text', minLength: 3 },
  INTAKE_EVENTS_TABLE: { kind: 'text', minLength: 3 },
  DYNAMODB_ENDPOINT: { kind: 'httpUrl' },
  CATALOG_CACHE_SECONDS: { kind: 'integer', min: 0, max: 3600, default: 60 },
};

const HTTP_URL = /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?(\/[A-Za-z0-9._~/-]*)?$/;
const DIGITS = /^\d{1,9}$/;

/**
 * The environment read by the rules alone, or undefined when any variable is not clearly valid
 * (absent is fine; the schema then decides, and explains).
 */
export function plainEnv(env: Readonly<Record<string, unknown>>): FunctionEnv | undefined {
  const out: Record<string, string | number> = {};
  for (const [name, rule] of Object.entries(ENV_RULES) as [string, EnvRule][]) {
    const raw = env[name];
    if (raw === undefined) {
      if (rule.kind === 'integer') out[name] = rule.default;
      continue;
    }
    if (typeof raw !== 'string') return undefined;
    if (rule.kind === 'text') {
      if (raw.length < rule.minLength) return undefined;
      out[name] = raw;
    } else if (rule.kind === 'httpUrl') {
      if (!HTTP_URL.test(raw)) return undefined;
      out[name] = raw;
    } else {
      if (!DIGITS.test(raw)) return undefined;
      const n = Number(raw);
      if (n < rule.min || n > rule.max) return undefined;
      out[name] = n;
    }
  }
  return out as FunctionEnv;
}

export function parseEnv(env: NodeJS.ProcessEnv = process.env): FunctionEnv {
  const plain = plainEnv(env);
  if (plain) return plain;
  // jitless: a one-off parse; compiling zod's fast path for it would cost more than it saves.
  const result = FunctionEnv.safeParse(env, { jitless: true });
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
