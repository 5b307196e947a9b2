/** The leaders' registry over in-memory stores and a recording subscription manager, for the tests of functions/recipients.ts and infra/local/cli/recipients.ts. */
import { beforeEach } from 'vitest';
import { makeHandler } from '../../functions/recipients.js';
import { type SubscriptionManager, SubscriptionSyncError } from '../../shared/alerts/subscriptions.js';
import { importCampaign } from '../../shared/catalog/import.js';
import { CampaignFile } from '../../shared/schemas/campaign.js';
import type { Recipient } from '../../shared/schemas/recipients.js';
import { type RecipientStore, RegistryError } from '../../shared/store/recipient-store.js';
import { aCampaignFile, anHttpEvent, type EventOptions } from './builders.js';
import { MemoryCampaignStore } from './memory-campaign-store.js';

export const CAMPAIGN = 'cccd-2021-test';

/** The DynamoDB adapter's rules in memory: endpoint claims per campaign, optimistic replace. */
class MemoryRecipientStore implements RecipientStore {
  readonly items = new Map<string, Recipient>();
  readonly claims = new Map<string, string>();
  private claimKeys(r: Recipient) {
    return [r.sms && `sms#${r.sms}`, r.email && `email#${r.email.toLowerCase()}`]
      .filter((k): k is string => typeof k === 'string')
      .map((k) => `${r.campaignId}|${k}`);
  }
  async registrationsOf(protocol: 'sms' | 'email', endpoint: string) {
    const key = (e: string) => (protocol === 'email' ? e.toLowerCase() : e);
    return [...this.items.values()]
      .filter((r) => r[protocol] !== undefined && key(r[protocol] ?? '') === key(endpoint))
      .map((r) => structuredClone(r));
  }
  async get(campaignId: string, id: string) {
    const r = this.items.get(id);
    return r && r.campaignId === campaignId ? structuredClone(r) : null;
  }
  async list(campaignId: string) {
    return [...this.items.values()]
      .filter((r) => r.campaignId === campaignId)
      .sort((a, b) => `${a.unitId}#${a.id}`.localeCompare(`${b.unitId}#${b.id}`));
  }
  async listByUnit(campaignId: string, unitId: string) {
    return (await this.list(campaignId)).filter((r) => r.unitId === unitId);
  }
  private claim(r: Recipient, keys: string[]) {
    for (const key of keys) {
      const holder = this.claims.get(key);
      if (holder !== undefined && holder !== r.id) {
        throw new RegistryError('conflict', `${key} is already registered by recipient ${holder}`);
      }
    }
  }
  async create(r: Recipient) {
    if (this.items.has(r.id)) throw new RegistryError('conflict', `recipient ${r.id} already exists`);
    const keys = this.claimKeys(r);
    this.claim(r, keys);
    for (const key of keys) this.claims.set(key, r.id);
    this.items.set(r.id, structuredClone(r));
  }
  async replace(next: Recipient, previous: Recipient) {
    if (this.items.get(previous.id)?.updatedAt !== previous.updatedAt) {
      throw new RegistryError('conflict', 'changed meanwhile');
    }
    const keys = this.claimKeys(next);
    this.claim(next, keys);
    for (const key of this.claimKeys(previous)) this.claims.delete(key);
    for (const key of keys) this.claims.set(key, next.id);
    this.items.set(next.id, structuredClone(next));
  }
  async delete(r: Recipient) {
    if (!this.items.delete(r.id)) throw new RegistryError('not_found', `No recipient ${r.id}`);
    for (const key of this.claimKeys(r)) this.claims.delete(key);
  }
}

/** Records what would be done in SNS; `fail` makes the next sync fail like SNS part-way. */
class RecordingSubscriptions implements SubscriptionManager {
  readonly calls: string[] = [];
  fail: Error | null = null;
  async sync(recipient: Recipient, previous?: Recipient) {
    this.calls.push(
      `sync ${recipient.id}${previous ? ` from ${previous.unitId}/${previous.sms ?? ''}` : ''}`,
    );
    if (this.fail) {
      const cause = this.fail;
      this.fail = null;
      throw new SubscriptionSyncError(`SNS failed: ${cause.message}`, { sms: 'arn:partial' }, [], cause);
    }
    return {
      subscriptions: {
        ...(recipient.sms && { sms: `arn:sms:${recipient.sms}` }),
        ...(recipient.email && { email: `arn:email:${recipient.email}` }),
      },
      notes: recipient.email ? [`email ${recipient.email}: SNS sent a confirmation e-mail`] : [],
    };
  }
  async remove(recipient: Recipient) {
    this.calls.push(`remove ${recipient.id} ${JSON.stringify(recipient.subscriptions)}`);
    return { notes: [] };
  }
}

export const json = (body: string | undefined) => JSON.parse(body ?? 'null');

export interface World {
  recipients: MemoryRecipientStore;
  campaigns: MemoryCampaignStore;
  subscriptions: RecordingSubscriptions;
}

export async function aWorld(): Promise<World> {
  const campaigns = new MemoryCampaignStore();
  await importCampaign(campaigns, CampaignFile.parse(aCampaignFile()));
  return { recipients: new MemoryRecipientStore(), campaigns, subscriptions: new RecordingSubscriptions() };
}

/** The recipients handler over a fresh world, at 08:00 UTC on 13/3/2021, with ids r-test0001, r-test0002, … */
export async function aRecipientsApi() {
  const world = await aWorld();
  let ids = 0;
  const handler = makeHandler({
    ...world,
    clock: () => new Date('2021-03-13T08:00:00.000Z'),
    newId: () => `r-test${String(++ids).padStart(4, '0')}`,
  });
  const request = (method: string, suffix: string, options: Partial<EventOptions> = {}) => {
    const recipientId = suffix.match(/^\/([^/?]+)/)?.[1];
    return handler(
      anHttpEvent({
        method,
        path: `/v1/campaigns/${CAMPAIGN}/recipients${suffix}`,
        routeKey: `${method} /v1/campaigns/{campaignId}/recipients${recipientId ? '/{recipientId}' : ''}`,
        pathParameters: { campaignId: CAMPAIGN, ...(recipientId && { recipientId }) },
        ...options,
      }),
    );
  };
  const post = (body: unknown, claims?: EventOptions['claims']) =>
    request('POST', '', { body, ...(claims !== undefined && { claims }) });
  return { world, handler, request, post };
}

export type RecipientsApi = Awaited<ReturnType<typeof aRecipientsApi>>;

/** A fresh aRecipientsApi() before each test of the calling describe block, behind one stable object. */
export function recipientsApi(): RecipientsApi {
  const api = {} as RecipientsApi;
  beforeEach(async () => {
    Object.assign(api, await aRecipientsApi());
  });
  return api;
}

/** A district administrator's claims for units written as in a table: `district('[323 324]')`. */
export const district = (units: string) => ({
  sub: 'district-admin',
  scope: 'admin',
  units: units.slice(1, -1).split(' '),
});
