/**
 * The leaders' registry (docs/ARCHITECTURE.md §4): add, update and remove a recipient in the store
 * and in SNS together; the HTTP handler (functions/recipients.ts) and the CLI
 * (infra/local/cli/recipients.ts) both go through it. How the SNS subscriptions are kept in step,
 * and what SNS cannot do (pending e-mail confirmations): shared/alerts/subscriptions.ts.
 */
import {
  endpointKey,
  endpointPolicy,
  type OtherRegistrations,
  type SubscriptionManager,
  SubscriptionSyncError,
  type SyncResult,
} from '../alerts/subscriptions.js';
import { PolicyLimitError } from '../domain/filter-policy.js';
import type { CatalogView } from '../domain/intake.js';
import type { Recipient, RecipientInput } from '../schemas/recipients.js';
import { newRecipientId } from '../schemas/values.js';
import { type RecipientStore, RegistryError } from '../store/recipient-store.js';
import { CONTACT_CHANNELS } from '../vocabulary/alerts.js';
import { CampaignRecords, type CampaignRecordsDeps, requireUnitOf } from './campaign-view.js';

const errorName = (error: unknown) => (error as { name?: string }).name ?? '';
const errorText = (error: unknown) => (error as Error).message ?? String(error);

export interface RecipientRegistryDeps extends CampaignRecordsDeps {
  readonly store: RecipientStore;
  readonly subscriptions: SubscriptionManager;
}

/** The version of a recipient a caller's authority was judged on. */
export type CheckedVersion = Pick<Recipient, 'unitId' | 'updatedAt'>;

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
export class RecipientRegistry extends CampaignRecords<RecipientRegistryDeps> {
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

  constructor(deps: RecipientRegistryDeps) {
    super(deps, newRecipientId);
  }

  /**
   * The stored recipient, which must still be the version `checked` (when given) whose unit the
   * caller's grants were judged on: a recipient another administrator changed (moved) since is
   * not changed on the strength of the old check (docs/ARCHITECTURE.md §5: the stored record decides).
   * The store's replace is conditional on this version's `updatedAt`, so the write is tied to it.
   */
  private async stored(
    campaignId: string,
    recipientId: string,
    checked?: CheckedVersion,
  ): Promise<Recipient> {
    const recipient = await this.deps.store.get(campaignId, recipientId);
    if (!recipient)
      throw new RegistryError('not_found', `No recipient ${recipientId} in campaign ${campaignId}`);
    if (checked && (recipient.updatedAt !== checked.updatedAt || recipient.unitId !== checked.unitId)) {
      throw new RegistryError('conflict', `Recipient ${recipientId} was changed meanwhile; try again`);
    }
    return recipient;
  }

  /** The campaign's catalogue; RegistryError invalid when it has no such unit. */
  requireUnit(campaignId: string, unitId: string): Promise<CatalogView> {
    return requireUnitOf(this.deps.catalog, campaignId, unitId);
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
   * SNS now has and the error says so: the same update again completes it. `checked`: the version
   * the caller's authority was judged on (RegistryError conflict if the stored one is another by now).
   */
  async update(
    campaignId: string,
    recipientId: string,
    input: RecipientInput,
    checked?: CheckedVersion,
  ): Promise<RegistryResult> {
    const previous = await this.stored(campaignId, recipientId, checked);
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

  /**
   * Unsubscribes, then deletes. If SNS fails, nothing is deleted (and removing again is safe).
   * `checked`: as for `update`.
   */
  async remove(campaignId: string, recipientId: string, checked?: CheckedVersion): Promise<RegistryResult> {
    const recipient = await this.stored(campaignId, recipientId, checked);
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
