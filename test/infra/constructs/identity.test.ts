/**
 * Identity in the stack: with `identity: cognito` (the default) the user pool, its domain, resource
 * server, dashboard client, V3 trigger and its permissions, the registry function's Cognito grants,
 * and the authorizer bound to the pool; with `identity: external` none of them. Each synth passes
 * cdk-nag (it throws on an unacknowledged finding). Bundling is skipped: these tests read the template.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_DASHBOARD_URL, RESOURCE_SERVER_IDENTIFIER } from '../../../infra/constructs/identity.js';
import {
  executionRoleId,
  functionId,
  logicalIdOf,
  type Synthesized,
  synthesize,
} from '../../support/stack-synth.js';

const DASHBOARD = 'https://d111111abcdef8.cloudfront.net/';
const TABLETS_CLIENT = '4b1tabletsclient0example';

let dev: Synthesized;
let prod: Synthesized;
let external: Synthesized;
beforeAll(() => {
  dev = synthesize('dev', {
    context: { dashboardUrl: DASHBOARD, stageConfig: { dev: { machineClientAudience: [TABLETS_CLIENT] } } },
  });
  prod = synthesize('prod');
  external = synthesize('dev', {
    context: {
      identity: 'external',
      jwtIssuer: 'https://login.example.gov.vn/realms/quota',
      jwtAudience: 'quota-api',
    },
  });
});

describe('identity: cognito', () => {
  it('has a user pool on the Essentials plan, admin-created users only, a strict password policy, optional TOTP', () => {
    dev.template.resourceCountIs('AWS::Cognito::UserPool', 1);
    dev.template.hasResourceProperties('AWS::Cognito::UserPool', {
      UserPoolTier: 'ESSENTIALS',
      AdminCreateUserConfig: Match.objectLike({ AllowAdminCreateUserOnly: true }),
      UsernameAttributes: ['email'],
      MfaConfiguration: 'OPTIONAL',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      Policies: {
        PasswordPolicy: Match.objectLike({
          MinimumLength: 12,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        }),
      },
    });
  });

  it('has a domain with managed login and a branding for the dashboard client', () => {
    dev.template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { ManagedLoginVersion: 2 });
    dev.template.resourceCountIs('AWS::Cognito::ManagedLoginBranding', 1);
  });

  it('has a resource server with the three scopes', () => {
    dev.template.hasResourceProperties('AWS::Cognito::UserPoolResourceServer', {
      Identifier: RESOURCE_SERVER_IDENTIFIER,
      Scopes: ['intake:write', 'progress:read', 'admin'].map((name) => Match.objectLike({ ScopeName: name })),
    });
  });

  it('has a public dashboard client: authorization code only, the dashboard URL and the local one in dev, tokens of one hour', () => {
    const expectClient = (s: Synthesized, urls: string[]) =>
      s.template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        GenerateSecret: false,
        AllowedOAuthFlows: ['code'],
        AllowedOAuthFlowsUserPoolClient: true,
        CallbackURLs: urls,
        LogoutURLs: urls,
        AccessTokenValidity: 60,
        TokenValidityUnits: Match.objectLike({ AccessToken: 'minutes' }),
        AllowedOAuthScopes: Match.arrayWith([
          'openid',
          `${RESOURCE_SERVER_IDENTIFIER}/progress:read`,
          `${RESOURCE_SERVER_IDENTIFIER}/admin`,
        ]),
      });
    expectClient(dev, [DASHBOARD, LOCAL_DASHBOARD_URL]);
    prod.template.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
    expect(JSON.stringify(prod.template.toJSON())).not.toContain('127.0.0.1');
  });

  it('calls the PreToken function as a version 3 pre-token-generation trigger, and lets Cognito invoke it', () => {
    const triggerId = functionId(dev, 'PreToken');
    dev.template.hasResourceProperties('AWS::Cognito::UserPool', {
      LambdaConfig: {
        PreTokenGenerationConfig: { LambdaArn: { 'Fn::GetAtt': [triggerId, 'Arn'] }, LambdaVersion: 'V3_0' },
      },
    });
    dev.template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [triggerId, 'Arn'] },
      Principal: 'cognito-idp.amazonaws.com',
    });
  });

  it('gives the registry function the admin calls on this pool only, and the trigger none', () => {
    const poolArn = {
      'Fn::GetAtt': [logicalIdOf(dev.stack, dev.stack.identity?.userPool.node.defaultChild), 'Arn'],
    };
    const statements = JSON.stringify(dev.template.toJSON());
    dev.template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: executionRoleId(dev, 'IdentityAdmin') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: Match.arrayWith(['cognito-idp:AdminCreateUser', 'cognito-idp:CreateUserPoolClient']),
            Resource: poolArn,
          }),
        ]),
      },
    });
    expect(statements).not.toContain('cognito-idp:*');
    const triggerRole = executionRoleId(dev, 'PreToken');
    const triggerPolicies = Object.values(
      dev.template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: triggerRole }] } }),
    );
    expect(JSON.stringify(triggerPolicies)).not.toContain('cognito-idp');
    expect(JSON.stringify(triggerPolicies)).not.toMatch(/dynamodb:(PutItem|UpdateItem|DeleteItem)/);
  });

  it('binds the JWT authorizer to the pool: its issuer, the dashboard client and the listed machine clients as audience', () => {
    const poolId = logicalIdOf(dev.stack, dev.stack.identity?.userPool.node.defaultChild);
    const clientId = logicalIdOf(dev.stack, dev.stack.identity?.dashboardClient.node.defaultChild);
    const authorizer = Object.values(dev.template.findResources('AWS::ApiGatewayV2::Authorizer'))[0] as {
      Properties: { JwtConfiguration: { Issuer: unknown; Audience: unknown } };
    };
    expect(authorizer.Properties.JwtConfiguration.Issuer).toEqual({
      'Fn::Join': ['', ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.amazonaws.com/', { Ref: poolId }]],
    });
    expect(authorizer.Properties.JwtConfiguration.Audience).toEqual([{ Ref: clientId }, TABLETS_CLIENT]);
  });

  it('outputs what the CLIs and the dashboard need', () => {
    for (const name of [
      'UserPoolId',
      'ResourceServerIdentifier',
      'TokenIssuer',
      'DashboardClientId',
      'SignInDomain',
    ]) {
      dev.template.hasOutput(name, Match.anyValue());
    }
  });
});

describe('identity: external', () => {
  it('has no user pool, client, domain, trigger or registry function, and trusts the given issuer', () => {
    for (const type of [
      'AWS::Cognito::UserPool',
      'AWS::Cognito::UserPoolClient',
      'AWS::Cognito::UserPoolDomain',
      'AWS::Cognito::UserPoolResourceServer',
    ]) {
      external.template.resourceCountIs(type, 0);
    }
    expect(external.stack.functions.has('PreToken')).toBe(false);
    expect(external.stack.functions.has('IdentityAdmin')).toBe(false);
    expect(JSON.stringify(external.template.toJSON())).not.toContain('cognito-idp:');
    external.template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      JwtConfiguration: { Issuer: 'https://login.example.gov.vn/realms/quota', Audience: ['quota-api'] },
    });
  });
});
