/** Where subscriptions are made: SNS when an alerts topic is configured, the local outbox otherwise; a stage's topic from its stack outputs. */
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { subscriptionsFromEnv } from '../../../../functions/recipients.js';
import { alertsTopicArn } from '../../../../infra/local/cli/recipients.js';
import { localSubscriptions, SnsSubscriptions } from '../../../../shared/alerts/subscriptions.js';

describe('where subscriptions are made', () => {
  it('uses SNS when ALERTS_TOPIC_ARN is set, nothing locally, and refuses to start in Lambda without it', async () => {
    const topic = 'arn:aws:sns:ap-southeast-1:123456789012:alerts';
    expect(await subscriptionsFromEnv({ ALERTS_TOPIC_ARN: topic })).toBeInstanceOf(SnsSubscriptions);
    expect(await subscriptionsFromEnv({})).toBe(localSubscriptions);
    await expect(subscriptionsFromEnv({ AWS_LAMBDA_FUNCTION_NAME: 'Recipients' })).rejects.toThrow(
      'Missing environment variable ALERTS_TOPIC_ARN',
    );
    await expect(subscriptionsFromEnv({ ALERTS_TOPIC_ARN: 'alerts' })).rejects.toThrow(
      'must be an SNS topic ARN',
    );
  });

  it("reads a stage's alerts topic from its stack outputs, for the CLI's --stage", async () => {
    // Arrange
    const cloudFormation = mockClient(CloudFormationClient);
    cloudFormation.on(DescribeStacksCommand, { StackName: 'QuotaCampaign-dev' }).resolves({
      Stacks: [
        {
          StackName: 'QuotaCampaign-dev',
          CreationTime: new Date(),
          StackStatus: 'UPDATE_COMPLETE',
          Outputs: [{ OutputKey: 'AlertsTopicArn', OutputValue: 'arn:aws:sns:ap-southeast-1:1:alerts' }],
        },
      ],
    });
    const client = new CloudFormationClient({ region: 'ap-southeast-1' });
    // Act + Assert
    await expect(alertsTopicArn('dev', client)).resolves.toBe('arn:aws:sns:ap-southeast-1:1:alerts');
    cloudFormation.on(DescribeStacksCommand).resolves({ Stacks: [] });
    await expect(alertsTopicArn('dev', client)).rejects.toThrow(
      'Stack QuotaCampaign-dev has no output AlertsTopicArn; is it deployed?',
    );
    cloudFormation.restore();
  });
});
