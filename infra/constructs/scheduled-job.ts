/**
 * A function run on a timetable (a topology function with `schedules`): one EventBridge Scheduler
 * schedule per named rule, the role they invoke it with, and where a run that did not happen goes.
 */
import { Arn, Aws, Duration, type RemovalPolicy, TimeZone } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  type ISchedule,
  type IScheduleTarget,
  Schedule,
  ScheduleExpression,
  type ScheduleTargetConfig,
  ScheduleTargetInput,
  TimeWindow,
} from 'aws-cdk-lib/aws-scheduler';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { ScheduleName, ScheduleRule } from '../config/schedules.js';
import { failureQueue, failureQueueAlarm } from './failure-queue.js';
import type { QuotaFunction } from './quota-function.js';

/**
 * How hard a scheduled run is tried, at both hops, and for how long. The jobs evaluate "now" (the
 * input is `{}`), and the closest rules are an hour apart, so a run delayed past an hour is
 * superseded by the next one: an hour bounds both ages.
 *
 * - Scheduler → Lambda: EventBridge Scheduler invokes the function asynchronously, so its retries
 *   only cover the Invoke call itself failing (throttled, a service error). Two retries with its
 *   backoff ride out a blip; its default (185 retries over 24 h) would fire a job many hours late.
 * - Lambda's asynchronous queue → the handler: a failed run (error, timeout) is retried twice
 *   (Lambda's maximum), a minute and then two apart, by which time a transient DynamoDB or SNS
 *   error has passed. The risk job is written to be re-run (its outbox keys are deterministic).
 */
export const SCHEDULE_RETRY_ATTEMPTS = 2;
export const SCHEDULE_MAX_EVENT_AGE = Duration.hours(1);
export const ASYNC_RETRY_ATTEMPTS = 2;
export const ASYNC_MAX_EVENT_AGE = Duration.hours(1);

/** Output id of a scheduled function's failure queue URL: `RiskScheduleFailureQueueUrl`. */
export const scheduleFailureQueueOutputId = (functionName: string) =>
  `${functionName}ScheduleFailureQueueUrl`;

export interface ScheduledJobProps {
  readonly fn: QuotaFunction;
  /** The function's declared rules, in declaration order, as the stage config resolves them. */
  readonly rules: readonly (readonly [ScheduleName, ScheduleRule])[];
  /** Of the failure queue (stage config). */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * Invokes one function with a fixed input, through the given role, with the house retry policy and
 * dead-letter queue. Not `aws-scheduler-targets`' `LambdaInvoke`: that grants the role
 * `lambda:InvokeFunction` on `<function ARN>:*` (every version and alias) as well, and the schedules
 * only ever invoke the unqualified function.
 */
class InvokeFunctionTarget implements IScheduleTarget {
  constructor(
    private readonly functionArn: string,
    private readonly role: Role,
    private readonly deadLetterQueue: Queue,
  ) {}

  bind(_schedule: ISchedule): ScheduleTargetConfig {
    return {
      arn: this.functionArn,
      role: this.role,
      input: ScheduleTargetInput.fromObject({}),
      retryPolicy: {
        maximumRetryAttempts: SCHEDULE_RETRY_ATTEMPTS,
        maximumEventAgeInSeconds: SCHEDULE_MAX_EVENT_AGE.toSeconds(),
      },
      deadLetterConfig: { arn: this.deadLetterQueue.queueArn },
    };
  }
}

/**
 * - **One schedule per rule** in the default schedule group: the rule's expression read in its
 *   IANA time zone (`ScheduleExpressionTimezone`; `Asia/Ho_Chi_Minh` has no daylight saving, so
 *   07:00 is always 07:00), flexible time window OFF (the daily run must come at 07:00, not within
 *   a window after it), ENABLED, input `{}` (the job evaluates "now"), the retry policy above.
 * - **A role per function**, trusted by `scheduler.amazonaws.com` only for this account's default
 *   schedule group (`aws:SourceAccount`, `aws:SourceArn`: no confused deputy), allowed
 *   `lambda:InvokeFunction` on this function's ARN and nothing else, plus `sqs:SendMessage` to the
 *   failure queue.
 * - **A failure queue** (SSE-SQS, TLS only, 14 days, like the stream consumers'): the schedules'
 *   dead-letter queue (an invocation Scheduler could not deliver) and the function's asynchronous
 *   on-failure destination (a run that failed every attempt). Either way a scheduled run did not
 *   happen, so one queue and one alarm at 1 message.
 */
export class ScheduledJob extends Construct {
  readonly role: Role;
  readonly failureQueue: Queue;
  readonly schedules: ReadonlyMap<ScheduleName, Schedule>;
  readonly failureQueueAlarm: Alarm;

  constructor(scope: Construct, id: string, props: ScheduledJobProps) {
    super(scope, id);
    const { fn } = props;
    const name = fn.declaration.name;
    if (props.rules.length === 0) throw new Error(`${name}: a scheduled job needs at least one rule`);

    this.failureQueue = failureQueue(
      this,
      props.removalPolicy,
      `This queue is itself the dead-letter destination of ${name}'s schedules (invocations EventBridge Scheduler could not deliver) and its asynchronous on-failure destination (runs that failed every retry). Nothing consumes it automatically (an operator reads it, alarmed at 1 message), so there is no redrive to protect.`,
    );

    const defaultGroupArn = Arn.format({
      partition: Aws.PARTITION,
      service: 'scheduler',
      region: Aws.REGION,
      account: Aws.ACCOUNT_ID,
      resource: 'schedule-group',
      resourceName: 'default',
    });
    this.role = new Role(this, 'InvokeRole', {
      description: `EventBridge Scheduler invokes ${name} with this role`,
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID, 'aws:SourceArn': defaultGroupArn },
        },
      }),
    });
    this.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [fn.functionArn] }),
    );
    this.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.failureQueue.queueArn] }),
    );

    // Not `SqsDestination`: its `grantSendMessages` also gives GetQueueAttributes and GetQueueUrl,
    // which Lambda does not use to deliver an on-failure record. SendMessage alone, on this queue.
    fn.addToRolePolicy(
      new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.failureQueue.queueArn] }),
    );
    const queueArn = this.failureQueue.queueArn;
    fn.configureAsyncInvoke({
      retryAttempts: ASYNC_RETRY_ATTEMPTS,
      maxEventAge: ASYNC_MAX_EVENT_AGE,
      onFailure: { bind: () => ({ destination: queueArn }) },
    });

    const target = new InvokeFunctionTarget(fn.functionArn, this.role, this.failureQueue);
    const schedules = new Map<ScheduleName, Schedule>();
    for (const [ruleName, rule] of props.rules) {
      if (schedules.has(ruleName)) throw new Error(`${name}: schedule ${ruleName} is declared twice`);
      schedules.set(
        ruleName,
        new Schedule(this, ruleName, {
          description: `${name}: ${rule.description}`.slice(0, 512),
          schedule: ScheduleExpression.expression(rule.expression, TimeZone.of(rule.timeZone)),
          target,
          timeWindow: TimeWindow.off(),
          enabled: true,
        }),
      );
    }
    this.schedules = schedules;

    this.failureQueueAlarm = failureQueueAlarm(
      this,
      this.failureQueue,
      `A scheduled run of ${name} did not happen: Scheduler could not invoke it, or it failed every retry. The messages on its schedule failure queue say which run and why; the next scheduled run evaluates again.`,
    );
  }
}
