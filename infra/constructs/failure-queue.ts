/**
 * The failure queue of a stream consumer or a scheduled job: where what failed waits for an operator
 * (a dead-letter destination itself), and its alarm at 1 message.
 */
import { Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/** SQS keeps a message at most 14 days: the longest time to look at what failed. */
export const FAILURE_QUEUE_RETENTION = Duration.days(14);

/**
 * `FailureQueue` in `scope`: SSE-SQS, TLS only, kept 14 days; cdk-nag's "no dead-letter queue"
 * (AwsSolutions-SQS3) acknowledged with `reason`, why this one needs none.
 */
export function failureQueue(scope: Construct, removalPolicy: RemovalPolicy, reason: string): Queue {
  const queue = new Queue(scope, 'FailureQueue', {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: FAILURE_QUEUE_RETENTION,
    removalPolicy,
  });
  Validations.of(queue.node.defaultChild ?? queue).acknowledge({ id: 'AwsSolutions-SQS3', reason });
  return queue;
}

/** `FailureQueueAlarm` in `scope`: a message visible on the queue for a minute. */
export function failureQueueAlarm(scope: Construct, queue: Queue, alarmDescription: string): Alarm {
  return new Alarm(scope, 'FailureQueueAlarm', {
    alarmDescription,
    metric: queue.metricApproximateNumberOfMessagesVisible({
      statistic: 'Maximum',
      period: Duration.minutes(1),
    }),
    threshold: 0,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    // SQS stops sending metrics for a queue idle (empty, unused) for 6 hours; a queue holding
    // messages is never idle, so missing data means empty.
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
}
