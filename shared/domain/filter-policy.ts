/**
 * Which messages a leader receives, as an SNS subscription filter policy (FilterPolicyScope
 * MessageAttributes), and the matching rule SNS applies to it. Pure: the SNS subscription code
 * (subscriptions.ts) sends these policies to SNS, and the local SNS stand-in
 * (shared/alerts/local-outbox.ts) applies `matches` itself, so both deliver exactly the same messages.
 *
 * One policy per recipient and channel:
 *   { campaignId: [cid], scope: [unitId], lang: [lang], channel: [channel], severity: [...] }
 * - `scope` is the recipient's own unit: the risk job publishes one message per unit whose leaders
 *   must hear something (with the digest of its children inside), never one per child.
 * - `channel` keeps SMS and e-mail apart: SMS is held during quiet hours and e-mail is not, so the
 *   job publishes them separately; an SMS subscription must not also receive the e-mail publish.
 * - `severity` comes from the recipient's minSeverity:
 *     at_risk  → at_risk, critical, resolved, info
 *     critical → critical, resolved, info
 *   `resolved` (a recovery notice) and `info` (weekly and final reports) go to everyone: a leader
 *   told about a problem must hear that it is over, and reports are what every leader asked for.
 * - `kind` (alert | report) is not filtered: it is carried for the message's reader and for logs.
 *
 * SNS limits this fits in: at most 5 keys per policy (exactly 5 here) and at most 150 value
 * combinations (4 at most here). By default SNS allows 200 filter policies per topic and 10,000 per
 * account; a national registry (a leader per commune, two channels) needs a quota increase.
 */
import {
  type AlertAttributes,
  type Channel,
  type DeliveryChannel,
  SEVERITIES,
  type Severity,
} from '../vocabulary/alerts.js';

/** What a recipient needs for its policy (the registry's Recipient has these and more). */
export interface PolicySubject {
  readonly campaignId: string;
  readonly unitId: string;
  readonly lang: AlertAttributes['lang'];
  readonly minSeverity: 'at_risk' | 'critical';
  /** A leader without e-mail also receives `sms_only` messages (SMS cap reached) on SMS. */
  readonly email?: string | undefined;
}

export interface FilterPolicy {
  readonly campaignId: readonly [string];
  readonly scope: readonly [string];
  readonly lang: readonly [AlertAttributes['lang']];
  readonly channel: readonly DeliveryChannel[];
  readonly severity: readonly Severity[];
}

/** The severities a recipient receives, in SEVERITIES order. */
export function severitiesFor(minSeverity: PolicySubject['minSeverity']): Severity[] {
  return minSeverity === 'critical' ? SEVERITIES.filter((s) => s !== 'at_risk') : [...SEVERITIES];
}

export function filterPolicyFor(recipient: PolicySubject, channel: Channel): FilterPolicy {
  return {
    campaignId: [recipient.campaignId],
    scope: [recipient.unitId],
    lang: [recipient.lang],
    channel: channel === 'sms' && recipient.email === undefined ? ['sms', 'sms_only'] : [channel],
    severity: severitiesFor(recipient.minSeverity),
  };
}

/** The policy as SNS takes it (the FilterPolicy subscription attribute): stable key order. */
export function filterPolicyJson(policy: FilterPolicy): string {
  return JSON.stringify({
    campaignId: policy.campaignId,
    scope: policy.scope,
    lang: policy.lang,
    channel: policy.channel,
    severity: policy.severity,
  });
}

export function samePolicy(a: FilterPolicy, b: FilterPolicy): boolean {
  return filterPolicyJson(a) === filterPolicyJson(b);
}

/**
 * SNS's rule for a MessageAttributes policy of exact string values: every key of the policy must be
 * present among the message's attributes, and its value must equal (case-sensitively) one of the
 * policy's values for that key. Keys in the message that the policy does not name do not matter.
 */
export function matches(
  policy: FilterPolicy | Readonly<Record<string, readonly string[]>>,
  attributes: AlertAttributes | Readonly<Record<string, string | undefined>>,
): boolean {
  const values = attributes as Readonly<Record<string, unknown>>;
  return Object.entries(policy as Readonly<Record<string, readonly string[]>>).every(([key, allowed]) => {
    const value = values[key];
    return typeof value === 'string' && allowed.includes(value);
  });
}
