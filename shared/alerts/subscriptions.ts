/**
 * Keeping the leaders' registry and their SNS subscriptions in step (docs/ARCHITECTURE.md §4).
 *
 * - `syncSubscriptions(recipient, previous, sns, topicArn)`: per channel, Subscribe (protocol `sms`
 *   with the E.164 number, `email` with the address) with the filter policy and
 *   `ReturnSubscriptionArn: true`; on a change of unit, language or minimum severity, one
 *   SetSubscriptionAttributes of the FilterPolicy; on a change of number or address, Unsubscribe the
 *   old one and Subscribe the new one; a channel dropped is unsubscribed. Calling it again with the
 *   result as `previous` changes nothing, and SNS's Subscribe itself is idempotent (the same
 *   endpoint with the same attributes returns the existing subscription).
 * - `removeSubscriptions(recipient, sns)`: Unsubscribe each channel.
 * - `RecipientRegistry`: add, update and remove a recipient in the store and in SNS together; the HTTP
 *   handler (functions/recipients.ts) and the CLI (infra/local/cli/recipients.ts) both go through it.
 *
 * E-mail subscriptions wait for the leader to click the link in SNS's confirmation e-mail; until then
 * nothing is delivered to them. SNS cannot delete a subscription that is pending confirmation
 * (Unsubscribe fails; a Subscribe answered without ReturnSubscriptionArn even has no ARN, only the
 * text "pending confirmation"): SNS deletes unconfirmed subscriptions itself 48 hours after they
 * were made. So removing such a recipient removes it from the registry and says so; if the leader
 * clicked that old link within the 48 hours, the subscription would come to life with its old
 * filter policy, and would have to be deleted in the SNS console.
 *
 * Locally there is no SNS: `localSubscriptions` does nothing, and the local SNS stand-in
 * (shared/alerts/local-outbox.ts) reads the registry itself at each publish.
 */
import {
  SetSubscriptionAttributesCommand,
  type SNSClient,
  SubscribeCommand,
  UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import {
  type EndpointPolicy,
  filterPolicyFor,
  filterPolicyJson,
  PolicyLimitError,
  samePolicy,
  unionPolicy,
} from '../domain/filter-policy.js';
import type { CatalogView } from '../domain/intake.js';
import {
  newRecipientId,
  type Recipient,
  type RecipientInput,
  type RecipientSubscriptions,
} from '../schemas/recipients.js';
import { type RecipientStore, RegistryError } from '../store/recipient-store.js';
import { CONTACT_CHANNELS, type ContactChannel } from './publisher.js';

type Sns = Pick<SNSClient, 'send'>;

export interface SyncResult {
  /** The subscription ARN of each channel the recipient has. */
  readonly subscriptions: RecipientSubscriptions;
  /** What an administrator should know (e-mail confirmation pending…). */
  readonly notes: readonly string[];
}

/** SNS failed part-way: `subscriptions` is what exists now, so the registry can record it and retry. */
export class SubscriptionSyncError extends Error {
  override readonly name = 'SubscriptionSyncError';
  constructor(
    message: string,
    readonly subscriptions: RecipientSubscriptions,
    readonly notes: readonly string[],
    override readonly cause: unknown,
  ) {
    super(message);
  }
}

export interface SubscriptionManager {
  /** `others`: the other campaigns' registrations of the endpoints involved (see OtherRegistrations). */
  sync(recipient: Recipient, previous?: Recipient, others?: OtherRegistrations): Promise<SyncResult>;
  remove(recipient: Recipient, others?: OtherRegistrations): Promise<{ readonly notes: readonly string[] }>;
}

const errorName = (error: unknown) => (error as { name?: string }).name ?? '';
const errorText = (error: unknown) => (error as Error).message ?? String(error);

/** A subscription "ARN" that is not one: SNS's "pending confirmation" placeholder (or "Deleted"). */
export const isPlaceholderArn = (arn: string) => !arn.startsWith('arn:');

const PENDING_NOTE = (protocol: ContactChannel, endpoint: string, why: string) =>
  `${protocol} ${endpoint}: the subscription was still waiting for the leader's confirmation (${why}); ` +
  'SNS cannot delete such a subscription and deletes it by itself 48 hours after it was made';

async function subscribe(
  sns: Sns,
  topicArn: string,
  policy: EndpointPolicy,
  protocol: ContactChannel,
  endpoint: string,
  notes: string[],
): Promise<string> {
  const { SubscriptionArn } = await sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: protocol,
      Endpoint: endpoint,
      Attributes: {
        FilterPolicy: filterPolicyJson(policy),
        FilterPolicyScope: 'MessageAttributes',
      },
      ReturnSubscriptionArn: true,
    }),
  );
  if (!SubscriptionArn)
    throw new Error(`SNS Subscribe returned no subscription ARN for ${protocol} ${endpoint}`);
  if (protocol === 'email') {
    notes.push(
      `email ${endpoint}: SNS sent a confirmation e-mail; nothing is delivered to this address until the leader clicks its link (within 48 hours)`,
    );
  }
  return SubscriptionArn;
}

