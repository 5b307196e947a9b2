/**
 * Identity in AWS (stage setting `identity: cognito`): the user pool that signs leaders and
 * administrators in and issues machine clients' tokens, its domain with managed login, the resource
 * server with the API's scopes, the dashboard's app client, and the pre-token-generation trigger
 * (version 3) that puts `units` and the bare scope names into every access token from the registry.
 *
 * Machine clients are not in the template: `npm run clients -- add --stage` (or POST /v1/clients)
 * creates them at run time (CreateUserPoolClient, client credentials).
 */
import { Annotations, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnManagedLoginBranding,
  FeaturePlan,
  LambdaVersion,
  ManagedLoginVersion,
  Mfa,
  OAuthScope,
  ResourceServerScope,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
  UserPoolOperation,
  type UserPoolResourceServer,
} from 'aws-cdk-lib/aws-cognito';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { IDENTITY_SCOPES, RESOURCE_SERVER_IDENTIFIER } from '../../shared/domain/identity.js';
import type { QuotaFunction } from './quota-function.js';

export { RESOURCE_SERVER_IDENTIFIER };
/** The development dashboard (`npm run dev` in web/, or the local gateway): allowed in dev stages. */
export const LOCAL_DASHBOARD_URL = 'http://127.0.0.1:3000/';

const SCOPE_DESCRIPTIONS: Record<(typeof IDENTITY_SCOPES)[number], string> = {
  'intake:write': 'Post intake events for units inside the token units',
  'progress:read': 'Read progress, reports and alerts of units inside the token units',
  admin: 'Administer campaigns, leaders, silences, users and clients within the token units',
};

export interface QuotaIdentityProps {
  readonly stage: string;
  /** Dev stages also allow the local dashboard (http://127.0.0.1:3000/) as a callback. */
  readonly dev: boolean;
  /** The dashboard's URL (callback and logout), when known. */
  readonly dashboardUrl?: string;
  /** The Cognito domain prefix (unique in the region). */
  readonly domainPrefix: string;
  readonly removalPolicy: RemovalPolicy;
  /** The pre-token-generation trigger (functions/pre-token.ts). */
  readonly trigger: QuotaFunction;
  /** Functions that manage users and clients (functions/identity-admin.ts). */
  readonly managers: readonly QuotaFunction[];
}

export class QuotaIdentity extends Construct {
  readonly userPool: UserPool;
  readonly domain: UserPoolDomain;
  readonly resourceServer: UserPoolResourceServer;
  readonly dashboardClient: UserPoolClient;
  /** `https://cognito-idp.<region>.amazonaws.com/<poolId>`: the tokens' `iss`. */
  readonly issuer: string;

  constructor(scope: Construct, id: string, props: QuotaIdentityProps) {
    super(scope, id);

    this.userPool = new UserPool(this, 'Users', {
      userPoolName: `quota-campaign-${props.stage}`,
      // Essentials: the pre-token-generation trigger may shape access tokens (V2/V3) and serve
      // machine clients; managed login pages.
      featurePlan: FeaturePlan.ESSENTIALS,
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      standardAttributes: {
        email: { required: true, mutable: true },
        fullname: { required: false, mutable: true },
      },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(7),
      },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      userInvitation: {
        emailSubject: 'Tài khoản theo dõi chiến dịch / Your campaign dashboard account',
        emailBody:
          'Tên đăng nhập / Username: {username}<br>Mật khẩu tạm thời / Temporary password: {####}<br>' +
          'Đổi mật khẩu khi đăng nhập lần đầu. / Change it at your first sign-in.',
      },
      deletionProtection: props.removalPolicy === RemovalPolicy.RETAIN,
      removalPolicy: props.removalPolicy,
    });
    // As CDK's HttpUserPoolAuthorizer builds it: ProviderURL has no scheme, the authorizer needs one.
    this.issuer = `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${this.userPool.userPoolId}`;

    this.userPool.addTrigger(
      UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG,
      props.trigger,
      LambdaVersion.V3_0,
    );

