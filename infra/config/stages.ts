/**
 * Stage configuration (README.md, Deploying to AWS): one zod schema, validated when the CDK app is synthesized,
 * so a bad issuer or a typo in cdk.json fails `cdk synth` with a clear message instead of
 * deploying an API that nobody can call.
 *
 * Where values come from, lowest precedence first:
 * 1. the defaults below (`stageDefaults`), one set per stage;
 * 2. cdk.json context `stageConfig.<stage>`, same shape as {@link StageConfig} (without `stage`),
 *    e.g. `"stageConfig": { "prod": { "jwt": { "issuer": "https://cognito-idp.<region>.amazonaws.com/<pool>",
 *    "audience": ["<app client id>"] } } }`;
 * 3. flat `-c` keys on the command line (see {@link contextKeys}), e.g.
 *    `npx cdk synth -c stage=prod -c jwtIssuer=https://... -c jwtAudience=client-a,client-b`.
 *
 * The default JWT issuer and audience are placeholders: set yours in cdk.json context.
 */
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import * as z from 'zod';
import { DEFAULT_SCHEDULES, SCHEDULE_NAMES, type ScheduleName, ScheduleRule } from './schedules.js';

export const STAGE_NAMES = ['dev', 'prod'] as const;
export type StageName = (typeof STAGE_NAMES)[number];

/** CloudWatch Logs only accepts these retention periods (days). */
const RETENTION_DAYS: readonly number[] = Object.values(RetentionDays).filter(
  (v): v is number => typeof v === 'number',
);

/** True when the runtime's ICU knows `zone` as an IANA time zone (what EventBridge Scheduler accepts). */
const isTimeZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

/**
 * One named rule of infra/config/schedules.ts as a stage may set it: the same shape and expression
 * check as there, plus what EventBridge Scheduler would otherwise only refuse at deploy time: an
 * unknown time zone, and a cron that gives both day-of-month and day-of-week (one must be `?`).
 */
const StageScheduleRule = ScheduleRule.superRefine((rule, ctx) => {
  if (!isTimeZone(rule.timeZone)) {
    ctx.addIssue({
      code: 'custom',
      path: ['timeZone'],
      message: 'must be an IANA time zone such as Asia/Ho_Chi_Minh',
    });
  }
  const cron = rule.expression.match(/^cron\((.*)\)$/)?.[1]?.split(' ');
  if (cron && (cron[2] === '?') === (cron[4] === '?')) {
    ctx.addIssue({
      code: 'custom',
      path: ['expression'],
      message: 'cron: exactly one of day-of-month (3rd field) and day-of-week (5th field) must be ?',
    });
  }
});

/**
 * Every named rule, each defaulting to infra/config/schedules.ts. An override names the rule and
 * the fields it changes (`{ "schedules": { "riskHourly": { "expression": "cron(30 8-22 * * ? *)" } } }`);
 * an unknown rule name is refused.
 */
const Schedules = z.strictObject(
  Object.fromEntries(SCHEDULE_NAMES.map((name) => [name, StageScheduleRule])) as Record<
    ScheduleName,
    typeof StageScheduleRule
  >,
);

const JwtIssuer = z
  .url({
    protocol: /^https$/,
    error: 'must be an https URL, e.g. https://cognito-idp.<region>.amazonaws.com/<pool id>',
  })
  .refine((s) => !s.includes('?') && !s.includes('#') && !s.endsWith('/'), {
    error: 'must be the exact `iss` claim of your tokens: no query, fragment or trailing slash',
  });

const Throttle = z.strictObject({
  rateLimit: z.coerce.number().positive('must be a positive number of requests per second').max(10_000),
  // 5,000: API Gateway's default account-level burst per Region, shared by every API of the account.
  burstLimit: z.coerce.number().int('must be a whole number').positive('must be positive').max(5_000),
});

/** An HTTP API route key as in infra/topology.ts: `POST /v1/intake-events`. */
const ROUTE_KEY = /^(GET|POST|PUT|DELETE) \/\S*$/;

/**
 * Per-route throttles by route key. Keys are checked here (rather than with a key schema, whose
 * error is only "Invalid key in record") so that the message says what a key must look like.
 */
const RouteThrottle = z.record(z.string(), Throttle).superRefine((routes, ctx) => {
  for (const key of Object.keys(routes)) {
    if (!ROUTE_KEY.test(key)) {
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message: 'must be a route key such as "POST /v1/intake-events" (METHOD, one space, path)',
      });
    }
  }
});

/**
 * Thresholds of the alarms on each stream consumer (the roll-up). The on-failure queue alarm has
 * no threshold to tune: one message there is an event that was not counted, so it fires at > 0.
 */
