/**
 * The directory in AWS: the stack's Cognito user pool. Users are created by an administrator
 * (AdminCreateUser: Cognito e-mails the invitation with a temporary password, changed at first
 * sign-in); machine clients are app clients with a secret and the client-credentials flow,
 * allowed the resource server's scopes they were given. What goes into tokens (units, bare
 * scopes) comes from the registry, through the pre-token-generation trigger.
 */
import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  type CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  DeleteUserPoolClientCommand,
  type ServiceInputTypes,
  type ServiceOutputTypes,
} from '@aws-sdk/client-cognito-identity-provider';
import { RegistryError } from '../store/recipient-store.js';
import type { IdentityDirectory } from './registry.js';

export interface CognitoDirectoryConfig {
  readonly userPoolId: string;
  /** The resource server's identifier: its scopes are `<identifier>/intake:write` … */
  readonly resourceServerId: string;
}

/** Access tokens live one hour: a disabled user or changed grant takes effect within it. */
export const ACCESS_TOKEN_HOURS = 1;

async function upstream<T>(what: string, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    const name = (error as { name?: string }).name ?? 'Error';
    if (name === 'UsernameExistsException')
      throw new RegistryError('conflict', `${what}: the user exists in Cognito`);
    if (name === 'UserNotFoundException')
      throw new RegistryError('not_found', `${what}: no such user in Cognito`);
    throw new RegistryError('upstream', `${what}: Cognito answered ${name}: ${(error as Error).message}`);
  }
}

export function cognitoDirectory(
  cognito: CognitoIdentityProviderClient,
  config: CognitoDirectoryConfig,
): IdentityDirectory {
  const pool = { UserPoolId: config.userPoolId };
  /** One request to Cognito, `what` naming it in a refusal. */
  const call = <I extends ServiceInputTypes, O extends ServiceOutputTypes>(
    what: string,
    command: Parameters<typeof cognito.send<I, O>>[0],
  ): Promise<O> => upstream(what, cognito.send(command));
  return {
    async createUser({ email, name }) {
      const { User } = await call(
        `AdminCreateUser ${email}`,
        new AdminCreateUserCommand({
          ...pool,
          Username: email,
          UserAttributes: [
            { Name: 'email', Value: email },
            { Name: 'email_verified', Value: 'true' },
            { Name: 'name', Value: name },
          ],
          DesiredDeliveryMediums: ['EMAIL'],
        }),
      );
      const sub = User?.Attributes?.find((a) => a.Name === 'sub')?.Value;
      if (!sub) throw new RegistryError('upstream', `AdminCreateUser ${email}: Cognito returned no sub`);
      return { sub };
    },
    async setUserEnabled(email, enabled) {
      const input = { ...pool, Username: email };
      await (enabled
        ? call(`AdminEnableUser ${email}`, new AdminEnableUserCommand(input))
        : call(`AdminDisableUser ${email}`, new AdminDisableUserCommand(input)));
    },
    async deleteUser(email) {
      await call(`AdminDeleteUser ${email}`, new AdminDeleteUserCommand({ ...pool, Username: email }));
    },
    async createClient({ name, scopes }) {
      const { UserPoolClient } = await call(
        `CreateUserPoolClient ${name}`,
        new CreateUserPoolClientCommand({
          ...pool,
          ClientName: name.slice(0, 128),
          GenerateSecret: true,
          AllowedOAuthFlows: ['client_credentials'],
          AllowedOAuthFlowsUserPoolClient: true,
          AllowedOAuthScopes: scopes.map((s) => `${config.resourceServerId}/${s}`),
          AccessTokenValidity: ACCESS_TOKEN_HOURS,
          TokenValidityUnits: { AccessToken: 'hours' },
          PreventUserExistenceErrors: 'ENABLED',
          EnableTokenRevocation: true,
        }),
      );
      if (!UserPoolClient?.ClientId || !UserPoolClient.ClientSecret) {
        throw new RegistryError('upstream', `CreateUserPoolClient ${name}: no client id or secret returned`);
      }
      return { clientId: UserPoolClient.ClientId, clientSecret: UserPoolClient.ClientSecret };
    },
    async deleteClient(clientId) {
      await call(
        `DeleteUserPoolClient ${clientId}`,
        new DeleteUserPoolClientCommand({ ...pool, ClientId: clientId }),
      );
    },
  };
}
