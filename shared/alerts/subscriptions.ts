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
 * The recipient registry that keeps the store and these subscriptions together is an application
 * service: shared/services/recipients.ts.
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
  samePolicy,
  unionPolicy,
} from '../domain/filter-policy.js';
import type { Recipient, RecipientSubscriptions } from '../schemas/recipients.js';
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
