/**
 * The dashboard's hosting (infra/constructs/dashboard.ts) in the app `cdk synth` builds, cdk-nag
 * included (the synth fails on an unacknowledged finding). Only the intake function is built (the
 * stage's route throttling names its route), so one bundle, not all: the dashboard needs only the API URL.
 */
import { rmSync } from 'node:fs';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../infra/app.js';
import { contentSecurityPolicy } from '../../../infra/constructs/dashboard.js';
import { DASHBOARD_URL_OUTPUT } from '../../../infra/dashboard-stack.js';
import { ensureWebBuild } from '../../../infra/local/web.js';
import { functions } from '../../../infra/topology.js';

describe('the dashboard in the stack', () => {
  let template: Template;
  let outdir = '';

  beforeAll(async () => {
    await ensureWebBuild();
    const { app, dashboard } = buildApp({
      stage: 'dev',
      functions: functions.filter((f) => f.name === 'Intake'),
    });
    outdir = app.outdir;
    app.synth(); // cdk-nag: throws on any unacknowledged AwsSolutions finding
    template = Template.fromStack(dashboard);
  });
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('keeps the site in a private bucket that refuses plain HTTP', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          Match.objectLike({
            Effect: 'Allow',
            Action: 's3:GetObject',
            Principal: { Service: 'cloudfront.amazonaws.com' },
          }),
        ]),
      },
    });
  });

  it('serves it through CloudFront with origin access control, HTTPS only, index.html at the root and for client routes', () => {
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: { OriginAccessControlOriginType: 's3', SigningBehavior: 'always' },
    });
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'https-only' }),
        CustomErrorResponses: [
          { ErrorCode: 403, ResponseCode: 200, ResponsePagePath: '/index.html', ErrorCachingMinTTL: 0 },
          { ErrorCode: 404, ResponseCode: 200, ResponsePagePath: '/index.html', ErrorCachingMinTTL: 0 },
        ],
        Origins: [Match.objectLike({ OriginAccessControlId: Match.anyValue() })],
      }),
    });
  });

  it('sends security headers with a strict Content-Security-Policy', () => {
    const policies = template.findResources('AWS::CloudFront::ResponseHeadersPolicy');
    const config = Object.values(policies)[0]?.Properties.ResponseHeadersPolicyConfig;
    const headers = config.SecurityHeadersConfig;
    expect(headers.StrictTransportSecurity).toMatchObject({
      AccessControlMaxAgeSec: 31_536_000,
      Override: true,
    });
    expect(headers.FrameOptions).toMatchObject({ FrameOption: 'DENY' });
    expect(headers.ContentTypeOptions).toMatchObject({ Override: true });
    expect(headers.ReferrerPolicy).toMatchObject({ ReferrerPolicy: 'no-referrer' });
    const csp = JSON.stringify(headers.ContentSecurityPolicy.ContentSecurityPolicy);
    for (const directive of [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "frame-ancestors 'none'",
      "object-src 'none'",
    ]) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
  });

  it('writes config.json beside the app and outputs DashboardUrl', () => {
    template.hasResourceProperties('Custom::CDKBucketDeployment', {
      DestinationBucketName: Match.anyValue(),
      DistributionPaths: ['/index.html', '/config.json'],
    });
    const outputs = template.findOutputs(DASHBOARD_URL_OUTPUT);
    expect(JSON.stringify(outputs[DASHBOARD_URL_OUTPUT]?.Value)).toContain('DomainName');
  });

  it('imports the API URL from the API stack for config.json and the CSP', () => {
    const deployment = Object.values(template.findResources('Custom::CDKBucketDeployment'))[0];
    expect(JSON.stringify(deployment)).toContain('QuotaCampaign-dev-ApiUrl');
  });

  it("signs leaders in through the stage's user pool: config.json names its issuer and the dashboard client, the CSP lets the page reach them", () => {
    // Arrange: the dev stage has identity cognito by default; the pool comes with its trigger function
    const { app, dashboard } = buildApp({
      stage: 'dev',
      functions: functions.filter((f) => f.name === 'Intake' || f.name === 'PreToken'),
    });
    const withPool = Template.fromStack(dashboard);
    rmSync(app.outdir, { recursive: true, force: true });
    const deployment = JSON.stringify(
      Object.values(withPool.findResources('Custom::CDKBucketDeployment'))[0],
    );
    const csp = JSON.stringify(withPool.findResources('AWS::CloudFront::ResponseHeadersPolicy'));
    // Assert: without a pool (only the intake function above), config.json has no sign-in: the token link
    expect(JSON.stringify(template.findResources('Custom::CDKBucketDeployment'))).not.toContain(
      'cognito-idp.',
    );
    // The issuer, the dashboard client and the sign-in domain come from the API stack
    expect(deployment).toContain('QuotaCampaign-dev-TokenIssuer');
    expect(deployment).toContain('QuotaCampaign-dev-DashboardClientId');
    expect(csp).toContain('https://cognito-idp.');
    expect(csp).toContain('QuotaCampaign-dev-SignInDomain');
  });

  it('builds the CSP from the API and the identity provider only', () => {
    expect(contentSecurityPolicy(['https://api.example', 'https://idp.example'])).toContain(
      "connect-src 'self' https://api.example https://idp.example",
    );
  });
});
