/**
 * Function configuration: every environment variable the code of functions/ and shared/ reads is
 * declared here, and read only through here (test/unit/shared/config/env.test.ts keeps it so). It is
 * parsed once when a module loads, so a missing or bad variable fails the cold start with its name
 * instead of failing a request later. Who sets what: the stack (infra/constructs/, from the
 * topology) in AWS, the local runtime (infra/local/runtime.ts) under `npm start`.
 *
 * The zod schema is the definition (types, messages). At load, a plain check of the same rules
 * (`ENV_RULES`) reads the usual environment without touching zod: building and first running a zod
 * schema at load was the largest part of what a function's cold start spent beyond its AWS SDK
 * clients (bench: the coldstart rows). Anything the plain check does not accept as clearly valid
 * goes through the schema, which gives the value or the message; test/unit/shared/config/env-rules.test.ts
 * checks that both agree and that every variable of the schema has its rule.
 */
import * as z from 'zod';
import { issuesText } from '../schemas/issues.js';
import { lazySchema } from '../schemas/lazy.js';

const DEFAULT_METRICS_NAMESPACE = 'QuotaCampaign';

const FunctionEnv = lazySchema(() => {
  const Path = z.string().min(1);
  return z.object({
    // Tables (infra/topology.ts `tableEnvironment`: each function gets the tables it declares).
    CAMPAIGN_TABLE: z.string().min(3).optional(),
    INTAKE_EVENTS_TABLE: z.string().min(3).optional(),
    /** Set only by the local runtime: DynamoDB Local's URL. */
    DYNAMODB_ENDPOINT: z.url().optional(),
    /** Seconds a function keeps the unit catalogue in memory. */
    CATALOG_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),

    // Powertools (the stack sets the service name and namespace; the local runtime the level).
    POWERTOOLS_SERVICE_NAME: z.string().min(1).optional(),
    POWERTOOLS_METRICS_NAMESPACE: z.string().min(1).default(DEFAULT_METRICS_NAMESPACE),
    POWERTOOLS_LOG_LEVEL: z.string().min(1).optional(),
    POWERTOOLS_METRICS_DISABLED: z.string().optional(),
    LOG_LEVEL: z.string().min(1).optional(),
    /** Set by Lambda itself: present only inside Lambda, where AWS-only settings are required. */
    AWS_LAMBDA_FUNCTION_NAME: z.string().min(1).optional(),

    // The roll-up's poison records: an SQS queue in AWS, a file locally.
    ROLLUP_FAILURE_QUEUE_URL: z.string().min(1).optional(),
    ROLLUP_FAILURE_FILE: Path.optional(),

    // Alerts: the SNS topic in AWS, the local SNS stand-in's file under `npm start`.
    ALERTS_TOPIC_ARN: z.string().startsWith('arn:', 'must be an SNS topic ARN').optional(),
    LOCAL_ALERTS_FILE: Path.optional(),
    /** Where alert messages link to (the stage's dashboard; locally the runtime's own URL). */
    DASHBOARD_URL: z.string().min(1).optional(),

    // The identity registry: Cognito in AWS, the local provider's directory locally.
    USER_POOL_ID: z.string().min(1).optional(),
    RESOURCE_SERVER_ID: z.string().min(1).optional(),
    LOCAL_IDENTITY_KEYS_DIR: Path.optional(),

    /** Reorganisation: seconds a migration keeps reconciling after a new structure took effect. */
    REORGANISE_SETTLE_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
  });
});
export type FunctionEnv = z.infer<typeof FunctionEnv>;
export type EnvName = keyof FunctionEnv;
/** The schema itself (tests compare the plain check with it). */
export const FunctionEnvSchema = FunctionEnv;

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

/** The environment through the rules, else the schema (an already parsed one parses to itself). */
export function parseEnv(env: Readonly<Record<string, unknown>> = process.env): FunctionEnv {
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

/**
 * The environment as it is now, for the few settings the local runtime sets after the modules
 * loaded (DASHBOARD_URL, LOCAL_IDENTITY_KEYS_DIR): read at use, still through the rules.
 */
export const currentEnv = (): FunctionEnv => parseEnv(process.env);

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