const StreamAlarms = z.strictObject({
  /**
   * IteratorAge (Maximum over each 1-minute period, in seconds) above which a minute counts as
   * late. Healthy it is the batching window plus one batch's processing: a few seconds.
   */
  iteratorAgeSeconds: z.coerce.number().int('must be a whole number of seconds').min(1).max(86_400),
  /** Consecutive late minutes before the alarm fires: rides out one retried batch or a short burst. */
  iteratorAgeMinutes: z.coerce.number().int('must be a whole number of minutes').min(1).max(60),
  /** Function errors (Sum over 5 minutes) at or above which the alarm fires. */
  errorsPer5Minutes: z.coerce.number().int('must be a whole number').min(1),
});
export type StreamAlarmThresholds = z.infer<typeof StreamAlarms>;

const StageConfigBody = z.strictObject({
  /**
   * Where tokens come from: `cognito` (the stack's user pool, domain, app clients and
   * pre-token-generation trigger; the authorizer trusts that pool and `jwt` is not used) or
   * `external` (bring your own issuer: the authorizer trusts `jwt.issuer` and `jwt.audience`).
   */
  identity: z.enum(['cognito', 'external']),
  /**
   * Prefix of the Cognito domain (`<prefix>.auth.<region>.amazoncognito.com`), unique in the
   * region; default `quota-campaign-<stage>-<account id>`.
   */
  identityDomainPrefix: z
    .string()
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'lowercase letters, digits and hyphens, at most 63')
    .refine((p) => !/aws|amazon|cognito/.test(p), 'must not contain aws, amazon or cognito')
    .optional(),
  /**
   * Machine clients' ids (from `npm run clients -- add --stage`) the authorizer accepts besides the
   * dashboard's, with `identity: cognito`. Cognito access tokens carry no `aud`, only `client_id`,
   * which API Gateway's JWT authorizer compares with its audience list: a machine client's tokens
   * pass only once its id is listed here (and deployed).
   */
  machineClientAudience: z.array(z.string().regex(/^[\w+]{1,128}$/, 'must be a Cognito app client id')),
  /** Verification of the callers' tokens by the HTTP API's JWT authorizer (with `identity: external`). */
  jwt: z.strictObject({
    /** The `iss` claim, compared exactly; the authorizer fetches `<issuer>/.well-known/openid-configuration`. */
    issuer: JwtIssuer,
    /** Accepted `aud` (or, for Cognito access tokens, `client_id`) values. */
    audience: z.array(z.string().trim().min(1, 'must not be empty')).min(1, 'needs at least one audience'),
  }),
  /**
   * Default-stage throttling: the limits EACH route gets unless `routeThrottle` names it
   * (steady requests per second and burst size).
   */
  throttle: Throttle,
  /**
   * Per-route overrides of `throttle`, by route key (the route must exist in infra/topology.ts;
   * the stack checks it at synth). Route limits replace the default for that route, up or down,
   * within the account-level limits.
   */
  routeThrottle: RouteThrottle,
  /** Retention of every log group of the stack (functions and API access logs). */
  logRetentionDays: z.coerce.number().refine((d) => RETENTION_DAYS.includes(d), {
    error: `must be one of CloudWatch's retention periods: ${RETENTION_DAYS.join(', ')}`,
  }),
  /** LOG_LEVEL of every function (Powertools logger). */
  logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']),
  /**
   * Where operational alarms go: an SNS topic with this e-mail subscribed (it stays
   * PendingConfirmation until the link in AWS's e-mail is clicked). Unset: the alarms still
   * exist (console, API) but notify nobody.
   */
  alarmEmail: z.email('must be an e-mail address').optional(),
  /** Thresholds of the stream consumers' alarms (the roll-up); see {@link StreamAlarmThresholds}. */
  alarms: StreamAlarms,
  /** 'retain' keeps tables (and logs) when the stack is deleted; tables also get deletion protection. */
  removalPolicy: z.enum(['retain', 'destroy']),
  /**
   * The scheduled jobs' rules (EventBridge Scheduler), by name: infra/config/schedules.ts unless the
   * stage overrides a rule's expression, time zone or description. Which function runs on which
   * rule is the topology's `schedules`.
   */
  schedules: Schedules,
  /**
   * The SMS spend alarm fires when the account's SNS `SMSMonthToDateSpentUSD` (this Region, every
   * stack of the account) goes above this many US dollars. Keep it under the account's SMS
   * `MonthlySpendLimit` (1 USD in a new account): at that limit SNS stops sending SMS.
   */
  smsSpendAlarmUsd: z.coerce.number().positive('must be a positive number of US dollars').max(1_000_000),
  /**
   * The leaders' dashboard (its deployed URL, e.g. the CloudFront distribution's): alerts link to
   * `<dashboardUrl>/c/{campaignId}/u/{unitId}`, and (identity `cognito`) it is the callback and logout
   * URL of the dashboard's sign-in. Functions get it as DASHBOARD_URL. Unset: the stack's
   * own dashboard URL when it has one, else no links.
   */
  dashboardUrl: z
    .url({
      protocol: /^https?$/,
      error: 'must be an http(s) URL such as https://d111111abcdef8.cloudfront.net',
    })
    .refine((s) => !s.includes('?') && !s.includes('#'), { error: 'must have no query or fragment' })
    .transform((s) => s.replace(/\/+$/, ''))
    .optional(),
  /** Optional pinning of the target account/region; unset = environment-agnostic stack. */
  env: z
    .strictObject({
      account: z
        .string()
        .regex(/^\d{12}$/, 'must be a 12-digit AWS account id')
        .optional(),
      region: z
        .string()
        .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as ap-southeast-1')
        .optional(),
    })
    .optional(),
});

