import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CliError, resolveTarget } from '../../../../../infra/local/cli/target.js';

describe('resolveTarget()', () => {
  const cloudFormation = mockClient(CloudFormationClient);
  let previousDir: string | undefined;
  beforeEach(() => {
    cloudFormation.reset();
    previousDir = process.env.QUOTA_LOCAL_DIR;
    process.env.QUOTA_LOCAL_DIR = mkdtempSync(join(tmpdir(), 'quota-target-'));
  });
  afterEach(() => {
    process.env.QUOTA_LOCAL_DIR = previousDir;
  });

  it('reads the table names of a stage from its stack outputs', async () => {
    // Arrange
    cloudFormation.on(DescribeStacksCommand, { StackName: 'QuotaCampaign-prod' }).resolves({
      Stacks: [
        {
          StackName: 'QuotaCampaign-prod',
          CreationTime: new Date(),
          StackStatus: 'CREATE_COMPLETE',
          Outputs: [
            { OutputKey: 'ApiUrl', OutputValue: 'https://abc.execute-api.ap-southeast-1.amazonaws.com/' },
            { OutputKey: 'CampaignTableName', OutputValue: 'QuotaCampaign-prod-Campaign-XYZ' },
            { OutputKey: 'IntakeEventsTableName', OutputValue: 'QuotaCampaign-prod-IntakeEvents-XYZ' },
          ],
        },
      ],
    });
    // Act
    const target = await resolveTarget('prod', new CloudFormationClient({ region: 'ap-southeast-1' }));
    // Assert
    expect(target.tables).toEqual({
      campaign: 'QuotaCampaign-prod-Campaign-XYZ',
      intakeEvents: 'QuotaCampaign-prod-IntakeEvents-XYZ',
    });
    expect(target.description).toBe('stage prod (stack QuotaCampaign-prod)');
  });

  it('says clearly when the stack lacks the output', async () => {
    cloudFormation.on(DescribeStacksCommand).resolves({ Stacks: [] });
    await expect(
      resolveTarget('dev', new CloudFormationClient({ region: 'ap-southeast-1' })),
    ).rejects.toThrow('Stack QuotaCampaign-dev has no output CampaignTableName');
  });

  it('refuses a malformed stage name without calling AWS', async () => {
    await expect(resolveTarget('Prod Stage')).rejects.toBeInstanceOf(CliError);
    expect(cloudFormation.calls()).toHaveLength(0);
  });

  it('says the local system is not running when no runtime descriptor is live', async () => {
    await expect(resolveTarget(undefined)).rejects.toThrow('The local system is not running');
  });
});
