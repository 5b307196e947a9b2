/**
 * Cognito's pre-token-generation trigger (version 3: user sign-ins and machine clients alike).
 * Puts into the access token, from the users and clients registry, the claims every route reads:
 * `units` (an array of grants) and the bare scope names (`intake:write` …; the resource server's
 * `<identifier>/intake:write` forms are suppressed), through accessTokenClaims, the same function
 * the local identity provider uses.
 *
 * No token with wrong claims: a principal that is not registered, is disabled, or holds nothing
 * makes the trigger fail, and so does a registry that cannot be read; Cognito then issues no token.
 * A user is found by e-mail but must be the sign-in the registry recorded (its `sub`): another
 * sign-in carrying that address (re-created, or its address changed) gets nothing of its grants.
 */
import type { BasePreTokenGenerationV3TriggerEvent } from 'aws-lambda';
import { accessTokenClaims, type Principal } from '../shared/domain/identity.js';
import { withLambdaContext } from '../shared/observability/lambda-context.js';
import { createLogger } from '../shared/observability/logger.js';
import { campaignTableFromEnv } from '../shared/store/client.js';
import { DynamoIdentityStore, type IdentityStore } from '../shared/store/identity-store.js';

/** Both trigger sources of version 3: every user flow, and `TokenGeneration_ClientCredentials`. */
export type PreTokenEvent = BasePreTokenGenerationV3TriggerEvent<string>;

export const CLIENT_CREDENTIALS_SOURCE = 'TokenGeneration_ClientCredentials';

const logger = createLogger('pre-token');

/** What the trigger reads of the registry: one user or one client by id. */
export interface PrincipalSource {
  readonly users: Pick<IdentityStore['users'], 'get'>;
  readonly clients: Pick<IdentityStore['clients'], 'get'>;
}

export function makeHandler(deps: { readonly store: PrincipalSource }) {
  return async (event: PreTokenEvent): Promise<PreTokenEvent> => {
    const machine = event.triggerSource === CLIENT_CREDENTIALS_SOURCE;
    const who = machine ? event.callerContext.clientId : (event.request.userAttributes.email ?? '');
    let principal: Principal | undefined;
    let otherSignIn = false;
    if (machine) principal = (await deps.store.clients.get(who)) ?? undefined;
    else if (who) {
      principal = (await deps.store.users.get(who)) ?? undefined;
      // The e-mail (a mutable attribute) only finds the record; the sign-in must be the one the
      // registry recorded when the user was added (its sub), as the token's subject is.
      otherSignIn = principal !== undefined && principal.sub !== event.request.userAttributes.sub;
    }
    const decision = otherSignIn
      ? { issue: false as const, reason: "the registry's user with this e-mail is another sign-in (sub)" }
      : accessTokenClaims(principal);
    if (!decision.issue) {
      logger.warn('no token', { principal: who, machine, reason: decision.reason });
      throw new Error(`No token for ${machine ? 'client' : 'user'} ${who}: ${decision.reason}`);
    }
    const requested = event.request.scopes ?? [];
    event.response = {
      claimsAndScopeOverrideDetails: {
        accessTokenGeneration: {
          // Cognito accepts arrays as claim values from version 2 of the event on.
          claimsToAddOrOverride: { units: [...decision.claims.units] as unknown as string },
          scopesToAdd: decision.claims.scope.split(' '),
          // `<resource server>/intake:write`: the API's routes and handlers use the bare names only.
          scopesToSuppress: requested.filter((s) => s.includes('/')),
        },
      },
    };
    return event;
  };
}

const { db, table } = await campaignTableFromEnv();
export const handler = withLambdaContext(logger, makeHandler({ store: new DynamoIdentityStore(db, table) }));