export const StageConfigSchema = StageConfigBody.extend({ stage: z.enum(STAGE_NAMES) }).refine(
  (c) => c.stage !== 'prod' || c.removalPolicy === 'retain',
  { error: "prod must keep its data: removalPolicy must be 'retain'", path: ['removalPolicy'] },
);
export type StageConfig = z.infer<typeof StageConfigSchema>;

/** Placeholder issuer: a Cognito user pool URL shape. Set yours in cdk.json context. */
export const PLACEHOLDER_ISSUER = 'https://cognito-idp.ap-southeast-1.amazonaws.com/ap-southeast-1_EXAMPLE';

type StageDefaults = Omit<StageConfig, 'stage'>;

/**
 * Intake keeps the default steady rate but gets twice the default burst. Its traffic is bursty by
 * nature and legitimate: registration points post at the same moments (office opening, the end of
 * a mobile round), and devices that were offline flush their queues together when the network
 * returns; a 429 there only makes the client hold its events and retry. The read and admin
 * routes keep the tighter default burst: their callers are people and scripts, not device fleets.
 * Only the burst grows, and only 2x: the steady rate, which bounds the sustained write load on the
 * IntakeEvents table (on-demand tables ramp up from their previous peak), the stream and the
 * roll-up, stays the default's, and a deeper bucket would mostly convert 429s into Lambda
 * concurrency throttles and DynamoDB write throttling inside the 10 s intake timeout.
 */
const INTAKE_ROUTE = 'POST /v1/intake-events';

/**
 * The roll-up alarms, same in both stages:
 * - IteratorAge above 60 s for 5 consecutive minutes. Healthy, a record waits the 1 s batching
 *   window plus one batch's work, so the age stays at a few seconds; a failing batch retried with
 *   backoff, or a deadline-hour burst, lifts it for a minute or two and recovers by itself. Five
 *   minutes in a row over a minute means the roll-up is falling behind: leaders see stale progress,
 *   and the stream keeps records only 24 h (maxRecordAge), so it is raised with most of a day to act.
 * - Errors: any 1 in 5 minutes. A bad record does not raise one (it goes to the on-failure queue
 *   and a write failure is a partial batch response), so an error is a timeout, a crash or a
 *   misconfiguration, and each one holds up its shard until the batch passes.
 */
const STREAM_ALARM_DEFAULTS: StreamAlarmThresholds = {
  iteratorAgeSeconds: 60,
  iteratorAgeMinutes: 5,
  errorsPer5Minutes: 1,
};

/** What each stage sets for itself; stageDefaultsOf adds what both stages share. */
type OwnStageDefaults = Pick<
  StageDefaults,
  'jwt' | 'throttle' | 'logRetentionDays' | 'logLevel' | 'removalPolicy' | 'smsSpendAlarmUsd'
>;

/**
 * A stage's defaults: its own settings, the Cognito identity provider, the intake route at the
 * stage's steady rate with twice its burst (see INTAKE_ROUTE), the roll-up alarms and the default
 * schedules.
 */
const stageDefaultsOf = (own: OwnStageDefaults): StageDefaults => ({
  identity: 'cognito',
  machineClientAudience: [],
  ...own,
  routeThrottle: {
    [INTAKE_ROUTE]: { rateLimit: own.throttle.rateLimit, burstLimit: 2 * own.throttle.burstLimit },
  },
  alarms: STREAM_ALARM_DEFAULTS,
  schedules: DEFAULT_SCHEDULES,
});

