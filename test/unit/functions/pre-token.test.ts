/** The Cognito pre-token-generation trigger (V3): claims from the registry, or no token at all. */
import { describe, expect, it } from 'vitest';
import { CLIENT_CREDENTIALS_SOURCE, makeHandler, type PreTokenEvent } from '../../../functions/pre-token.js';
import type { ClientRecord, UserRecord } from '../../../shared/domain/identity.js';
import { aClientRecord, aUserRecord } from '../../support/builders.js';

const RESOURCE = 'https://api.quota-campaign.example';

function anEvent(
  source: string,
  options: { email?: string; sub?: string; clientId?: string; scopes?: string[] } = {},
): PreTokenEvent {
  // Cognito's user sub: the user name too, as the pool signs in by e-mail (username attributes).
  const sub = options.sub ?? aUserRecord().sub;
  return {
    version: '3',
    triggerSource: source,
    region: 'ap-southeast-1',
    userPoolId: 'ap-southeast-1_abc',
    userName: options.email ? sub : '',
    callerContext: { awsSdkVersion: '3', clientId: options.clientId ?? 'dashboard-client' },
    request: {
      userAttributes: options.email ? { sub, email: options.email } : {},
      groupConfiguration: {},
      scopes: options.scopes ?? ['openid', `${RESOURCE}/progress:read`],
    },
    response: { claimsAndScopeOverrideDetails: {} },
  } as PreTokenEvent;
}

const storeOf = (users: UserRecord[], clients: ClientRecord[] = []) => ({
  users: { get: async (email: string) => users.find((u) => u.email === email) ?? null },
  clients: { get: async (id: string) => clients.find((c) => c.clientId === id) ?? null },
});

describe('pre-token-generation trigger', () => {
  it('puts every unit (as an array) and the bare scopes of a user with several units into the access token', async () => {
    // Arrange
    const user = aUserRecord({
      units: ['cccd-2021-hung-yen:323', 'cccd-2021-hung-yen:325', '11977'],
      scopes: ['admin', 'progress:read'],
    });
    const handler = makeHandler({ store: storeOf([user]) });
    // Act
    const out = await handler(anEvent('TokenGeneration_Authentication', { email: user.email }));
    // Assert
    const access = out.response.claimsAndScopeOverrideDetails.accessTokenGeneration;
    expect(access?.claimsToAddOrOverride?.units).toEqual([
      'cccd-2021-hung-yen:323',
      'cccd-2021-hung-yen:325',
      '11977',
    ]);
    expect(access?.scopesToAdd).toEqual(['progress:read', 'admin']);
    expect(access?.scopesToSuppress).toEqual([`${RESOURCE}/progress:read`]);
  });

  it('keeps a campaign-qualified grant as it is stored', async () => {
    // Arrange
    const handler = makeHandler({ store: storeOf([aUserRecord({ units: ['cccd-2021-thanh-hoa:*'] })]) });
    // Act
    const out = await handler(anEvent('TokenGeneration_RefreshTokens', { email: aUserRecord().email }));
    // Assert
    expect(
      out.response.claimsAndScopeOverrideDetails.accessTokenGeneration?.claimsToAddOrOverride?.units,
    ).toEqual(['cccd-2021-thanh-hoa:*']);
  });

  it('serves machine clients (client credentials) from the clients registry', async () => {
    // Arrange
    const handler = makeHandler({ store: storeOf([], [aClientRecord()]) });
    // Act
    const out = await handler(
      anEvent(CLIENT_CREDENTIALS_SOURCE, { clientId: '4b1tablets', scopes: [`${RESOURCE}/intake:write`] }),
    );
    // Assert
    const access = out.response.claimsAndScopeOverrideDetails.accessTokenGeneration;
    expect(access?.claimsToAddOrOverride?.units).toEqual(['cccd-2021-hung-yen:323']);
    expect(access?.scopesToAdd).toEqual(['intake:write']);
  });

  it.each([
    [
      'a disabled user',
      storeOf([aUserRecord({ disabled: true })]),
      anEvent('TokenGeneration_RefreshTokens', { email: aUserRecord().email }),
    ],
    [
      'a user not in the registry',
      storeOf([]),
      anEvent('TokenGeneration_Authentication', { email: aUserRecord().email }),
    ],
    ['a removed client', storeOf([aUserRecord()]), anEvent(CLIENT_CREDENTIALS_SOURCE, { clientId: 'gone' })],
    [
      // The registry links a person to a sign-in by its sub (written when the user was added); the
      // e-mail attribute is only the key to find the record. Another sign-in that carries this
      // e-mail (re-created, or its address changed) gets nothing of the record's grants.
      'a sign-in whose e-mail names a registry user of another sub',
      storeOf([aUserRecord({ units: ['*'], scopes: ['admin'] })]),
      anEvent('TokenGeneration_Authentication', {
        email: aUserRecord().email,
        sub: '0d4e5f60-0000-4000-8000-0000000000ff',
      }),
    ],
  ])('issues no token for %s', async (_, store, event) => {
    // Arrange
    const handler = makeHandler({ store });
    // Act / Assert
    await expect(handler(event)).rejects.toThrow(/No token/);
    expect(event.response.claimsAndScopeOverrideDetails.accessTokenGeneration).toBeUndefined();
  });

  it('issues no token when the registry cannot be read (never one with wrong claims)', async () => {
    // Arrange
    const failing = {
      users: {
        get: async () => {
          throw Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailable' });
        },
      },
      clients: { get: async () => null },
    };
    const handler = makeHandler({ store: failing });
    const event = anEvent('TokenGeneration_Authentication', { email: aUserRecord().email });
    // Act / Assert
    await expect(handler(event)).rejects.toThrow('Service unavailable');
    expect(event.response.claimsAndScopeOverrideDetails.accessTokenGeneration).toBeUndefined();
  });
});
