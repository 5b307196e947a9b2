/**
 * Guards the guard: stack.test.ts asserts "no AwsSolutions finding", which would also pass if
 * buildApp stopped registering cdk-nag. Here a deliberately non-compliant resource must fail
 * the synth of the very app `cdk synth` builds.
 */

import { rmSync } from 'node:fs';
import { ManagedPolicy, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.js';

describe('buildApp() cdk-nag wiring', () => {
  it('fails the synth on an unacknowledged AwsSolutions finding, naming rule and resource', () => {
    // Arrange
    const { app, stack } = buildApp({ stage: 'dev' });
    new Role(stack, 'NonCompliantRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      managedPolicies: [ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess')],
    });

    // Act
    let failure: unknown;
    try {
      app.synth();
    } catch (error) {
      failure = error;
    } finally {
      rmSync(app.outdir, { recursive: true, force: true });
    }

    // Assert
    expect(failure).toBeInstanceOf(Error);
    const message = (failure as Error).message;
    expect(message).toMatch(
      /AwsSolutions-IAM4\[Policy::arn:<AWS::Partition>:iam::aws:policy\/ReadOnlyAccess\]/,
    );
    expect(message).toContain('QuotaCampaign-dev/NonCompliantRole/Resource');
  });
});
