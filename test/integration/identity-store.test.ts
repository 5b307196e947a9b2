/** The users and clients registry against DynamoDB Local: round trips, listing, and the conditional writes. */
import { describe, expect, it } from 'vitest';
import type { ClientRecord, UserRecord } from '../../shared/domain/identity.js';
import { DynamoIdentityStore } from '../../shared/store/identity-store.js';
import { RegistryError } from '../../shared/store/recipient-store.js';
import { campaignTable } from '../../shared/store/tables.js';
import { aClientRecord, aUserRecord } from '../support/builders.js';
import { useTestTable } from '../support/dynamo.js';

const aUser = (email: string, overrides: Partial<UserRecord> = {}): UserRecord =>
  aUserRecord({ email, sub: `sub-${email}`, name: email, ...overrides });
const aClient = (clientId: string): ClientRecord => aClientRecord({ clientId, name: `Tablets ${clientId}` });

describe('DynamoIdentityStore', () => {
  let store: DynamoIdentityStore;
  useTestTable(campaignTable, async (t) => {
    store = new DynamoIdentityStore(t.db, t.name);
  });

  it('stores, reads (case-insensitively), lists and deletes users, without their keys', async () => {
    // Arrange
    await store.users.create(aUser('a@hungyen.gov.vn'));
    await store.users.create(aUser('b@hungyen.gov.vn', { passwordHash: '$argon2id$v=19$…' }));
    // Act
    const one = await store.users.get('A@HungYen.gov.vn');
    const all = await store.users.list();
    await store.users.delete(aUser('a@hungyen.gov.vn'));
    // Assert
    expect(one).toEqual(aUser('a@hungyen.gov.vn'));
    expect(all.map((u) => u.email).sort()).toEqual(['a@hungyen.gov.vn', 'b@hungyen.gov.vn']);
    expect(await store.users.get('a@hungyen.gov.vn')).toBeNull();
  });

  it('refuses a second user with the same e-mail, and a change based on a stale read', async () => {
    // Arrange
    const user = aUser('c@hungyen.gov.vn');
    await store.users.create(user);
    await store.users.replace({ ...user, disabled: true, updatedAt: '2021-03-02T00:00:00.000Z' }, user);
    // Act
    const duplicate = await store.users.create(user).catch((e: unknown) => e);
    const stale = await store.users
      .replace({ ...user, units: ['*'], updatedAt: '2021-03-03T00:00:00.000Z' }, user)
      .catch((e: unknown) => e);
    // Assert
    expect((duplicate as RegistryError).kind).toBe('conflict');
    expect((stale as RegistryError).kind).toBe('conflict');
    expect(await store.users.get(user.email)).toMatchObject({
      disabled: true,
      units: ['cccd-2021-hung-yen:323'],
    });
  });

  it('deletes a user only while it is the version read: changed since, conflict (and it stays); gone, not_found', async () => {
    // Arrange: an administrator read (and checked) the user; another then widened its grants.
    const checked = aUser('d@hungyen.gov.vn');
    await store.users.create(checked);
    await store.users.replace({ ...checked, units: ['*'], updatedAt: '2021-03-02T00:00:00.000Z' }, checked);
    // Act
    const stale = await store.users.delete(checked).catch((e: unknown) => e);
    const kept = await store.users.get(checked.email);
    await store.users.delete({ ...checked, updatedAt: '2021-03-02T00:00:00.000Z' });
    const gone = await store.users.delete(checked).catch((e: unknown) => e);
    // Assert
    expect(stale).toBeInstanceOf(RegistryError);
    expect((stale as RegistryError).kind).toBe('conflict');
    expect(kept?.units).toEqual(['*']);
    expect(await store.users.get(checked.email)).toBeNull();
    expect((gone as RegistryError).kind).toBe('not_found');
  });

  it('stores, lists and deletes clients; deleting an unknown one is not_found', async () => {
    // Arrange
    await store.clients.create(aClient('c-1'));
    // Act
    const listed = await store.clients.list();
    await store.clients.delete(aClient('c-1'));
    const again = await store.clients.delete(aClient('c-1')).catch((e: unknown) => e);
    // Assert
    expect(listed).toEqual([aClient('c-1')]);
    expect(await store.clients.get('c-1')).toBeNull();
    expect(again).toBeInstanceOf(RegistryError);
    expect((again as RegistryError).kind).toBe('not_found');
  });
});
