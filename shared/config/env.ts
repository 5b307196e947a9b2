/**
 * Function configuration: every environment variable the code of functions/ and shared/ reads is
 * declared here, and read only through here and env-rules.ts, which reads it without zod
 * (test/unit/shared/config/env.test.ts keeps it so). It is
 * parsed once when a module loads, so a missing or bad variable fails the cold start with its name
 * instead of failing a request later. Who sets what: the stack (infra/constructs/, from the
 * topology) in AWS, the local runtime (infra/local/runtime/environment.ts) under `npm start`.
 *
 * The zod schema is the definition (types, messages). At load, a plain check of the same rules
 * (`ENV_RULES`) reads the usual environment without touching zod: building and first running a zod
 * schema at load was the largest part of what a function's cold start spent beyond its AWS SDK
 * clients (bench: the coldstart rows). Anything the plain check does not accept as clearly valid
 * goes through the schema, which gives the value or the message; test/unit/shared/config/env-rules.test.ts
 * checks that both agree and that every variable of the schema has its rule. The rules, `loadEnv`
 * and the readers at use live in env-rules.ts (no zod there), re-exported here.
 */
import * as z from 'zod';
import { issuesText } from '../schemas/issues.js';
import { lazySchema } from '../schemas/lazy.js';
import { DEFAULT_METRICS_NAMESPACE, plainEnv, useEnvSchema } from './env-rules.js';

export {
  awsOrLocal,
  currentEnv,
  ENV_NAMES,
  ENV_RULES,
  type EnvRule,
  loadEnv,
  plainEnv,
  readEnv,
  requireVar,
} from './env-rules.js';

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

/** The environment through the rules, else the schema (an already parsed one parses to itself). */
export function parseEnv(env: Readonly<Record<string, unknown>> = process.env): FunctionEnv {
  return plainEnv(env) ?? bySchema(env);
}

/** The environment through the schema alone. */
function bySchema(env: Readonly<Record<string, unknown>>): FunctionEnv {
  // jitless: a one-off parse; compiling zod's fast path for it would cost more than it saves.
  const result = FunctionEnv.safeParse(env, { jitless: true });
  if (!result.success) {
    const detail = issuesText(result.error.issues);
    throw new Error(`Invalid function environment: ${detail}`);
  }
  return result.data;
}

useEnvSchema(bySchema);