export const stageDefaults: Readonly<Record<StageName, StageDefaults>> = {
  dev: stageDefaultsOf({
    jwt: { issuer: PLACEHOLDER_ISSUER, audience: ['quota-campaign-dev'] },
    throttle: { rateLimit: 50, burstLimit: 100 },
    logRetentionDays: 14,
    logLevel: 'DEBUG',
    removalPolicy: 'destroy',
    smsSpendAlarmUsd: 50,
  }),
  prod: stageDefaultsOf({
    jwt: { issuer: PLACEHOLDER_ISSUER, audience: ['quota-campaign'] },
    throttle: { rateLimit: 500, burstLimit: 1000 },
    logRetentionDays: 365,
    logLevel: 'INFO',
    removalPolicy: 'retain',
    smsSpendAlarmUsd: 500,
  }),
};

export class StageConfigError extends Error {
  override readonly name = 'StageConfigError';
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Objects merge key by key; anything else (arrays included) replaces. */
function deepMerge(base: unknown, override: unknown): unknown {
  if (override === undefined) return base;
  if (!isRecord(base) || !isRecord(override)) return override;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(override)) out[k] = deepMerge(base[k], v);
  return out;
}

function formatIssues(issues: readonly z.core.$ZodIssue[], stage: string): string {
  const lines = issues.map((i) => {
    const where = i.path.length > 0 ? i.path.join('.') : '(root)';
    return `  - ${where}: ${i.message}`;
  });
  return [
    `Invalid stage config for '${stage}':`,
    ...lines,
    `Fix it in cdk.json context "stageConfig.${stage}" or with -c keys (${Object.keys(contextKeys).join(', ')}).`,
  ].join('\n');
}

/**
 * The validated configuration of one stage: defaults, then `overrides` (same shape, any subset).
 * Pure: no context lookup, no I/O. Throws {@link StageConfigError} listing every problem.
 */
export function loadStageConfig(stage: string, overrides: unknown): StageConfig {
  const name = STAGE_NAMES.find((s) => s === stage);
  if (name === undefined) {
    throw new StageConfigError(
      `Unknown stage '${stage}': expected one of ${STAGE_NAMES.join(', ')} (-c stage=dev|prod).`,
    );
  }
  if (overrides !== undefined && !isRecord(overrides)) {
    throw new StageConfigError(`Invalid stage config for '${name}': overrides must be an object.`);
  }
  if (overrides !== undefined && 'stage' in overrides) {
    throw new StageConfigError(
      `Invalid stage config for '${name}': the stage name comes from -c stage, not from overrides.`,
    );
  }
  const merged = deepMerge(stageDefaults[name], overrides);
  const result = StageConfigSchema.safeParse({ ...(merged as object), stage: name });
  if (!result.success) throw new StageConfigError(formatIssues(result.error.issues, name));
  return result.data;
}

/** Flat `-c key=value` names and where each lands in the config. */
export const contextKeys = {
  identity: ['identity'],
  dashboardUrl: ['dashboardUrl'],
  jwtIssuer: ['jwt', 'issuer'],
  jwtAudience: ['jwt', 'audience'],
  throttleRateLimit: ['throttle', 'rateLimit'],
  throttleBurstLimit: ['throttle', 'burstLimit'],
  logRetentionDays: ['logRetentionDays'],
  logLevel: ['logLevel'],
  alarmEmail: ['alarmEmail'],
  smsSpendAlarmUsd: ['smsSpendAlarmUsd'],
} as const satisfies Record<string, readonly string[]>;

/** cdk.json context key holding per-stage overrides: `{ "stageConfig": { "dev": {...}, "prod": {...} } }`. */
export const STAGE_CONFIG_CONTEXT_KEY = 'stageConfig';

/**
 * Builds the overrides of `stage` from CDK context: `stageConfig.<stage>` first, then the flat
 * `-c` keys on top. `jwtAudience` may be a comma-separated string (the CLI passes strings).
 */
export function overridesFromContext(stage: string, tryGetContext: (key: string) => unknown): unknown {
  const perStage = tryGetContext(STAGE_CONFIG_CONTEXT_KEY);
  const base = isRecord(perStage) ? perStage[stage] : undefined;
  let overrides: unknown = base ?? {};
  for (const [key, path] of Object.entries(contextKeys)) {
    let value = tryGetContext(key);
    if (value === undefined) continue;
    if (key === 'jwtAudience' && typeof value === 'string') {
      value = value
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0);
    }
    const patch = path.reduceRight<unknown>((acc, segment) => ({ [segment]: acc }), value);
    overrides = deepMerge(overrides, patch);
  }
  return overrides;
}
