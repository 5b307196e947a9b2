/**
 * The users and clients registry as a service: validation of what an administrator gives,
 * the rule "only grants one's own grants cover", the registry items (shared/store) and the
 * directory that signs people and machines in (Cognito in AWS, the local identity provider
 * locally). The CLIs (`npm run users`, `npm run clients`) and the admin HTTP routes
 * (functions/identity-admin.ts) both go through here.
 */

import type * as z from 'zod';
import type { Grant } from '../domain/grants.js';
import type { Hierarchy } from '../domain/hierarchy.js';
import { buildHierarchy } from '../domain/hierarchy.js';
import {
  type ClientRecord,
  type GrantProblem,
  grantProblems,
  IDENTITY_SCOPES,
  type IdentityScope,
  mayManage,
  type UserRecord,
} from '../domain/identity.js';
import type { ClientView, UserView } from '../schemas/identity.js';
import { fieldErrors } from '../schemas/issues.js';
import { scopeNames } from '../schemas/values.js';
import type { CampaignStore } from '../store/campaign-store.js';
import type { IdentityStore } from '../store/identity-store.js';
import { RegistryError } from '../store/recipient-store.js';

/** Who asks: the caller's token (HTTP) or the operator of a CLI (every grant). */
export interface Giver {
  readonly sub: string;
  readonly grants: readonly Grant[];
  readonly scopes: ReadonlySet<string>;
}

/** Where people and machines sign in: Cognito (AWS) or the local identity provider. */
export interface IdentityDirectory {
  /** Creates the sign-in; locally returns a one-time password (and its hash for the registry). */
  createUser(user: { email: string; name: string }): Promise<{
    sub: string;
    oneTimePassword?: string;
    passwordHash?: string;
  }>;
  setUserEnabled(email: string, enabled: boolean): Promise<void>;
  deleteUser(email: string): Promise<void>;
  /** A confidential client with the client-credentials flow and these scopes. */
  createClient(client: { name: string; scopes: readonly IdentityScope[] }): Promise<{
    clientId: string;
    clientSecret: string;
  }>;
  deleteClient(clientId: string): Promise<void>;
}

export interface IdentityRegistryDeps {
  readonly store: IdentityStore;
  readonly campaigns: CampaignStore;
  readonly directory: IdentityDirectory;
  readonly clock?: () => Date;
}

export const userView = (u: UserRecord): UserView => ({
  email: u.email,
  sub: u.sub,
  name: u.name,
  units: [...u.units],
  scope: u.scopes.join(' '),
  disabled: u.disabled,
  createdAt: u.createdAt,
  createdBy: u.createdBy,
  updatedAt: u.updatedAt,
});

export const clientView = (c: ClientRecord): ClientView => ({
  clientId: c.clientId,
  name: c.name,
  units: [...c.units],
  scope: c.scopes.join(' '),
  createdAt: c.createdAt,
  createdBy: c.createdBy,
});

/** The input schemas (and zod with them) load with the first user or client added, not at start (bench: coldstart). */
const inputSchemas = () => import('../schemas/identity.js');

