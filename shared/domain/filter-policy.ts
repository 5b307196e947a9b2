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
 * combinations (8 at most here: 2 channels × 4 severities).
 *
 * One endpoint, several registrations: SNS keeps one subscription per topic, protocol and endpoint,
 * so a number or address registered in several campaigns has one subscription whose policy is the
 * `$or` of its registrations' policies (`unionPolicy`). Per-attribute lists would not be exact (a
 * leader of unit A in campaign 1 and unit B in campaign 2 would also get campaign 1's unit B), `$or`
 * is: a message is delivered when one registration's policy matches it, and each names its own
 * campaign and unit. SNS counts an `$or` policy's combinations as the sum over its branches, so a
 * union holds at most 150 combinations (18 to 37 registrations); beyond that `unionPolicy` throws
 * PolicyLimitError, and the registry refuses the registration with that message. By default SNS allows 200 filter policies per topic and 10,000 per
 * account; a national registry (a leader per commune, two channels) needs a quota increase.
 */
import {
  type AlertAttributes,
  type ContactChannel,
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

export function filterPolicyFor(recipient: PolicySubject, channel: ContactChannel): FilterPolicy {
  return {
    campaignId: [recipient.campaignId],
    scope: [recipient.unitId],
    lang: [recipient.lang],
    channel: channel === 'sms' && recipient.email === undefined ? ['sms', 'sms_only'] : [channel],
    severity: severitiesFor(recipient.minSeverity),
  };
}

/** The subscription policy of an endpoint registered once or several times. */
export type EndpointPolicy = FilterPolicy | { readonly $or: readonly FilterPolicy[] };

/** SNS's maximum of value combinations in one filter policy (the sum over `$or` branches). */
export const MAX_POLICY_COMBINATIONS = 150;

/** The value combinations SNS counts for a policy: the product of its lists, summed over `$or` branches. */
export function policyCombinations(policy: EndpointPolicy): number {
  const branches = '$or' in policy ? policy.$or : [policy];
  return branches.reduce(
    (sum, branch) => sum + Object.values(branch).reduce((product, values) => product * values.length, 1),
    0,
  );
}

/** Too many registrations of one endpoint for one SNS filter policy. */
export class PolicyLimitError extends Error {
  override readonly name = 'PolicyLimitError';
  constructor(
    readonly registrations: number,
    readonly combinations: number,
  ) {
    super(
      `its ${registrations} registrations would need a filter policy of ${combinations} value combinations, and SNS allows ${MAX_POLICY_COMBINATIONS} per subscription`,
    );
  }
}

/**
 * The one policy of an endpoint's subscription: a registration's own policy when it is alone, the
 * `$or` of them (sorted, duplicates dropped, so the same registrations give the same JSON) otherwise.
 * PolicyLimitError past SNS's 150 combinations; an empty list is a programming error.
 */
export function unionPolicy(policies: readonly FilterPolicy[]): EndpointPolicy {
  const unique = [...new Map(policies.map((p) => [filterPolicyJson(p), p])).entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, p]) => p);
  const [first, ...rest] = unique;
  if (!first) throw new Error('unionPolicy() needs at least one policy');
  const policy: EndpointPolicy = rest.length === 0 ? first : { $or: unique };
  const combinations = policyCombinations(policy);
  if (combinations > MAX_POLICY_COMBINATIONS) throw new PolicyLimitError(unique.length, combinations);
  return policy;
}

/** The policy as SNS takes it (the FilterPolicy subscription attribute): stable key order. */
export function filterPolicyJson(policy: EndpointPolicy): string {
  if ('$or' in policy) return `{"$or":[${policy.$or.map(filterPolicyJson).join(',')}]}`;
  return JSON.stringify({
    campaignId: policy.campaignId,
    scope: policy.scope,
    lang: policy.lang,
    channel: policy.channel,
    severity: policy.severity,
  });
}

export function samePolicy(a: EndpointPolicy, b: EndpointPolicy): boolean {
  return filterPolicyJson(a) === filterPolicyJson(b);
}

/**
 * SNS's rule for a MessageAttributes policy of exact string values: every key of the policy must be
 * present among the message's attributes, and its value must equal (case-sensitively) one of the
 * policy's values for that key. Keys in the message that the policy does not name do not matter.
 * A top-level `$or` matches when one of its branches does.
 */
export function matches(
  policy: EndpointPolicy | Readonly<Record<string, readonly string[]>>,
  attributes: AlertAttributes | Readonly<Record<string, string | undefined>>,
): boolean {
  if ('$or' in policy && Array.isArray(policy.$or)) {
    return (policy.$or as readonly FilterPolicy[]).some((branch) => matches(branch, attributes));
  }
  const values = attributes as Readonly<Record<string, unknown>>;
  return Object.entries(policy as Readonly<Record<string, readonly string[]>>).every(([key, allowed]) => {
    const value = values[key];
    return typeof value === 'string' && allowed.includes(value);
  });
}