/** Unsubscribes; a subscription already gone is fine, one pending confirmation cannot be deleted (noted). */
async function unsubscribe(
  sns: Sns,
  arn: string,
  protocol: ContactChannel,
  endpoint: string,
  notes: string[],
): Promise<void> {
  if (isPlaceholderArn(arn)) {
    notes.push(PENDING_NOTE(protocol, endpoint, `SNS gave no ARN but "${arn}"`));
    return;
  }
  try {
    await sns.send(new UnsubscribeCommand({ SubscriptionArn: arn }));
  } catch (error) {
    if (errorName(error) === 'NotFoundException') return; // already gone (lapsed, or the leader unsubscribed)
    if (errorName(error) === 'InvalidParameterException') {
      notes.push(PENDING_NOTE(protocol, endpoint, `SNS refused to unsubscribe it: ${errorText(error)}`));
      return;
    }
    throw error;
  }
}

/**
 * The other registrations of each endpoint involved in a change (other campaigns' recipients with the
 * same number or address), keyed by `endpointKey`. SNS has one subscription per endpoint, so its
 * policy is the `$or` of all of them; the registry reads them from the store (`registrationsOf`).
 */
export type OtherRegistrations = ReadonlyMap<string, readonly Recipient[]>;

/** The key of an endpoint in OtherRegistrations (addresses compared without case, as SNS does). */
export const endpointKey = (protocol: ContactChannel, endpoint: string) =>
  `${protocol} ${protocol === 'email' ? endpoint.toLowerCase() : endpoint}`;

const NONE: OtherRegistrations = new Map();

/** The `$or` policy of an endpoint's registrations (PolicyLimitError past SNS's limit). */
export function endpointPolicy(
  protocol: ContactChannel,
  registrations: readonly Recipient[],
): EndpointPolicy {
  return unionPolicy(registrations.map((r) => filterPolicyFor(r, protocol)));
}

/** A recorded subscription ARN of the endpoint (a real one first), from any of its registrations. */
function sharedArn(protocol: ContactChannel, registrations: readonly Recipient[]): string | undefined {
  const arns = registrations.map((r) => r.subscriptions[protocol]).filter((a) => a !== undefined);
  return arns.find((a) => !isPlaceholderArn(a)) ?? arns[0];
}

/**
 * This recipient no longer uses `arn` for `endpoint`: unsubscribe it when no other registration
 * remains, otherwise narrow its policy to the remaining ones.
 */
async function release(
  sns: Sns,
  topicArn: string,
  protocol: ContactChannel,
  endpoint: string,
  arn: string,
  remaining: readonly Recipient[],
  notes: string[],
): Promise<void> {
  if (remaining.length === 0) return unsubscribe(sns, arn, protocol, endpoint, notes);
  await setPolicy(sns, topicArn, endpointPolicy(protocol, remaining), protocol, endpoint, arn, notes);
}

