/**
 * Used only in local mode (functions pick it when LOCAL_ALERTS_FILE is set instead of ALERTS_TOPIC_ARN).
 *
 * The local stand-in for the SNS alerts topic (docs/ARCHITECTURE.md §8): an AlertPublisher that delivers
 * each message to the registry's recipients whose filter policy matches it, exactly as SNS would
 * (shared/domain/filter-policy.ts), by appending one JSON line per delivery to `.local/alerts.jsonl`
 * and printing a short line:
 *
 *   { "at", "campaignId", "recipient": { "id", "name", "endpoint" }, "protocol": "sms" | "email",
 *     "subject"? (e-mail only), "body", "attributes" }
 *
 * A message is addressed to one unit (its `scope` attribute) and every policy names one unit, so only
 * that unit's recipients can match: each publish reads them fresh with one Query (the `R#<unitId>#`
 * prefix), and a recipient added a moment ago is served at the next publish. An endpoint registered
 * in several campaigns has one SNS subscription with the `$or` of its registrations' policies; the
 * others' branches name another campaign, so they cannot match this message: the union of this
 * unit's registrations of the endpoint, evaluated with `$or`, delivers exactly what SNS delivers,
 * once per endpoint.
 */
import { randomUUID } from 'node:crypto';
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { filterPolicyFor, matches, unionPolicy } from '../domain/filter-policy.js';
import type { RecipientStore } from '../store/recipient-store.js';
import { oneLine } from '../util/text.js';
import {
  type AlertMessage,
  type AlertPublisher,
  CONTACT_CHANNELS,
  type ContactChannel,
} from './publisher.js';
import { endpointKey } from './subscriptions.js';

/** One line of alerts.jsonl. */
export interface DeliveredAlert {
  readonly at: string;
  readonly campaignId: string;
  readonly recipient: { readonly id: string; readonly name: string; readonly endpoint: string };
  readonly protocol: ContactChannel;
  readonly subject?: string;
  readonly body: string;
  readonly attributes: AlertMessage['attributes'];
}

export interface LocalSnsOutboxOptions {
  readonly recipients: Pick<RecipientStore, 'listByUnit'>;
  /** The alerts.jsonl file (`localPaths().alerts`). */
  readonly file: string;
  /** One short line per delivery (the local runtime's console). */
  readonly log?: (line: string) => void;
  readonly clock?: () => Date;
  readonly newMessageId?: () => string;
}

const preview = (text: string, length = 70) =>
  text.length > length ? `${text.slice(0, length - 1).replace(/\s+/g, ' ')}…` : text.replace(/\s+/g, ' ');

export class LocalSnsOutbox implements AlertPublisher {
  private readonly log: (line: string) => void;
  private readonly clock: () => Date;
  private readonly newMessageId: () => string;

  constructor(private readonly options: LocalSnsOutboxOptions) {
    this.log = options.log ?? (() => {});
    this.clock = options.clock ?? (() => new Date());
    this.newMessageId = options.newMessageId ?? randomUUID;
  }

  async publish(message: AlertMessage): Promise<{ readonly messageId: string }> {
    const { attributes } = message;
    const messageId = this.newMessageId();
    const at = this.clock().toISOString();
    const candidates = await this.options.recipients.listByUnit(attributes.campaignId, attributes.scope);
    const deliveries: DeliveredAlert[] = [];
    const served = new Set<string>();
    for (const recipient of candidates) {
      for (const protocol of CONTACT_CHANNELS) {
        const endpoint = recipient[protocol];
        if (endpoint === undefined) continue;
        const key = endpointKey(protocol, endpoint);
        if (served.has(key)) continue;
        const same = candidates.filter(
          (r) => r[protocol] !== undefined && endpointKey(protocol, r[protocol] ?? '') === key,
        );
        if (!matches(unionPolicy(same.map((r) => filterPolicyFor(r, protocol))), attributes)) continue;
        served.add(key);
        deliveries.push({
          at,
          campaignId: attributes.campaignId,
          recipient: { id: recipient.id, name: recipient.name, endpoint },
          protocol,
          ...(protocol === 'email' && { subject: message.subject }),
          body: protocol === 'sms' ? message.sms : message.email,
          attributes,
        });
      }
    }
    if (deliveries.length > 0) {
      await mkdir(dirname(this.options.file), { recursive: true });
      await appendFile(this.options.file, deliveries.map((d) => `${JSON.stringify(d)}\n`).join(''), 'utf8');
    }
    for (const d of deliveries) {
      this.log(
        oneLine(
          `alert ${d.protocol} → ${d.recipient.name} <${d.recipient.endpoint}> [${attributes.severity} ${attributes.campaignId}/${attributes.scope}] ${preview(d.subject ?? d.body)}`,
        ),
      );
    }
    if (deliveries.length === 0) {
      this.log(
        `alert [${attributes.severity} ${attributes.campaignId}/${attributes.scope} ${attributes.channel} ${attributes.lang}]: no matching recipient`,
      );
    }
    return { messageId };
  }
}