    const scopes = IDENTITY_SCOPES.map(
      (name) => new ResourceServerScope({ scopeName: name, scopeDescription: SCOPE_DESCRIPTIONS[name] }),
    );
    this.resourceServer = this.userPool.addResourceServer('Api', {
      identifier: RESOURCE_SERVER_IDENTIFIER,
      userPoolResourceServerName: 'Quota campaign API',
      scopes,
    });

    const callbackUrls = [
      // The dashboard's own root is its redirect_uri (stage config strips a trailing slash).
      ...(props.dashboardUrl ? [`${props.dashboardUrl.replace(/\/+$/, '')}/`] : []),
      ...(props.dev ? [LOCAL_DASHBOARD_URL] : []),
    ];
    const oAuth = {
      flows: { authorizationCodeGrant: true },
      scopes: [
        OAuthScope.OPENID,
        OAuthScope.EMAIL,
        OAuthScope.PROFILE,
        ...IDENTITY_SCOPES.map((name) => OAuthScope.custom(`${RESOURCE_SERVER_IDENTIFIER}/${name}`)),
      ],
      callbackUrls,
      logoutUrls: callbackUrls,
    };
    if (callbackUrls.length === 0) {
      Annotations.of(this).addWarningV2(
        'quota-campaign:noDashboardUrl',
        `No dashboard URL for stage ${props.stage}: the dashboard client cannot sign anyone in until stage setting dashboardUrl is set (cdk.json "stageConfig.${props.stage}.dashboardUrl" or -c dashboardUrl=https://…).`,
      );
    }
    this.dashboardClient = this.userPool.addClient('Dashboard', {
      userPoolClientName: 'dashboard',
      generateSecret: false, // a public client in the browser: authorization code with PKCE
      authFlows: {},
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      ...(callbackUrls.length > 0 ? { oAuth } : { disableOAuth: true }),
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      enableTokenRevocation: true,
      preventUserExistenceErrors: true,
    });

    // The scopes are named literally (readable in the template): the client comes after their server.
    this.dashboardClient.node.addDependency(this.resourceServer);

    this.domain = this.userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: props.domainPrefix },
      managedLoginVersion: ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
    // Managed login shows a client's pages once the client has a branding (Cognito's own style here).
    const branding = new CfnManagedLoginBranding(this, 'DashboardLoginBranding', {
      userPoolId: this.userPool.userPoolId,
      clientId: this.dashboardClient.userPoolClientId,
      useCognitoProvidedValues: true,
    });
    branding.node.addDependency(this.domain);

    // The registry's admin calls on this pool, and nothing else.
    for (const fn of props.managers) {
      fn.addEnvironment('USER_POOL_ID', this.userPool.userPoolId);
      fn.addEnvironment('RESOURCE_SERVER_ID', RESOURCE_SERVER_IDENTIFIER);
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: [
            'cognito-idp:AdminCreateUser',
            'cognito-idp:AdminDisableUser',
            'cognito-idp:AdminEnableUser',
            'cognito-idp:AdminDeleteUser',
            'cognito-idp:CreateUserPoolClient',
            'cognito-idp:DeleteUserPoolClient',
          ],
          resources: [this.userPool.userPoolArn],
        }),
      );
    }

    const pool = this.userPool.node.defaultChild ?? this.userPool;
    Validations.of(pool).acknowledge(
      {
        id: 'AwsSolutions-COG2',
        reason:
          'MFA is optional by design: leaders sign in from their own phones and shared office computers; an administrator can require it per user (TOTP) without a redeploy. Accounts are admin-created only (no self sign-up) and the password policy is strict.',
      },
      {
        id: 'AwsSolutions-COG8',
        reason:
          'Threat protection (compromised-credential and adaptive sign-in checks) needs the Plus feature plan; Essentials is chosen for cost (Plus costs several times more per monthly active user for a few thousand leaders). Sign-ups are closed, users are admin-created, and tokens live one hour.',
      },
    );
  }
}
