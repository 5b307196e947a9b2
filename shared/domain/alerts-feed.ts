/**
 * The unit alerts feed (GET …/units/{unitId}/alerts), without I/O: what was delivered about the
 * unit or to its leaders, and what was done about it, newest first.
 *
 * - Deliveries: each sent outbox record addressed to the unit's leaders, or to its parent's when it
 *   names the unit (a digest line, an escalation), expanded to the leaders whose filter policy
 *   takes it, one item per leader and channel, as SNS delivers it. The leaders are the registry's
 *   as it is now (a leader added later is listed against older messages too).
 * - Acknowledgements of the unit (and their withdrawal); silences on the unit or an ancestor that
 *   were active in the range; the campaign's SMS budget marks (80 % notice, cap reached).
 * - Endpoints are masked (`+8491****678`, `c***@hungyen.gov.vn`) unless the caller is an admin.
 */

import type { AlertsFeedItem } from '../schemas/alerts.js';
import type { Recipient, SilenceRecord } from '../schemas/recipients.js';
import { CONTACT_CHANNELS } from '../vocabulary/alerts.js';
import type { Acknowledgement } from './alert-policy.js';
import { filterPolicyFor, matches } from './filter-policy.js';
import type { SentEntry, SmsBudgetMonth } from './outbox.js';

/** `+84912345678` → `+8491****678`; `chutich@hungyen.gov.vn` → `c***@hungyen.gov.vn`. */
export function maskEndpoint(endpoint: string): string {
  const at = endpoint.indexOf('@');
  if (at > 0) return `${endpoint.slice(0, 1)}***${endpoint.slice(at)}`;
  if (endpoint.length <= 7) return `${endpoint.slice(0, 2)}****`;
  return `${endpoint.slice(0, 5)}****${endpoint.slice(-3)}`;
}

export interface AlertsFeedInput {
  readonly unitId: string;
  /** [from, to) as ISO instants. */
  readonly from: string;
  readonly to: string;
  /** Outbox records addressed to the unit's leaders and to its parent's. */
  readonly entries: readonly SentEntry[];
  /** The registry's recipients of the unit and of its parent. */
  readonly recipients: readonly Recipient[];
  readonly acknowledgements: readonly Acknowledgement[];
  /** Silences on the unit or an ancestor (ending after `from`). */
  readonly silences: readonly SilenceRecord[];
  readonly budget: readonly (SmsBudgetMonth & { readonly month: string; readonly cap: number | null })[];
  readonly admin: boolean;
  /**
   * Whether the caller may read the parent unit: a message to the parent's leaders (a digest, an
   * escalation) names the unit but also its siblings, so without the parent its text is left out.
   */
  readonly parentVisible: boolean;
}

const within = (at: string, from: string, to: string) => at >= from && at < to;

export function buildAlertsFeed(input: AlertsFeedInput): AlertsFeedItem[] {
  const { from, to } = input;
  const show = (endpoint: string) => (input.admin ? endpoint : maskEndpoint(endpoint));
  const items: AlertsFeedItem[] = [];

  for (const entry of input.entries) {
    const { attributes } = entry.message;
    if (entry.status !== 'sent' || entry.sentAt === undefined || !within(entry.sentAt, from, to)) continue;
    if (attributes.scope !== input.unitId && !(entry.about ?? []).includes(input.unitId)) continue;
    const textVisible = attributes.scope === input.unitId || input.parentVisible;
    for (const recipient of input.recipients) {
      if (recipient.unitId !== attributes.scope) continue;
      for (const channel of CONTACT_CHANNELS) {
        const endpoint = recipient[channel];
        if (endpoint === undefined || !matches(filterPolicyFor(recipient, channel), attributes)) continue;
        items.push({
          at: entry.sentAt,
          kind: attributes.kind,
          severity: attributes.severity,
          channel,
          recipient: { id: recipient.id, name: recipient.name, endpoint: show(endpoint) },
          ...(textVisible && channel === 'email' && { subject: entry.message.subject }),
          ...(textVisible && { body: channel === 'sms' ? entry.message.sms : entry.message.email }),
          ...(attributes.channel === 'sms_only' && {
            note: 'SMS cap reached: SMS only to leaders without e-mail',
          }),
          ...(!textVisible && {
            note: "To the parent unit's leaders; its text names other units, so it is not shown here",
          }),
        });
      }
    }
  }

  for (const ack of input.acknowledgements) {
    if (ack.unitId !== input.unitId) continue;
    if (within(ack.createdAt, from, to)) {
      items.push({
        at: ack.createdAt,
        kind: 'acknowledgement',
        id: ack.id,
        by: ack.createdBy,
        ...(ack.note !== undefined && { note: ack.note }),
        until: ack.until,
      });
    }
    if (ack.deletedAt !== undefined && within(ack.deletedAt, from, to)) {
      items.push({
        at: ack.deletedAt,
        kind: 'acknowledgement_withdrawn',
        id: ack.id,
        by: ack.deletedBy ?? ack.createdBy,
        until: ack.until,
      });
    }
  }

  for (const silence of input.silences) {
    if (silence.createdAt >= to || silence.until <= from) continue;
    items.push({
      at: silence.createdAt,
      kind: 'silence',
      id: silence.id,
      by: silence.createdBy,
      note: silence.unitId === input.unitId ? silence.reason : `${silence.reason} (unit ${silence.unitId})`,
      until: silence.until,
    });
  }

  for (const month of input.budget) {
    const cap = month.cap === null ? '' : ` of ${month.cap}`;
    if (month.noticeAt !== null && within(month.noticeAt, from, to)) {
      items.push({
        at: month.noticeAt,
        kind: 'sms_budget',
        severity: 'info',
        note: `80 % of the campaign's SMS for ${month.month} used (${month.count}${cap} now)`,
      });
    }
    if (month.cappedAt !== null && within(month.cappedAt, from, to)) {
      items.push({
        at: month.cappedAt,
        kind: 'sms_budget',
        severity: 'info',
        note: `SMS cap for ${month.month} reached: alerts go by e-mail; leaders with SMS only still get critical alerts`,
      });
    }
  }

  return items.sort((a, b) => b.at.localeCompare(a.at));
}
