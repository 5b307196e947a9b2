/**
 * The leaders' alerts topic (docs/ARCHITECTURE.md §4): one SNS topic per stage, created when a topology
 * function declares `alerts`. Leaders are its SMS and e-mail subscriptions, made at run time by the
 * recipients registry (never by the stack); the risk job publishes to it. Also the SMS spend alarm.
 */
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Grant } from 'aws-cdk-lib/aws-iam';
import { type CfnTopic, Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { FunctionDeclaration } from '../topology.js';
import type { QuotaFunction } from './quota-function.js';

/** The variable holding the topic ARN (what functions/risk.ts and functions/recipients.ts read). */
export const ALERTS_TOPIC_ENV = 'ALERTS_TOPIC_ARN';

/** The AWS-managed SNS key; see {@link AlertsTopic} for why not a customer-managed one. */
export const AWS_MANAGED_SNS_KEY = 'alias/aws/sns';

/**
 * What a `subscribe` function may do to the subscriptions it made: delete one, change its filter
 * policy, read it back. Granted on the topic ARN and on `<topic ARN>:*` (see {@link AlertsTopic.bind}).
 */
export const SUBSCRIPTION_ACTIONS = [
  'sns:GetSubscriptionAttributes',
  'sns:SetSubscriptionAttributes',
  'sns:Unsubscribe',
] as const;

export type AlertsAccess = NonNullable<FunctionDeclaration['alerts']>;

export interface AlertsTopicProps {
  /** Stage config `smsSpendAlarmUsd`: the alarm threshold on the account's month-to-date SMS spend. */
  readonly smsSpendAlarmUsd: number;
}

/**
 * - **Encryption at rest with the AWS-managed key `aws/sns`** (`KmsMasterKeyId: alias/aws/sns`).
 *   Messages carry campaign data (unit names, progress, levels), so they are encrypted; the key is
 *   AWS-managed because nothing that needs a customer-managed key publishes here. Only our own
 *   Lambda roles publish, and the `aws/sns` key policy lets any principal of this account use the
 *   key through SNS, so a publisher needs `sns:Publish` and nothing on KMS; SNS decrypts by itself
 *   to deliver to SMS and e-mail endpoints. A customer-managed key is needed only when an AWS service
 *   publishes (CloudWatch alarms, EventBridge, S3 notifications: their service principals cannot
 *   be given `aws/sns`, which is why the operations alarm topic is not encrypted this way) or for
 *   cross-account publishers; here it would add a key policy to maintain, 1 USD a month per stage,
 *   and a way to silence every leader (a key disabled or scheduled for deletion). Same reasoning as
 *   the tables' `aws/dynamodb`. Set on the L1 (`alias/aws/sns`, the form SNS documents) rather than
 *   through `masterKey`: an imported alias would make `grantPublish` add kms:Decrypt and
 *   kms:GenerateDataKey* on every `key/*` of the account (conditioned on the alias), which `aws/sns`
 *   does not need.
 * - **TLS required** (`enforceSSL`): the topic policy denies `sns:Publish` without
 *   `aws:SecureTransport`. That policy replaces SNS's default one; same-account roles need only
 *   their IAM grants, given by {@link AlertsTopic.bind}.
 * - **No display name.** SNS prepends a topic's display name to every SMS it delivers, upper-cased
 *   and followed by `> ` ("QUOTA ALERTS> …"): 14 more characters on messages that
 *   shared/domain/alert-messages.ts already fills up to the 160 GSM-7 characters of one segment, so
 *   every SMS would be sent (and billed) as two. The price is the e-mail sender name, which shows
 *   as "AWS Notifications"; the subject names the campaign and the unit.
 * - **SMS spend alarm** on `AWS/SNS SMSMonthToDateSpentUSD` (account and Region wide, no dimension,
 *   Maximum is its only meaningful statistic), above stage config `smsSpendAlarmUsd`. The stack
 *   sends it to the operations alarm topic.
 */
export class AlertsTopic extends Construct {
  readonly topic: Topic;
  readonly smsSpendAlarm: Alarm;

  constructor(scope: Construct, id: string, props: AlertsTopicProps) {
    super(scope, id);
    // No displayName: see the class comment.
    this.topic = new Topic(this, 'Topic', { enforceSSL: true });
    (this.topic.node.defaultChild as CfnTopic).kmsMasterKeyId = AWS_MANAGED_SNS_KEY;

    this.smsSpendAlarm = new Alarm(this, 'SmsSpendAlarm', {
      alarmDescription: `SMS spend this month (SNS SMSMonthToDateSpentUSD, whole account in this Region) is above ${props.smsSpendAlarmUsd} USD. Check who is being alerted and how often (recipients, repeat interval, escalation), and the account's SMS MonthlySpendLimit: when it is reached SNS stops sending SMS to every leader.`,
      metric: new Metric({
        namespace: 'AWS/SNS',
        metricName: 'SMSMonthToDateSpentUSD',
        statistic: 'Maximum',
        period: Duration.minutes(5),
      }),
      threshold: props.smsSpendAlarmUsd,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      // SNS reports the metric only while SMS are sent. A month-to-date figure never falls within a
      // month, so a quiet hour must neither clear the alarm (it would notify OK) nor raise it: keep
      // the state. It goes back to OK when the new month's figure comes in under the threshold.
      treatMissingData: TreatMissingData.IGNORE,
    });
  }

  /**
   * Gives `fn` the topic: `ALERTS_TOPIC_ARN` and the grants of its declared access, together, so
   * neither exists without the other.
   *
   * - `publish`: `sns:Publish` on the topic ARN (`grantPublish`; no KMS statement, see the class).
   * - `subscribe`: `sns:Subscribe` on the topic ARN (`grantSubscribe`), and Unsubscribe,
   *   SetSubscriptionAttributes (the filter policy) and GetSubscriptionAttributes on the topic ARN
   *   and `<topic ARN>:*`. IAM's reference lists `topic` as these actions' resource type, while SNS
   *   names the subscription (`<topic ARN>:<id>`) in its authorization errors; both forms are
   *   granted so the registry works whichever SNS evaluates. `<topic ARN>:*` matches this topic's
   *   subscriptions and nothing else (a topic name cannot contain `:`), so the wildcard is
   *   acknowledged (IAM5) on this role's policy only. No `*` resource, no other topic.
   */
  bind(fn: QuotaFunction, access: AlertsAccess): void {
    fn.addEnvironment(ALERTS_TOPIC_ENV, this.topic.topicArn);
    switch (access) {
      case 'publish':
        this.topic.grantPublish(fn);
        return;
      case 'subscribe': {
        this.topic.grantSubscribe(fn);
        Grant.addToPrincipal({
          grantee: fn,
          actions: [...SUBSCRIPTION_ACTIONS],
          resourceArns: [this.topic.topicArn, this.subscriptionsArn],
        });
        const policy = fn.executionRole.node.tryFindChild('DefaultPolicy')?.node.defaultChild;
        const topicId = Stack.of(this).resolve((this.topic.node.defaultChild as CfnTopic).logicalId);
        if (!policy) throw new Error(`${fn.declaration.name}: no default policy to acknowledge on`);
        Validations.of(policy).acknowledge({
          id: `AwsSolutions-IAM5[Resource::<${topicId}>:*]`,
          reason: `${fn.declaration.name} keeps each leader's SNS subscription in step with the recipients registry: ${SUBSCRIPTION_ACTIONS.join(', ')} on <alerts topic ARN>:*, which matches the subscriptions of this one topic only (subscription ARNs are <topic ARN>:<id>, a topic name cannot contain ':'); their ids are made by SNS at run time, so they cannot be listed in the template.`,
        });
        return;
      }
      default: {
        const unknown: never = access;
        throw new Error(`${fn.declaration.name}: unknown alerts access '${String(unknown)}'`);
      }
    }
  }

  /** `<topic ARN>:*`: every subscription of this topic. */
  get subscriptionsArn(): string {
    return `${this.topic.topicArn}:*`;
  }
}
