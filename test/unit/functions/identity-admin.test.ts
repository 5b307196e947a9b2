/** The users and clients registry over HTTP (functions/identity-admin.ts), with in-memory stores. */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { makeHandler, ROUTES } from '../../../functions/identity-admin.js';
import type { ClientRecord, UserRecord } from '../../../shared/domain/identity.js';
import type { IdentityDirectory } from '../../../shared/identity/registry.js';
import type { IdentityStore, RecordStore } from '../../../shared/store/identity-store.js';
import { RegistryError } from '../../../shared/store/recipient-store.js';
import { anHttpEvent, type EventOptions, type TokenClaims } from '../../support/builders.js';
import { anImportedCampaignStore } from '../../support/memory-campaign-store.js';

const CAMPAIGN = 'cccd-2021-test';

/** Records in memory, keyed as the store keys them; a second create of one id is a conflict. */
class MemoryRecords<T extends object> implements RecordStore<T> {
  readonly items = new Map<string, T>();
  constructor(private readonly idOf: (record: T) => string) {}
  async get(id: string) {
    return this.items.get(id) ?? null;
  }
  async list() {
    return [...this.items.values()];
  }
  async create(record: T) {
    if (this.items.has(this.idOf(record))) throw new RegistryError('conflict', 'exists');
    this.items.set(this.idOf(record), record);
  }
  async replace(next: T) {
    this.items.set(this.idOf(next), next);
  }
  async delete(record: T) {
    this.items.delete(this.idOf(record));
  }
}

class MemoryIdentityStore implements IdentityStore {
  readonly users = new MemoryRecords<UserRecord>((u) => u.email);
  readonly clients = new MemoryRecords<ClientRecord>((c) => c.clientId);
}

const directoryCalls: string[] = [];
const directory: IdentityDirectory = {
  createUser: async ({ email }) => {
    directoryCalls.push(`createUser ${email}`);
    return { sub: `sub-${email}` };
  },
  setUserEnabled: async (email, enabled) => {
    directoryCalls.push(`${enabled ? 'enable' : 'disable'} ${email}`);
  },
  deleteUser: async (email) => {
    directoryCalls.push(`deleteUser ${email}`);
  },
  createClient: async ({ name }) => {
    directoryCalls.push(`createClient ${name}`);
    return { clientId: 'cid-1', clientSecret: 'secret-1' };
  },
  deleteClient: async (id) => {
    directoryCalls.push(`deleteClient ${id}`);
  },
};