const invalid = (problems: readonly GrantProblem[]) =>
  new RegistryError(
    'invalid',
    `${problems.length} problem${problems.length === 1 ? '' : 's'}: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
    problems,
  );

/**
 * The grants and scopes a request asks for, even when its shape is invalid (so that every problem,
 * the shape's and the grants', is listed at once), and the shape's problems.
 */
function requestedGrants(
  parsed: { success: true; data: { units: string[]; scope: string } } | { success: false; error: z.ZodError },
  raw: unknown,
) {
  const record = (raw ?? {}) as { units?: unknown; scope?: unknown };
  const units = parsed.success
    ? parsed.data.units
    : Array.isArray(record.units)
      ? record.units.map(String)
      : [];
  const scopes = scopeNames(
    parsed.success ? parsed.data.scope : typeof record.scope === 'string' ? record.scope : '',
  );
  const shape = parsed.success ? [] : fieldErrors(parsed.error.issues);
  return { units, scopes, shape };
}

export class IdentityRegistry {
  private readonly clock: () => Date;

  constructor(private readonly deps: IdentityRegistryDeps) {
    this.clock = deps.clock ?? (() => new Date());
  }

  /** Every stored campaign's unit tree, for the grant checks (admin operations are rare). */
  private async hierarchies(): Promise<Map<string, Hierarchy>> {
    const campaigns = await this.deps.campaigns.listCampaigns();
    const entries = await Promise.all(
      campaigns.map(async (c) => {
        const units = await this.deps.campaigns.listUnits(c.id);
        return units.length > 0 ? ([c.id, buildHierarchy(units)] as const) : undefined;
      }),
    );
    return new Map(entries.filter((e) => e !== undefined));
  }

  private async checkGrants(
    giver: Giver,
    units: readonly string[],
    scopes: readonly string[],
    shapeProblems: GrantProblem[],
  ): Promise<IdentityScope[]> {
    const trees = await this.hierarchies();
    const knownUnit = (unitId: string) => [...trees.values()].some((h) => h.has(unitId));
    const problems = [
      ...shapeProblems,
      ...grantProblems({ units, scopes }, giver, (id) => trees.get(id), knownUnit),
    ];
    if (problems.length > 0) throw invalid(problems);
    return IDENTITY_SCOPES.filter((s) => scopes.includes(s));
  }

  /**
   * Refuses a principal the giver may not manage exactly as an unknown one (`notFound`, the same
   * RegistryError not_found): the lists hide such principals, so naming one tells neither that it
   * exists nor what it holds (docs/ARCHITECTURE.md §6: an administrator acts only within its own grants).
   */
  private async requireManage(
    giver: Giver,
    principal: UserRecord | ClientRecord,
    notFound: () => RegistryError,
  ) {
    const trees = await this.hierarchies();
    if (!mayManage(giver.grants, principal, (id) => trees.get(id))) throw notFound();
  }

  async addUser(giver: Giver, raw: unknown): Promise<{ user: UserView; oneTimePassword?: string }> {
    const parsed = (await inputSchemas()).UserInput.safeParse(raw);
    const { units, scopes, shape } = requestedGrants(parsed, raw);
    const granted = await this.checkGrants(giver, units, scopes, shape);
    if (!parsed.success) throw invalid(shape);
    const input = parsed.data;
    if (await this.deps.store.users.get(input.email)) {
      throw new RegistryError('conflict', `A user ${input.email} exists already`);
    }
    const created = await this.deps.directory.createUser({ email: input.email, name: input.name });
    const now = this.clock().toISOString();
    const user: UserRecord = {
      kind: 'user',
      email: input.email,
      sub: created.sub,
      name: input.name,
      units: [...new Set(input.units)],
      scopes: granted,
      disabled: false,
      createdAt: now,
      createdBy: giver.sub,
      updatedAt: now,
      ...(created.passwordHash && { passwordHash: created.passwordHash }),
    };
    try {
      await this.deps.store.users.create(user);
    } catch (error) {
      await this.deps.directory.deleteUser(input.email).catch(() => {});
      throw error;
    }
    return {
      user: userView(user),
      ...(created.oneTimePassword && { oneTimePassword: created.oneTimePassword }),
    };
  }

  async listUsers(giver: Giver): Promise<UserView[]> {
    const trees = await this.hierarchies();
    const users = await this.deps.store.users.list();
    return users
      .filter((u) => mayManage(giver.grants, u, (id) => trees.get(id)))
      .sort((a, b) => a.email.localeCompare(b.email))
      .map(userView);
  }

  /** The stored user the giver may manage; any other is RegistryError not_found, as an unknown one. */
  private async user(giver: Giver, email: string): Promise<UserRecord> {
    const notFound = () => new RegistryError('not_found', `No user ${email}`);
    const user = await this.deps.store.users.get(email.trim().toLowerCase());
    if (!user) throw notFound();
    await this.requireManage(giver, user, notFound);
    return user;
  }

  async setUserEnabled(giver: Giver, email: string, enabled: boolean): Promise<UserView> {
    const user = await this.user(giver, email);
    const next: UserRecord = { ...user, disabled: !enabled, updatedAt: this.clock().toISOString() };
    // The registry first: from this write on, neither issuer gives the user a token.
    await this.deps.store.users.replace(next, user);
    await this.deps.directory.setUserEnabled(user.email, enabled);
    return userView(next);
  }

  /** Replaces a user's grants and scopes (effective at the user's next token). */
  async updateUserGrants(
    giver: Giver,
    email: string,
    raw: { units: unknown; scope: unknown },
  ): Promise<UserView> {
    const user = await this.user(giver, email);
    const units = Array.isArray(raw.units) ? raw.units.map((u) => String(u).trim()) : [];
    const scopes = scopeNames(typeof raw.scope === 'string' ? raw.scope : '');
    const granted = await this.checkGrants(giver, units, scopes, []);
    const next: UserRecord = {
      ...user,
      units: [...new Set(units)],
      scopes: granted,
      updatedAt: this.clock().toISOString(),
    };
    await this.deps.store.users.replace(next, user);
    return userView(next);
  }

  async removeUser(giver: Giver, email: string): Promise<void> {
    const user = await this.user(giver, email);
    await this.deps.store.users.delete(user);
    await this.deps.directory.deleteUser(user.email);
  }

  async addClient(giver: Giver, raw: unknown): Promise<{ client: ClientView; clientSecret: string }> {
    const parsed = (await inputSchemas()).ClientInput.safeParse(raw);
    const { units, scopes, shape } = requestedGrants(parsed, raw);
    const granted = await this.checkGrants(giver, units, scopes, shape);
    if (!parsed.success) throw invalid(shape);
    const created = await this.deps.directory.createClient({ name: parsed.data.name, scopes: granted });
    const client: ClientRecord = {
      kind: 'client',
      clientId: created.clientId,
      name: parsed.data.name,
      units: [...new Set(parsed.data.units)],
      scopes: granted,
      createdAt: this.clock().toISOString(),
      createdBy: giver.sub,
    };
    try {
      await this.deps.store.clients.create(client);
    } catch (error) {
      await this.deps.directory.deleteClient(created.clientId).catch(() => {});
      throw error;
    }
    return { client: clientView(client), clientSecret: created.clientSecret };
  }

  async listClients(giver: Giver): Promise<ClientView[]> {
    const trees = await this.hierarchies();
    const clients = await this.deps.store.clients.list();
    return clients
      .filter((c) => mayManage(giver.grants, c, (id) => trees.get(id)))
      .sort((a, b) => a.name.localeCompare(b.name) || a.clientId.localeCompare(b.clientId))
      .map(clientView);
  }

  async removeClient(giver: Giver, clientId: string): Promise<void> {
    const notFound = () => new RegistryError('not_found', `No client ${clientId}`);
    const client = await this.deps.store.clients.get(clientId.trim());
    if (!client) throw notFound();
    await this.requireManage(giver, client, notFound);
    await this.deps.store.clients.delete(client);
    await this.deps.directory.deleteClient(client.clientId);
  }
}
