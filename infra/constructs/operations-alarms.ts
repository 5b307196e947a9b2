/**
 * Where the stack's operational alarms go: an SNS topic with the stage's alarm e-mail
 * subscribed, when stage config sets `alarmEmail`. The alarms themselves exist either way.
 */
import { Aws, Validations } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface OperationsAlarmsProps {
  /** Stage config `alarmEmail`; unset: no topic, alarms without actions. */
  readonly alarmEmail?: string;
  readonly displayName: string;
}

/**
 * The topic (when there is an e-mail) requires TLS from publishers (`enforceSSL`). That puts a
 * topic policy in place of SNS's default one (which let the account's principals publish), and
 * CloudWatch alarms publish through the topic policy: so it also allows cloudwatch.amazonaws.com
 * to publish, for this account's alarms only. Without that Allow the alarms would fire and notify
 * nobody ("not authorized to perform: SNS:Publish ... because no resource-based policy allows").
 *
 * No
 * KMS key: CloudWatch alarms cannot publish to a topic encrypted with the AWS-managed `aws/sns`
 * key (its key policy cannot let cloudwatch.amazonaws.com use it), and what it carries (alarm
 * name, metric, threshold, state) is operational metadata, not campaign data. A customer-managed
 * key for that would add a key policy to maintain and a way to lose every alarm silently (a key
 * disabled or scheduled for deletion).
 */
export class OperationsAlarms extends Construct {
  readonly topic: Topic | undefined;

  constructor(scope: Construct, id: string, props: OperationsAlarmsProps) {
    super(scope, id);
    if (props.alarmEmail === undefined) return;
    this.topic = new Topic(this, 'Topic', { displayName: props.displayName, enforceSSL: true });
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarmsOfThisAccount',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnLike: {
            'aws:SourceArn': `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:*`,
          },
        },
      }),
    );
    this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    Validations.of(this.topic.node.defaultChild ?? this.topic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'Operations alarm topic: CloudWatch alarms cannot publish to a topic encrypted with the AWS-managed aws/sns key, and the messages are alarm metadata (name, metric, threshold, state), no campaign data; a customer-managed key would only add a key policy and a way to silence every alarm. TLS is required (enforceSSL).',
    });
  }

  /** Sends the alarm's ALARM and OK transitions to the topic, if there is one. */
  watch(alarm: Alarm): void {
    if (!this.topic) return;
    const action = new SnsAction(this.topic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
  }
}