describe('identity admin handler', () => {
  let store: MemoryIdentityStore;
  let handler: ReturnType<typeof makeHandler>;
  const districtAdmin = { sub: 'admin-323', scope: 'admin progress:read', units: [`${CAMPAIGN}:323`] };

  beforeEach(async () => {
    directoryCalls.length = 0;
    store = new MemoryIdentityStore();
    const campaigns = await anImportedCampaignStore();
    handler = makeHandler({ store, campaigns, directory, clock: () => new Date('2021-03-13T02:00:00Z') });
  });

  /** The handler, called on a route by a caller with these claims. */
  const call = (
    routeKey: string,
    method: string,
    path: string,
    claims: TokenClaims,
    extra: Pick<EventOptions, 'body' | 'pathParameters'> = {},
  ) => handler(anHttpEvent({ method, path, routeKey, claims, ...extra }));
  /** POST /v1/users as the district's admin. */
  const addUser = (body: object) => call(ROUTES.addUser, 'POST', '/v1/users', districtAdmin, { body });

  it('adds a user within the caller’s grants (201), recording who gave it', async () => {
    // Act
    const response = await addUser({
      email: 'Xa.Mot@HungYen.gov.vn',
      name: 'Xã Một',
      units: [`${CAMPAIGN}:12001`],
      scope: 'progress:read',
    });
    // Assert
    expect(response.statusCode).toBe(201);
    expect(store.users.items.get('xa.mot@hungyen.gov.vn')).toMatchObject({
      units: [`${CAMPAIGN}:12001`],
      scopes: ['progress:read'],
      createdBy: 'admin-323',
      sub: 'sub-xa.mot@hungyen.gov.vn',
    });
  });

  it('refuses bad input with every problem listed, and changes nothing (no registry item, no Cognito call)', async () => {
    // Act
    const response = await addUser({
      email: 'not an email',
      name: 'X',
      units: [`${CAMPAIGN}:324`, '12001', `${CAMPAIGN}:nope`],
      scope: 'progress:read root',
    });
    // Assert
    expect(response.statusCode).toBe(400);
    const problem = JSON.parse(String(response.body)) as { errors: { path: string; message: string }[] };
    expect(problem.errors.map((e) => e.path)).toEqual(['email', 'units.0', 'units.1', 'units.2', 'scope.1']);
    expect(store.users.items.size).toBe(0);
    expect(directoryCalls).toEqual([]);
  });

  it('needs scope admin', async () => {
    // Arrange
    const leader = { sub: 'leader', scope: 'progress:read', units: ['*'] };
    // Act
    const response = await call(ROUTES.listUsers, 'GET', '/v1/users', leader);
    // Assert
    expect(response.statusCode).toBe(403);
  });

  it('disables only users whose grants the caller covers; the registry first, then Cognito', async () => {
    // Arrange
    const add = (email: string, units: string[]) =>
      store.users.create({
        kind: 'user',
        email,
        sub: email,
        name: email,
        units,
        scopes: ['progress:read'],
        disabled: false,
        createdAt: '',
        createdBy: '',
        updatedAt: 'v1',
      });
    await add('inside@x.vn', [`${CAMPAIGN}:12002`]);
    await add('outside@x.vn', [`${CAMPAIGN}:12001`, `${CAMPAIGN}:12101`]);
    const disable = (email: string) =>
      call(ROUTES.disableUser, 'POST', `/v1/users/${email}/disable`, districtAdmin, {
        pathParameters: { email: encodeURIComponent(email) },
      });
    // Act
    const inside = await disable('inside@x.vn');
    const outside = await disable('outside@x.vn');
    // Assert
    expect(inside.statusCode).toBe(200);
    expect(store.users.items.get('inside@x.vn')?.disabled).toBe(true);
    expect(outside.statusCode).toBe(404);
    expect(store.users.items.get('outside@x.vn')?.disabled).toBe(false);
    expect(directoryCalls).toEqual(['disable inside@x.vn']);
  });

  describe('a principal whose grants the caller does not cover is answered as an unknown one', () => {
    /** A user holding `*` and one holding a commune of another district, which the district's admin cannot manage. */
    const addOutsiders = async () => {
      for (const [email, units] of [
        ['root@x.vn', ['*']],
        ['other@x.vn', [`${CAMPAIGN}:12101`]],
      ] as const) {
        await store.users.create({
          kind: 'user',
          email,
          sub: email,
          name: email,
          units: [...units],
          scopes: ['admin'],
          disabled: false,
          createdAt: '',
          createdBy: '',
          updatedAt: 'v1',
        });
      }
    };
    /** Each route that names a user, for `email`. */
    const userRoutes = (email: string) => {
      const pathParameters = { email: encodeURIComponent(email) };
      return [
        () =>
          call(ROUTES.disableUser, 'POST', `/v1/users/${email}/disable`, districtAdmin, { pathParameters }),
        () => call(ROUTES.enableUser, 'POST', `/v1/users/${email}/enable`, districtAdmin, { pathParameters }),
        () =>
          call(ROUTES.updateUser, 'PUT', `/v1/users/${email}`, districtAdmin, {
            pathParameters,
            body: { units: [`${CAMPAIGN}:12001`], scope: 'progress:read' },
          }),
        () => call(ROUTES.removeUser, 'DELETE', `/v1/users/${email}`, districtAdmin, { pathParameters }),
      ];
    };

    it.each(['root@x.vn', 'other@x.vn'])(
      '%s: 404, the same problem as for nobody, no grant told, nothing changed',
      async (email) => {
        // Arrange
        await addOutsiders();
        const before = structuredClone([...store.users.items.entries()]);
        const unknown = await Promise.all(userRoutes('nobody@x.vn').map((route) => route()));
        // Act
        const answers = await Promise.all(userRoutes(email).map((route) => route()));
        // Assert
        answers.forEach((answer, i) => {
          expect(answer.statusCode).toBe(404);
          expect(String(answer.body)).not.toMatch(/\*|12101|holds grants/);
          expect(JSON.parse(String(answer.body).replaceAll(email, 'nobody@x.vn'))).toEqual(
            JSON.parse(String(unknown[i]?.body)),
          );
        });
        expect([...store.users.items.entries()]).toEqual(before);
        expect(directoryCalls).toEqual([]);
      },
    );

    it('a machine client likewise: 404 as for an unknown client, not removed', async () => {
      // Arrange
      await store.clients.create({
        kind: 'client',
        clientId: 'cid-root',
        name: 'Everything',
        units: ['*'],
        scopes: ['intake:write'],
        createdAt: '',
        createdBy: '',
      });
      const remove = (clientId: string) =>
        call(ROUTES.removeClient, 'DELETE', `/v1/clients/${clientId}`, districtAdmin, {
          pathParameters: { clientId },
        });
      // Act
      const outside = await remove('cid-root');
      const unknown = await remove('cid-nobody');
      // Assert
      expect(outside.statusCode).toBe(404);
      expect(JSON.parse(String(outside.body).replaceAll('cid-root', 'cid-nobody'))).toEqual(
        JSON.parse(String(unknown.body)),
      );
      expect(store.clients.items.has('cid-root')).toBe(true);
      expect(directoryCalls).toEqual([]);
    });
  });

  it('refuses a user path that is not an e-mail address with the schema’s message (400), calling nothing', async () => {
    // A fresh module graph, so that no earlier request has loaded the e-mail rule's schema module.
    vi.resetModules();
    const fresh = await import('../../../functions/identity-admin.js');
    const campaigns = await anImportedCampaignStore();
    const response = await fresh.makeHandler({ store, campaigns, directory })(
      anHttpEvent({
        method: 'DELETE',
        path: '/v1/users/nobody',
        routeKey: ROUTES.removeUser,
        claims: districtAdmin,
        pathParameters: { email: 'nobody' },
      }),
    );
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(String(response.body)).errors).toEqual([
      { path: 'email', message: 'must be an e-mail address' },
    ]);
    expect(directoryCalls).toEqual([]);
  });

  it('adds a machine client and answers its secret once', async () => {
    // Arrange
    const admin = { sub: 'admin', scope: 'admin intake:write', units: ['*'] };
    // Act
    const response = await call(ROUTES.addClient, 'POST', '/v1/clients', admin, {
      body: { name: 'Tablets', units: [`${CAMPAIGN}:323`], scope: 'intake:write' },
    });
    // Assert
    expect(response.statusCode).toBe(201);
    expect(JSON.parse(String(response.body))).toMatchObject({
      client: { clientId: 'cid-1' },
      clientSecret: 'secret-1',
    });
    expect(JSON.stringify([...store.clients.items.values()])).not.toContain('secret-1');
  });
});