export async function syncSubscriptions(
  recipient: Recipient,
  previous: Recipient | undefined,
  sns: Sns,
  topicArn: string,
  others: OtherRegistrations = NONE,
): Promise<SyncResult> {
  const subscriptions: { sms?: string; email?: string } = {};
  const notes: string[] = [];
  const othersOf = (protocol: ContactChannel, endpoint: string) =>
    others.get(endpointKey(protocol, endpoint)) ?? [];
  // Until a channel is done, what exists is what `previous` recorded.
  const state: { sms?: string; email?: string } = { ...previous?.subscriptions };
  for (const protocol of CONTACT_CHANNELS) {
    try {
      const endpoint = recipient[protocol];
      const before = previous?.[protocol];
      const arn = previous?.subscriptions[protocol];
      const sameEndpoint =
        endpoint !== undefined &&
        before !== undefined &&
        endpointKey(protocol, endpoint) === endpointKey(protocol, before);
      if (arn !== undefined && before !== undefined && !sameEndpoint) {
        await release(sns, topicArn, protocol, before, arn, othersOf(protocol, before), notes);
        delete state[protocol];
      }
      if (endpoint === undefined) {
        delete state[protocol];
        continue;
      }
      const peers = othersOf(protocol, endpoint);
      const policy = endpointPolicy(protocol, [...peers, recipient]);
      if (arn !== undefined && previous !== undefined && sameEndpoint) {
        subscriptions[protocol] = samePolicy(policy, endpointPolicy(protocol, [...peers, previous]))
          ? arn
          : await setPolicy(sns, topicArn, policy, protocol, endpoint, arn, notes);
      } else {
        // Another campaign's registration may already hold the endpoint's one subscription.
        const existing = sharedArn(protocol, peers);
        subscriptions[protocol] =
          existing === undefined
            ? await subscribe(sns, topicArn, policy, protocol, endpoint, notes)
            : await setPolicy(sns, topicArn, policy, protocol, endpoint, existing, notes);
      }
      state[protocol] = subscriptions[protocol];
    } catch (error) {
      throw new SubscriptionSyncError(
        `SNS failed on the ${protocol} subscription of recipient ${recipient.id}: ${errorText(error)}`,
        state,
        notes,
        error,
      );
    }
  }
  return { subscriptions, notes };
}

/** Sets the endpoint's subscription policy. Returns the ARN that now serves it. */
async function setPolicy(
  sns: Sns,
  topicArn: string,
  policy: EndpointPolicy,
  protocol: ContactChannel,
  endpoint: string,
  arn: string,
  notes: string[],
): Promise<string> {
  if (!isPlaceholderArn(arn)) {
    try {
      await sns.send(
        new SetSubscriptionAttributesCommand({
          SubscriptionArn: arn,
          AttributeName: 'FilterPolicy',
          AttributeValue: filterPolicyJson(policy),
        }),
      );
      return arn;
    } catch (error) {
      if (errorName(error) === 'NotFoundException') {
        // Gone: unconfirmed and lapsed, or the leader used the e-mail's unsubscribe link. Subscribe again.
        notes.push(`${protocol} ${endpoint}: the old subscription no longer existed; subscribed again`);
        return subscribe(sns, topicArn, policy, protocol, endpoint, notes);
      }
      if (errorName(error) !== 'InvalidParameterException') throw error;
      // Most likely pending confirmation: its attributes cannot be changed. Replace it.
      await unsubscribe(sns, arn, protocol, endpoint, notes);
      return subscribe(sns, topicArn, policy, protocol, endpoint, notes);
    }
  }
  return subscribe(sns, topicArn, policy, protocol, endpoint, notes);
}

/**
 * Each channel: unsubscribed when this was the endpoint's last registration, otherwise its policy
 * narrowed to the other campaigns' registrations, which keep their deliveries.
 */
export async function removeSubscriptions(
  recipient: Recipient,
  sns: Sns,
  topicArn = '',
  others: OtherRegistrations = NONE,
): Promise<{ readonly notes: readonly string[] }> {
  const notes: string[] = [];
  for (const protocol of CONTACT_CHANNELS) {
    const arn = recipient.subscriptions[protocol];
    const endpoint = recipient[protocol];
    if (arn === undefined) continue;
    const remaining = endpoint === undefined ? [] : (others.get(endpointKey(protocol, endpoint)) ?? []);
    await release(sns, topicArn, protocol, endpoint ?? '?', arn, remaining, notes);
  }
  return { notes };
}

/** Subscriptions on the stage's alerts topic (ALERTS_TOPIC_ARN). */
export class SnsSubscriptions implements SubscriptionManager {
  constructor(
    private readonly sns: Sns,
    private readonly topicArn: string,
  ) {}
  sync(recipient: Recipient, previous?: Recipient, others?: OtherRegistrations): Promise<SyncResult> {
    return syncSubscriptions(recipient, previous, this.sns, this.topicArn, others);
  }
  remove(recipient: Recipient, others?: OtherRegistrations) {
    return removeSubscriptions(recipient, this.sns, this.topicArn, others);
  }
}

