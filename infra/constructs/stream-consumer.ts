/**
 * A function fed by a DynamoDB stream (a topology function with `stream`): its event source
 * mapping, its on-failure queue and its alarms, all from the declaration's `StreamTrigger`.
 */
import { Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { StreamAlarmThresholds } from '../config/stages.js';
import { type StreamTrigger, tables } from '../topology.js';
import { failureQueue, failureQueueAlarm } from './failure-queue.js';
import type { QuotaFunction } from './quota-function.js';

/**
 * The variable holding the on-failure queue URL of a stream function: `Rollup` →
 * `ROLLUP_FAILURE_QUEUE_URL` (the name functions/rollup.ts reads), `CampaignAdmin` → `CAMPAIGN_ADMIN_…`.
 */
export const failureQueueEnvVar = (functionName: string) =>
  `${functionName.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}_FAILURE_QUEUE_URL`;

/** Output id of a stream function's on-failure queue URL: `RollupFailureQueueUrl`. */
export const failureQueueOutputId = (functionName: string) => `${functionName}FailureQueueUrl`;

export interface StreamConsumerProps {
  readonly fn: QuotaFunction;
  readonly trigger: StreamTrigger;
  /** The table named by `trigger.table`; it must have a stream. */
  readonly table: ITable;
  readonly alarms: StreamAlarmThresholds;
  /** Of the on-failure queue (stage config): its messages may be the only trace of a lost event. */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * - **Event source mapping** with the declared batch size, batching window, retries, record age,
 *   bisect, parallelization and tumbling window; `TRIM_HORIZON`, so a new or re-created mapping
 *   starts with the oldest record the stream still has (24 h) instead of skipping to new ones;
 *   `reportBatchItemFailures`, so a failed record is retried from there instead of the whole batch.
 *   Its stream grant (`grantStreamRead`, by `DynamoEventSource`) is DescribeStream, GetRecords and
 *   GetShardIterator on this table's stream ARN, plus `dynamodb:ListStreams`, which IAM only
 *   accepts on `*` (it has no resource type) and which Lambda checks when it creates the mapping.
 * - **No filter criteria.** Lambda documents DynamoDB filtering on the `dynamodb` key only, so an
 *   `eventName: INSERT` filter is outside its contract, and a filter that matched nothing would
 *   drop every record unseen (filtered records are discarded, not retried). It would not save
 *   much either: intake only inserts (conditional PutItem, no TTL), and the handler skips any
 *   other event name itself. A filter on `dynamodb.NewImage` would also drop malformed images
 *   that the handler deliberately sets aside on the on-failure queue with their reason.
 * - **On-failure queue**: where Lambda sends a batch it gave up on (a pointer: shard and sequence
 *   range, not the records) and where the function itself sets aside poison records. Encrypted
 *   with SQS-managed keys (SSE-SQS): encryption at rest with no key to run, no KMS request cost
 *   or throttling on the failure path, and no key policy; a customer key only pays off for
 *   cross-account access or crypto-shredding, which this does not need (the same reasoning as the
 *   tables). TLS required (`enforceSSL`), messages kept the 14-day maximum. The function gets
 *   `<NAME>_FAILURE_QUEUE_URL` and `grantSendMessages` together, here, so neither exists alone.
 * - **Alarms** (actions are added by the stack): IteratorAge, messages on the on-failure queue,
 *   and function errors; thresholds from stage config.
 */
export class StreamConsumer extends Construct {
  readonly failureQueue: Queue;
  readonly eventSource: DynamoEventSource;
  readonly iteratorAgeAlarm: Alarm;
  readonly failureQueueAlarm: Alarm;
  readonly errorsAlarm: Alarm;
  private readonly trigger: StreamTrigger;

  constructor(scope: Construct, id: string, props: StreamConsumerProps) {
    super(scope, id);
    const { fn, trigger } = props;
    const name = fn.declaration.name;
    this.trigger = trigger;

    this.failureQueue = failureQueue(
      this,
      props.removalPolicy,
      `This queue is itself the dead-letter destination of ${name}: the on-failure destination of its stream event source mapping, plus the poison records the function sets aside. Nothing consumes it automatically (an operator reads it, alarmed at 1 message), so there is no redrive to protect, and a DLQ behind it would only move messages away after a few console reads.`,
    );

    // Environment variable and grant together: the function sets poison records aside itself.
    fn.addEnvironment(failureQueueEnvVar(name), this.failureQueue.queueUrl);
    this.failureQueue.grantSendMessages(fn);

    this.eventSource = new DynamoEventSource(props.table, {
      startingPosition: StartingPosition.TRIM_HORIZON,
      batchSize: trigger.batchSize,
      maxBatchingWindow: Duration.seconds(trigger.maxBatchingWindowSeconds),
      retryAttempts: trigger.retryAttempts,
      maxRecordAge: Duration.seconds(trigger.maxRecordAgeSeconds),
      bisectBatchOnError: trigger.bisectBatchOnError,
      parallelizationFactor: trigger.parallelizationFactor,
      reportBatchItemFailures: true,
      ...(trigger.tumblingWindowSeconds !== undefined
        ? { tumblingWindow: Duration.seconds(trigger.tumblingWindowSeconds) }
        : {}),
      onFailure: new SqsDlq(this.failureQueue),
    });
    fn.addEventSource(this.eventSource);
    this.acknowledgeListStreams(fn);

    this.iteratorAgeAlarm = new Alarm(this, 'IteratorAgeAlarm', {
      alarmDescription: `${name} is falling behind its stream: the oldest record of a batch waited more than ${props.alarms.iteratorAgeSeconds} s, ${props.alarms.iteratorAgeMinutes} minutes in a row. Progress numbers are stale; records older than 24 h are lost.`,
      metric: fn.metric('IteratorAge', { statistic: 'Maximum', period: Duration.minutes(1) }),
      threshold: props.alarms.iteratorAgeSeconds * 1000, // the metric is in milliseconds
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: props.alarms.iteratorAgeMinutes,
      datapointsToAlarm: props.alarms.iteratorAgeMinutes,
      // No records, no metric: an idle stream is not late.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });

    this.failureQueueAlarm = failureQueueAlarm(
      this,
      this.failureQueue,
      `Messages on the on-failure queue of ${name}: each is a stream batch it gave up on or a poison record it set aside, i.e. events not counted. Read the queue, fix, replay.`,
    );

    this.errorsAlarm = new Alarm(this, 'ErrorsAlarm', {
      alarmDescription: `${name} failed ${props.alarms.errorsPer5Minutes}+ times in 5 minutes (timeout, crash or misconfiguration, not a bad record): each failure holds up its shard until the batch passes.`,
      metric: fn.metricErrors({ statistic: 'Sum', period: Duration.minutes(5) }),
      threshold: props.alarms.errorsPer5Minutes,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }

  get alarms(): readonly Alarm[] {
    return [this.iteratorAgeAlarm, this.failureQueueAlarm, this.errorsAlarm];
  }

  /**
   * `dynamodb:ListStreams` on `*`, from the event source's `grantStreamRead`: IAM defines no
   * resource type for ListStreams, so `*` is the only resource that grants it, and Lambda checks
   * the role for it when it creates the mapping. It lists stream ARNs, no data. Acknowledged on
   * this function's policy only; the stream reads themselves are on this table's stream ARN.
   */
  private acknowledgeListStreams(fn: QuotaFunction): void {
    const policy = fn.executionRole.node.tryFindChild('DefaultPolicy')?.node.defaultChild;
    if (!policy) throw new Error(`${fn.declaration.name}: no default policy to acknowledge ListStreams on`);
    Validations.of(policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: `dynamodb:ListStreams alone (no other action is granted on *): IAM defines no resource type for it, so only Resource * grants it, and Lambda requires it to create the stream event source mapping of ${fn.declaration.name}. It returns stream ARNs, no data; stream reads are granted on the stream ARN of the ${tables[this.trigger.table].logicalName} table only.`,
    });
  }
}
