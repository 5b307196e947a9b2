/**
 * The users and clients registry over HTTP (scope admin), the twin of `npm run users` and
 * `npm run clients`. An administrator gives only grants its own grants cover, and changes or removes
 * only principals whose grants its own cover (shared/identity/registry.ts); any other is answered 404,
 * as an unknown one, since the lists hide it too. One function, chosen by `event.routeKey`:
 *
 * - POST   /v1/users                  { email, name, units: [..], scope } → 201 { user, oneTimePassword? }
 * - GET    /v1/users                  → 200 { users } (those the caller may manage)
 * - PUT    /v1/users/{email}          { units, scope } → 200 the user (effective at its next token)
 * - POST   /v1/users/{email}/disable  → 200 the user;  …/enable likewise
 * - DELETE /v1/users/{email}          → 204
 * - POST   /v1/clients                { name, units, scope } → 201 { client, clientSecret } (shown once)
 * - GET    /v1/clients                → 200 { clients }
 * - DELETE /v1/clients/{clientId}     → 204
 *
 * The directory is the stack's Cognito user pool (USER_POOL_ID, RESOURCE_SERVER_ID), or locally the
 * local identity provider's (LOCAL_IDENTITY_KEYS_DIR).
 */

import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { type Caller, callerWithScope } from '../shared/auth/claims.js';
import { currentEnv, loadEnv, readEnv, requireVar } from '../shared/config/env-rules.js';
import { type HttpHandler, httpRouter, parseJsonBody, pathParameter } from '../shared/http/handler.js';
import { jsonResponse } from '../shared/http/problem.js';
import { orProblem } from '../shared/http/registry-problem.js';
import { cognitoDirectory } from '../shared/identity/cognito-directory.js';
import { localDirectory } from '../shared/identity/local-directory.js';
import { type Giver, type IdentityDirectory, IdentityRegistry } from '../shared/identity/registry.js';
import { createLogger } from '../shared/observability/logger.js';
import { type CampaignStore, DynamoCampaignStore } from '../shared/store/campaign-store.js';
import { documentClientFor } from '../shared/store/client.js';
import { DynamoIdentityStore, type IdentityStore } from '../shared/store/identity-store.js';

export const ROUTES = {
  addUser: 'POST /v1/users',
  listUsers: 'GET /v1/users',
  updateUser: 'PUT /v1/users/{email}',
  disableUser: 'POST /v1/users/{email}/disable',
  enableUser: 'POST /v1/users/{email}/enable',
  removeUser: 'DELETE /v1/users/{email}',
  addClient: 'POST /v1/clients',
  listClients: 'GET /v1/clients',
  removeClient: 'DELETE /v1/clients/{clientId}',
} as const;

const MAX_BODY_BYTES = 16 * 1024;

/**
 * The `email` path parameter: its rule is the `UserEmail` schema, registered by
 * shared/schemas/identity.ts, loaded (with zod) by the routes that name a user, not at start.
 */
async function emailParameter(event: APIGatewayProxyEventV2): Promise<string> {
  await import('../shared/schemas/identity.js');
  return pathParameter(event, 'email');
}

const logger = createLogger('identity-admin');

export interface IdentityAdminDeps {
  readonly store: IdentityStore;
  readonly campaigns: CampaignStore;
  readonly directory: IdentityDirectory;
  readonly clock?: () => Date;
}

interface AdminContext {
  readonly caller: Caller;
  readonly giver: Giver;
}