/** Local mode: no SNS; the local SNS stand-in applies the filter policies to the registry itself. */
export const localSubscriptions: SubscriptionManager = {
  sync: async () => ({ subscriptions: {}, notes: [] }),
  remove: async () => ({ notes: [] }),
};

export interface RecipientRegistryDeps {
  readonly store: RecipientStore;
  readonly catalog: { get(campaignId: string): Promise<CatalogView | null> };
  readonly subscriptions: SubscriptionManager;
  readonly clock?: () => Date;
  readonly newId?: () => string;
}

export interface RegistryResult {
  readonly recipient: Recipient;
  readonly notes: readonly string[];
}

/** SNS said the request was wrong (an SMS number it does not take…): the administrator's to fix. */
function snsRefusal(error: SubscriptionSyncError): RegistryError {
  const name = errorName(error.cause);
  if (name === 'InvalidParameterException' || name === 'OptedOutException') {
    return new RegistryError('invalid', error.message);
  }
  if (name === 'FilterPolicyLimitExceededException' || name === 'SubscriptionLimitExceededException') {
    return new RegistryError(
      'conflict',
      `${error.message} (the alerts topic is at its SNS quota of filter policies or subscriptions: request an increase in Service Quotas)`,
    );
  }
  return new RegistryError('upstream', error.message);
}

/** The leaders' registry: the store and the SNS subscriptions, changed together. */
export class RecipientRegistry {
  /**
   * The other registrations (other campaigns) of `self`'s endpoints and of `previous`'s. Read after
   * the store's write, so two campaigns registering one endpoint at once see each other.
   */
  private async othersOf(self: Recipient, previous?: Recipient): Promise<OtherRegistrations> {
    const others = new Map<string, readonly Recipient[]>();
    for (const r of previous ? [self, previous] : [self]) {
      for (const protocol of CONTACT_CHANNELS) {
        const endpoint = r[protocol];
        if (endpoint === undefined || others.has(endpointKey(protocol, endpoint))) continue;
        const all = await this.deps.store.registrationsOf(protocol, endpoint);
        others.set(
          endpointKey(protocol, endpoint),
          all.filter((o) => !(o.campaignId === self.campaignId && o.id === self.id)),
        );
      }
    }
    return others;
  }

  /** RegistryError conflict when an endpoint's union policy would pass SNS's limit. Names no other campaign. */
  private checkLimit(recipient: Recipient, others: OtherRegistrations): void {
    for (const protocol of CONTACT_CHANNELS) {
      const endpoint = recipient[protocol];
      if (endpoint === undefined) continue;
      try {
        endpointPolicy(protocol, [...(others.get(endpointKey(protocol, endpoint)) ?? []), recipient]);
      } catch (error) {
        if (!(error instanceof PolicyLimitError)) throw error;
        throw new RegistryError(
          'conflict',
          `${protocol} ${endpoint} is registered in too many campaigns and units for its one SNS subscription: its filter policy would need ${error.combinations} value combinations, SNS allows 150. Nothing was changed; register another ${protocol === 'sms' ? 'number' : 'address'}, or have a registration of this one removed`,
          [{ path: protocol, message: 'is registered in too many campaigns for one SNS subscription' }],
        );
      }
    }
  }

  private readonly clock: () => Date;
  private readonly newId: () => string;

  constructor(private readonly deps: RecipientRegistryDeps) {
    this.clock = deps.clock ?? (() => new Date());
    this.newId = deps.newId ?? newRecipientId;
  }

  /** The campaign's catalogue; RegistryError not_found when there is no such campaign. */
  async view(campaignId: string): Promise<CatalogView> {
    const view = await this.deps.catalog.get(campaignId);
    if (!view) throw new RegistryError('not_found', `No campaign "${campaignId}"`);
    return view;
  }

  async requireUnit(campaignId: string, unitId: string): Promise<CatalogView> {
    const view = await this.view(campaignId);
    if (!view.hierarchy.has(unitId)) {
      throw new RegistryError('invalid', `Campaign "${campaignId}" has no unit "${unitId}"`, [
        { path: 'unitId', message: `is not a unit of campaign ${campaignId}` },
      ]);
    }
    return view;
  }

  get(campaignId: string, recipientId: string): Promise<Recipient | null> {
    return this.deps.store.get(campaignId, recipientId);
  }

