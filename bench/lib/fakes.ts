/**
 * Minimal in-memory stand-ins for the handlers' ports, for CPU measurements: they do as little as
 * possible so that the figures measure the handler (test/support/ has the richer fakes for tests,
 * and the stream record builder the roll-up measurement uses).
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { StoredOriginal } from '../../shared/domain/intake.js';
import type { IntakeEventStore, PutOutcome, StoredIntakeEvent } from '../../shared/store/intake-store.js';
import { intakeEventKey } from '../../shared/store/intake-store.js';
import { aBearerToken, type TokenClaims } from '../../test/support/builders.js';

/** Keeps stored items by key (no copy), answers `accepted` the first time and `duplicate` after. */
export class LeanIntakeStore implements IntakeEventStore {
  readonly items = new Map<string, StoredIntakeEvent>();
  last: StoredIntakeEvent | undefined;

  async putIfAbsent(event: StoredIntakeEvent): Promise<PutOutcome> {
    const key = intakeEventKey(event.campaignId, event.eventId).pk;
    if (this.items.has(key)) return 'duplicate';
    this.items.set(key, event);
    this.last = event;
    return 'accepted';
  }

  async getMany(): Promise<Map<string, StoredOriginal>> {
    return new Map();
  }
}

/** The IntakeEvents item DynamoIntakeEventStore puts for an event. */
export const storedItem = (event: StoredIntakeEvent) => ({
  ...intakeEventKey(event.campaignId, event.eventId),
  ...event,
});

/**
 * An HTTP API (payload 2.0) POST as API Gateway hands it over after the JWT authorizer: the token's
 * claims flattened into the authorizer context (arrays become "[a b]") and the token itself in the
 * Authorization header (unsigned: the authorizer has checked it), as the handlers read them.
 */
export function httpPost(path: string, body: string, claims: TokenClaims): APIGatewayProxyEventV2 {
  const flattened = Object.fromEntries(
    Object.entries(claims).map(([k, v]) => [k, Array.isArray(v) ? `[${v.join(' ')}]` : String(v)]),
  );
  return {
    version: '2.0',
    routeKey: `POST ${path}`,
    rawPath: path,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${aBearerToken(claims)}` },
    isBase64Encoded: false,
    body,
    requestContext: {
      accountId: 'bench',
      apiId: 'bench',
      domainName: 'bench',
      domainPrefix: 'bench',
      http: { method: 'POST', path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
      requestId: 'bench',
      routeKey: `POST ${path}`,
      stage: '$default',
      time: '',
      timeEpoch: 0,
      authorizer: { jwt: { claims: flattened, scopes: [] } },
    } as APIGatewayProxyEventV2['requestContext'],
  };
}
