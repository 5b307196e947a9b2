/**
 * Function configuration: every environment variable the code of functions/ and shared/ reads is
 * declared here, and read only through here (test/unit/shared/config/env.test.ts keeps it so). It is
 * parsed once when a module loads, so a missing or bad variable fails the cold start with its name
 * instead of failing a request later. Who sets what: the stack (infra/constructs/, from the
 * topology) in AWS, the local runtime (infra/local/runtime.ts) under `npm start`.
 */
import * as z from 'zod';
import { issuesText } from '../schemas/issues.js';

const Path = z.string().min(1);

export const FunctionEnv = z.object({
  // Tables (infra/topology.ts `tableEnvironment`: each function gets the tables it declares).
  CAMPAIGN_TABLE: z.string().min(3).optional(),
  INTAKE_EVENTS_TABLE: z.string().min(3).optional(),
  /** Set only by the local runtime: DynamoDB Local's URL. */
  DYNAMODB_ENDPOINT: z.url().optional(),
  /** Seconds a function keeps the unit catalogue in memory. */
  CATALOG_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),

  // Powertools (the stack sets the service name and namespace; the local runtime the level).
  POWERTOOLS_SERVICE_NAME: z.string().min(1).optional(),
  POWERTOOLS_METRICS_NAMESPACE: z.string().min(1).default('QuotaCampaign'),
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
});
export type FunctionEnv = z.infer<typeof FunctionEnv>;
export type EnvName = keyof FunctionEnv;
/** Every variable name the schema declares. */
export const ENV_NAMES = Object.keys(FunctionEnv.shape) as EnvName[];

/** The environment through the schema (an already parsed one parses to itself). */
export function parseEnv(env: Readonly<Record<string, unknown>> = process.env): FunctionEnv {
  const result = FunctionEnv.safeParse(env);
  if (!result.success) {
    const detail = issuesText(result.error.issues);
    throw new Error(`Invalid function environment: ${detail}`);
  }
  return result.data;
}

/**
 * The environment as it is now, for the few settings the local runtime sets after the modules
 * loaded (DASHBOARD_URL, LOCAL_IDENTITY_KEYS_DIR): read at use, still through the schema.
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