  async list(campaignId: string, unitId?: string): Promise<Recipient[]> {
    await this.view(campaignId);
    return unitId === undefined
      ? this.deps.store.list(campaignId)
      : this.deps.store.listByUnit(campaignId, unitId);
  }

  /**
   * Stores the recipient (claiming its endpoints), then subscribes it. If SNS refuses, the recipient
   * is taken out again and any subscription made is removed: nothing is left behind.
   */
  async add(campaignId: string, input: RecipientInput, createdBy: string): Promise<RegistryResult> {
    await this.requireUnit(campaignId, input.unitId);
    const now = this.clock().toISOString();
    const recipient: Recipient = {
      id: this.newId(),
      campaignId,
      ...input,
      subscriptions: {},
      createdAt: now,
      updatedAt: now,
      createdBy,
    };
    await this.deps.store.create(recipient);
    let synced: SyncResult;
    try {
      const others = await this.othersOf(recipient);
      this.checkLimit(recipient, others);
      synced = await this.deps.subscriptions.sync(recipient, undefined, others);
    } catch (error) {
      const partial = error instanceof SubscriptionSyncError ? error.subscriptions : {};
      await this.deps.subscriptions.remove({ ...recipient, subscriptions: partial }).catch(() => undefined);
      await this.deps.store.delete(recipient);
      if (error instanceof SubscriptionSyncError) throw snsRefusal(error);
      throw error;
    }
    const subscribed = { ...recipient, subscriptions: synced.subscriptions };
    if (Object.keys(synced.subscriptions).length > 0) await this.deps.store.replace(subscribed, recipient);
    return { recipient: subscribed, notes: synced.notes };
  }

  /**
   * Replaces a recipient's unit, name, channels, language and minimum severity (same id). The store
   * changes first (claiming new endpoints), then SNS; if SNS fails part-way, the registry keeps what
   * SNS now has and the error says so: the same update again completes it.
   */
  async update(campaignId: string, recipientId: string, input: RecipientInput): Promise<RegistryResult> {
    const previous = await this.deps.store.get(campaignId, recipientId);
    if (!previous)
      throw new RegistryError('not_found', `No recipient ${recipientId} in campaign ${campaignId}`);
    await this.requireUnit(campaignId, input.unitId);
    const next: Recipient = {
      ...previous,
      ...input,
      sms: input.sms,
      email: input.email,
      updatedAt: this.clock().toISOString(),
    };
    if (next.sms === undefined) delete next.sms;
    if (next.email === undefined) delete next.email;
    const others = await this.othersOf(next, previous);
    this.checkLimit(next, others);
    await this.deps.store.replace(next, previous);
    let synced: SyncResult;
    try {
      synced = await this.deps.subscriptions.sync(next, previous, await this.othersOf(next, previous));
    } catch (error) {
      if (!(error instanceof SubscriptionSyncError)) throw error;
      const recorded = { ...next, subscriptions: error.subscriptions, updatedAt: this.clock().toISOString() };
      await this.deps.store.replace(recorded, next);
      const refusal = snsRefusal(error);
      throw new RegistryError(
        refusal.kind,
        `${refusal.message}. The registry holds the new details; send the same update again to complete the subscriptions`,
      );
    }
    const updated = { ...next, subscriptions: synced.subscriptions };
    if (JSON.stringify(updated.subscriptions) !== JSON.stringify(next.subscriptions)) {
      await this.deps.store.replace(updated, next);
    }
    return { recipient: updated, notes: synced.notes };
  }

  /** Unsubscribes, then deletes. If SNS fails, nothing is deleted (and removing again is safe). */
  async remove(campaignId: string, recipientId: string): Promise<RegistryResult> {
    const recipient = await this.deps.store.get(campaignId, recipientId);
    if (!recipient)
      throw new RegistryError('not_found', `No recipient ${recipientId} in campaign ${campaignId}`);
    let notes: readonly string[];
    try {
      ({ notes } = await this.deps.subscriptions.remove(recipient, await this.othersOf(recipient)));
    } catch (error) {
      throw new RegistryError(
        'upstream',
        `SNS could not unsubscribe recipient ${recipientId}: ${errorText(error)}`,
      );
    }
    await this.deps.store.delete(recipient);
    return { recipient, notes };
  }
}