export function makeHandler(deps: IdentityAdminDeps): HttpHandler {
  const registry = new IdentityRegistry(deps);
  /** Disabling and enabling a user differ only in the flag. */
  const setEnabled =
    (enabled: boolean) =>
    async (event: APIGatewayProxyEventV2, { caller, giver }: AdminContext) => {
      const user = await orProblem(registry.setUserEnabled(giver, await emailParameter(event), enabled));
      logger.info(enabled ? 'user enabled' : 'user disabled', { email: user.email, by: caller.sub });
      return jsonResponse(200, user);
    };

  return httpRouter(logger, {
    routes: ROUTES,
    before: (event): AdminContext => {
      const caller = callerWithScope(event, 'admin');
      return { caller, giver: { sub: caller.sub, grants: caller.grants, scopes: caller.scopes } };
    },
    handlers: {
      addUser: async (event, { caller, giver }) => {
        const result = await orProblem(registry.addUser(giver, parseJsonBody(event, MAX_BODY_BYTES)));
        logger.info('user added', { email: result.user.email, by: caller.sub });
        return jsonResponse(201, result);
      },
      listUsers: async (_event, { giver }) =>
        jsonResponse(200, { users: await orProblem(registry.listUsers(giver)) }),
      updateUser: async (event, { caller, giver }) => {
        const body = parseJsonBody(event, MAX_BODY_BYTES) as { units?: unknown; scope?: unknown };
        const user = await orProblem(
          registry.updateUserGrants(giver, await emailParameter(event), {
            units: body?.units,
            scope: body?.scope,
          }),
        );
        logger.info('user grants changed', { email: user.email, by: caller.sub });
        return jsonResponse(200, user);
      },
      disableUser: setEnabled(false),
      enableUser: setEnabled(true),
      removeUser: async (event, { caller, giver }) => {
        const email = await emailParameter(event);
        await orProblem(registry.removeUser(giver, email));
        logger.info('user removed', { email, by: caller.sub });
        return { statusCode: 204 };
      },
      addClient: async (event, { caller, giver }) => {
        const { client, clientSecret } = await orProblem(
          registry.addClient(giver, parseJsonBody(event, MAX_BODY_BYTES)),
        );
        logger.info('client added', { clientId: client.clientId, by: caller.sub });
        return jsonResponse(201, { client, clientSecret });
      },
      listClients: async (_event, { giver }) =>
        jsonResponse(200, { clients: await orProblem(registry.listClients(giver)) }),
      removeClient: async (event, { caller, giver }) => {
        const clientId = pathParameter(event, 'clientId');
        await orProblem(registry.removeClient(giver, clientId));
        logger.info('client removed', { clientId, by: caller.sub });
        return { statusCode: 204 };
      },
    },
  });
}

/** Cognito in AWS, the local provider's directory locally; neither is a configuration error. */
export function directoryFromEnv(env: Readonly<Record<string, unknown>>): IdentityDirectory {
  const parsed = readEnv(env);
  if (parsed.USER_POOL_ID && parsed.RESOURCE_SERVER_ID) {
    return cognitoDirectory(new CognitoIdentityProviderClient({ maxAttempts: 5 }), {
      userPoolId: parsed.USER_POOL_ID,
      resourceServerId: parsed.RESOURCE_SERVER_ID,
    });
  }
  if (parsed.LOCAL_IDENTITY_KEYS_DIR) return localDirectory(parsed.LOCAL_IDENTITY_KEYS_DIR);
  throw new Error('Invalid function environment: USER_POOL_ID and RESOURCE_SERVER_ID are required');
}

/** A directory resolved at its first use: the local runtime loads every module before it sets LOCAL_IDENTITY_KEYS_DIR. */
function lazyDirectory(resolve: () => IdentityDirectory): IdentityDirectory {
  let directory: IdentityDirectory | undefined;
  const get = () => {
    directory ??= resolve();
    return directory;
  };
  return {
    createUser: (user) => get().createUser(user),
    setUserEnabled: (email, enabled) => get().setUserEnabled(email, enabled),
    deleteUser: (email) => get().deleteUser(email),
    createClient: (client) => get().createClient(client),
    deleteClient: (clientId) => get().deleteClient(clientId),
  };
}

const env = await loadEnv();
const db = documentClientFor(env);
const table = requireVar(env, 'CAMPAIGN_TABLE');
export const handler = makeHandler({
  store: new DynamoIdentityStore(db, table),
  campaigns: new DynamoCampaignStore(db, table),
  directory: lazyDirectory(() => directoryFromEnv(currentEnv())),
});
