/**
 * The function environment read without zod: the plain rules (`ENV_RULES`), `loadEnv` for a
 * function's start and `readEnv`/`currentEnv` at use. The schema that defines the environment (types,
 * messages) is shared/config/env.ts; it is loaded only when the rules do not clearly accept an
 * environment, so a function whose own code needs no zod (the scheduled jobs) starts without
 * evaluating zod at all (bench: the coldstart rows). env.ts re-exports all of this.
 */
import type { EnvName, FunctionEnv } from './env.js';

export const DEFAULT_METRICS_NAMESPACE = 'QuotaCampaign';

/** A rule the plain check applies; it accepts a subset of what the schema accepts, never more. */
export type EnvRule =
  | { readonly kind: 'text'; readonly minLength: number; readonly prefix?: string; readonly default?: string }
  | { readonly kind: 'httpUrl' }
  | { readonly kind: 'integer'; readonly min: number; readonly max: number; readonly default: number };

const text = (minLength: number): EnvRule => ({ kind: 'text', minLength });

/** One rule per variable of the schema (the type makes a new variable without a rule a compile error). */
export const ENV_RULES: { readonly [K in keyof Required<FunctionEnv>]: EnvRule } = {
  CAMPAIGN_TABLE: text(3),
  INTAKE_EVENTS_TABLE: text(3),
  DYNAMODB_ENDPOINT: { kind: 'httpUrl' },
  CATALOG_CACHE_SECONDS: { kind: 'integer', min: 0, max: 3600, default: 60 },
  POWERTOOLS_SERVICE_NAME: text(1),
  POWERTOOLS_METRICS_NAMESPACE: { kind: 'text', minLength: 1, default: DEFAULT_METRICS_NAMESPACE },
  POWERTOOLS_LOG_LEVEL: text(1),
  POWERTOOLS_METRICS_DISABLED: text(0),
  LOG_LEVEL: text(1),
  AWS_LAMBDA_FUNCTION_NAME: text(1),
  ROLLUP_FAILURE_QUEUE_URL: text(1),
  ROLLUP_FAILURE_FILE: text(1),
  ALERTS_TOPIC_ARN: { kind: 'text', minLength: 0, prefix: 'arn:' },
  LOCAL_ALERTS_FILE: text(1),
  DASHBOARD_URL: text(1),
  USER_POOL_ID: text(1),
  RESOURCE_SERVER_ID: text(1),
  LOCAL_IDENTITY_KEYS_DIR: text(1),
  REORGANISE_SETTLE_SECONDS: { kind: 'integer', min: 0, max: 3600, default: 30 },
};
/** Every variable name the schema declares. */
export const ENV_NAMES = Object.keys(ENV_RULES) as EnvName[];

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
      if ((rule.kind === 'integer' || rule.kind === 'text') && rule.default !== undefined)
        out[name] = rule.default;
      continue;
    }
    // An environment parsed before (parseEnv's own output, handed on to publisherFromEnv and the
    // like) holds its integers as numbers: within the rule's range they read as they are.
    if (typeof raw === 'number' && rule.kind === 'integer') {
      if (!Number.isInteger(raw) || raw < rule.min || raw > rule.max) return undefined;
      out[name] = raw;
      continue;
    }
    if (typeof raw !== 'string') return undefined;
    if (rule.kind === 'text') {
      if (raw.length < rule.minLength) return undefined;
      if (rule.prefix !== undefined && !raw.startsWith(rule.prefix)) return undefined;
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

/** The schema's own reading (env.ts registers it when it loads), for what the rules do not accept. */
let bySchema: ((env: Readonly<Record<string, unknown>>) => FunctionEnv) | undefined;

/** Called by env.ts when it loads: from then on, `readEnv` falls back to the schema. */
export function useEnvSchema(parse: (env: Readonly<Record<string, unknown>>) => FunctionEnv): void {
  bySchema = parse;
}

/**
 * A function's environment at its start (`const env = await loadEnv()` at module scope): by the
 * rules, else through the schema, loaded for that case only, which gives the value or fails the
 * cold start naming the variable (`Invalid function environment: …`), exactly as `parseEnv` does.
 */
export async function loadEnv(env: Readonly<Record<string, unknown>> = process.env): Promise<FunctionEnv> {
  const plain = plainEnv(env);
  if (plain) return plain;
  const { parseEnv } = await import('./env.js');
  return parseEnv(env);
}

/**
 * The environment by the rules, else through the schema when it is loaded (always in a process that
 * imports env.ts; in one that started with `loadEnv`, whenever its start needed it). An environment
 * the rules refuse while the schema was never loaded is refused naming what the rules refused.
 */
export function readEnv(env: Readonly<Record<string, unknown>>): FunctionEnv {
  const plain = plainEnv(env);
  if (plain) return plain;
  if (bySchema) return bySchema(env);
  const refused = ENV_NAMES.filter(
    (name) => env[name] !== undefined && plainEnv({ [name]: env[name] }) === undefined,
  );
  throw new Error(`Invalid function environment: ${refused.map((n) => `${n}: not accepted`).join('; ')}`);
}

/**
 * The environment as it is now, for the few settings the local runtime sets after the modules
 * loaded (DASHBOARD_URL, LOCAL_IDENTITY_KEYS_DIR): read at use, still through the rules.
 */
export const currentEnv = (): FunctionEnv => readEnv(process.env);

export function requireVar<K extends EnvName>(env: FunctionEnv, name: K): NonNullable<FunctionEnv[K]> {
  const value = env[name];
  if (value === undefined || value === null) throw new Error(`Missing environment variable ${String(name)}`);
  return value as NonNullable<FunctionEnv[K]>;
}

/**
 * A setting with an AWS variable and, optionally, a local stand-in. Inside Lambda
 * (AWS_LAMBDA_FUNCTION_NAME set) the AWS one is required unless the local one is there, so a stack
 * that forgot it fails at load with its name; outside Lambda neither is (tests, tools), and the
 * caller decides what having neither means.
 */
export function awsOrLocal<A extends EnvName, L extends EnvName = never>(
  env: FunctionEnv,
  aws: A,
  local?: L,
): { readonly aws: FunctionEnv[A] | undefined; readonly local: FunctionEnv[L] | undefined } {
  const localValue = local === undefined ? undefined : env[local];
  if (env[aws] === undefined && localValue === undefined && env.AWS_LAMBDA_FUNCTION_NAME !== undefined) {
    throw new Error(`Missing environment variable ${aws}`);
  }
  return { aws: env[aws], local: localValue };
}
