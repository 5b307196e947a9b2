/**
 * The alerts' vocabulary (CONTRACT shared by the domain, the schemas, the stores, the risk job, the
 * report job, the SNS adapter and the local SNS stand-in), at the bottom of the layers (see
 * docs/ARCHITECTURE.md §2) so that every layer may import it. One SNS topic; each leader is a subscription (sms or email) whose filter policy
 * selects on these message attributes, so the job never needs to know who the leaders are.
 */

export const LANGUAGES = ['vi', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** How a recipient is reached: an SNS subscription's protocol (not intake's fixed|mobile `IntakeChannel`). */
export const CONTACT_CHANNELS = ['sms', 'email'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];

/** `severity` attribute values: an alert's level, or a notice. */
export const SEVERITIES = ['at_risk', 'critical', 'resolved', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * The `channel` attribute: `sms` and `email` go to those subscriptions; `sms_only` (when the
 * campaign's SMS cap is reached) goes only to the SMS subscriptions of leaders without e-mail.
 */
export const DELIVERY_CHANNELS = ['sms', 'email', 'sms_only'] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];

/** `notice`: about the system itself (the SMS budget), not about a unit's progress. */
export const MESSAGE_KINDS = ['alert', 'report', 'notice'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/** The message attributes every publish carries; subscriptions' filter policies match on them. */
export interface AlertAttributes {
  readonly campaignId: string;
  /** The unit whose leaders this message is for. */
  readonly scope: string;
  readonly severity: Severity;
  readonly kind: MessageKind;
  readonly lang: Language;
  /** Which subscriptions it is for: SMS is held in quiet hours, e-mail is not, so they are published apart. */
  readonly channel: DeliveryChannel;
}

export interface AlertMessage {
  /** E-mail subject (SNS Subject: ASCII-safe, ≤ 100 characters). */
  readonly subject: string;
  /** ≤ 160 GSM-7 characters. */
  readonly sms: string;
  /** The full text for e-mail (and the `default` body). */
  readonly email: string;
  readonly attributes: AlertAttributes;
}

/** A rendered text (subject, SMS, e-mail) published for `scope`'s leaders with these attributes. */
export const alertMessage = (
  text: Pick<AlertMessage, 'subject' | 'sms' | 'email'>,
  attributes: AlertAttributes,
): AlertMessage => ({ subject: text.subject, sms: text.sms, email: text.email, attributes });
