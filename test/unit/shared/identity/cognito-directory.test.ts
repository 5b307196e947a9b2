/** The registry's directory in AWS: the Cognito calls it makes, and how their failures are reported. */
import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { cognitoDirectory } from '../../../../shared/identity/cognito-directory.js';
import { RegistryError } from '../../../../shared/store/recipient-store.js';

const cognito = mockClient(CognitoIdentityProviderClient);
const config = { userPoolId: 'ap-southeast-1_abc', resourceServerId: 'quota-campaign-api' };

describe('cognitoDirectory', () => {
  beforeEach(() => cognito.reset());

  it('creates a user with a verified e-mail and an e-mailed invitation, and returns its sub', async () => {
    // Arrange
    cognito.on(AdminCreateUserCommand).resolves({ User: { Attributes: [{ Name: 'sub', Value: 'uuid-1' }] } });
    const directory = cognitoDirectory(new CognitoIdentityProviderClient({}), config);
    // Act
    const created = await directory.createUser({ email: 'a@hungyen.gov.vn', name: 'A' });
    // Assert
    expect(created).toEqual({ sub: 'uuid-1' });
    expect(cognito.commandCalls(AdminCreateUserCommand)[0]?.args[0].input).toMatchObject({
      UserPoolId: config.userPoolId,
      Username: 'a@hungyen.gov.vn',
      DesiredDeliveryMediums: ['EMAIL'],
      UserAttributes: expect.arrayContaining([{ Name: 'email_verified', Value: 'true' }]),
    });
  });

  it('creates a machine client with a secret, client credentials only, its resource-server scopes and one-hour tokens', async () => {
    // Arrange
    cognito
      .on(CreateUserPoolClientCommand)
      .resolves({ UserPoolClient: { ClientId: 'cid', ClientSecret: 'csecret' } });
    const directory = cognitoDirectory(new CognitoIdentityProviderClient({}), config);
    // Act
    const created = await directory.createClient({ name: 'Văn Lâm tablets', scopes: ['intake:write'] });
    // Assert
    expect(created).toEqual({ clientId: 'cid', clientSecret: 'csecret' });
    expect(cognito.commandCalls(CreateUserPoolClientCommand)[0]?.args[0].input).toMatchObject({
      GenerateSecret: true,
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['quota-campaign-api/intake:write'],
      AccessTokenValidity: 1,
      TokenValidityUnits: { AccessToken: 'hours' },
    });
  });

  it('reports Cognito failures as registry errors (not found, upstream)', async () => {
    // Arrange
    cognito
      .on(AdminDisableUserCommand)
      .rejects(Object.assign(new Error('gone'), { name: 'UserNotFoundException' }));
    cognito
      .on(CreateUserPoolClientCommand)
      .rejects(Object.assign(new Error('slow down'), { name: 'TooManyRequestsException' }));
    const directory = cognitoDirectory(new CognitoIdentityProviderClient({}), config);
    // Act
    const disable = await directory.setUserEnabled('a@b.vn', false).catch((e: unknown) => e);
    const client = await directory
      .createClient({ name: 'x', scopes: ['intake:write'] })
      .catch((e: unknown) => e);
    // Assert
    expect(disable).toBeInstanceOf(RegistryError);
    expect((disable as RegistryError).kind).toBe('not_found');
    expect((client as RegistryError).kind).toBe('upstream');
  });
});
