/**
 * The leaders' registry and silences (docs/ARCHITECTURE.md §4): API bodies, stored shapes and
 * their types. A recipient is one leader of one unit, reachable by SMS and/or e-mail; each channel
 * becomes one SNS subscription whose filter policy selects that unit's alerts (shared/alerts/).
 *
 * Phone numbers are stored in E.164 (`+84912345678`). For Vietnamese users the national form is
 * accepted too: a leading 0 followed by 9 or 10 digits (`0912345678`, `02213 123 456`) is read as
 * +84 without the 0; the international prefix 00 (`0084912345678`) is read as `+`. Spaces, dots,
 * dashes and parentheses are ignored. Anything else must already be E.164.
 */
import * as z from 'zod';
import { hasControlCharacters } from '../util/text.js';
import { LANGUAGES } from '../vocabulary/alerts.js';
import { Name, UnitId, unitRecordHead, untilRecordHead } from './campaign.js';
import { ID_RULES } from './ids.js';
import { lazySchema } from './lazy.js';

/** E.164: '+', a country code that does not start with 0, 8 to 15 digits in all. */
export const E164_PATTERN = /^\+[1-9]\d{7,14}$/;

/** Vietnamese national format → E.164 (see the module comment); other input comes back compacted. */
export function normalisePhoneNumber(input: string): string {
  const compact = input.trim().replace(/[\s.()-]/g, '');
  if (/^00[1-9]\d{7,14}$/.test(compact)) return `+${compact.slice(2)}`;
  if (/^0[1-9]\d{8,9}$/.test(compact)) return `+84${compact.slice(1)}`;
  return compact;
}

export const PhoneNumber = lazySchema(() =>
  z
    .string({ error: 'must be a phone number as a string, e.g. "+84912345678"' })
    .transform(normalisePhoneNumber)
    .pipe(
      z
        .string()
        .regex(
          E164_PATTERN,
          'must be a phone number in E.164 form such as +84912345678 (a Vietnamese number may be written 0912345678)',
        ),
    ),
);

export const EmailAddress = lazySchema(() =>
  z
    .string({ error: 'must be an e-mail address as a string' })
    .trim()
    .pipe(z.email({ error: 'must be an e-mail address such as lan.nguyen@hungyen.gov.vn' }).max(254)),
);

export const Lang = lazySchema(() => z.enum(LANGUAGES, { error: 'must be "vi" or "en"' }));

/**
 * The least severe alert a leader wants. `at_risk` gets at_risk and critical alerts; `critical`
 * only critical ones. Both also get `resolved` notices and `info` messages (weekly reports), see
 * shared/domain/filter-policy.ts.
 */
export const MIN_SEVERITIES = ['at_risk', 'critical'] as const;
export const MinSeverity = lazySchema(() =>
  z.enum(MIN_SEVERITIES, { error: 'must be "at_risk" or "critical"' }),
);
export type MinSeverity = z.infer<typeof MinSeverity>;

export const RecipientId = lazySchema(() =>
  z.string().regex(ID_RULES.recipientId.pattern, ID_RULES.recipientId.message),
);
export const SilenceId = lazySchema(() =>
  z.string().regex(ID_RULES.silenceId.pattern, ID_RULES.silenceId.message),
);

export { newRecipientId, newSilenceId } from './values.js';

/** What an administrator sends to add a leader (POST) or to replace one (PUT). */
export const RecipientInput = lazySchema(() =>
  z
    .strictObject({
      unitId: UnitId,
      name: Name,
      sms: PhoneNumber.optional(),
      email: EmailAddress.optional(),
      lang: Lang.default('vi'),
      minSeverity: MinSeverity.default('at_risk'),
    })
    .refine((r) => r.sms !== undefined || r.email !== undefined, {
      error: 'a recipient needs at least one channel: an sms number, an email address, or both',
      path: ['sms'],
    }),
);
export type RecipientInput = z.output<typeof RecipientInput>;
export type RecipientInputRaw = z.input<typeof RecipientInput>;

/**
 * The SNS subscription ARN of each channel. Empty locally (the local SNS stand-in reads the registry
 * itself) and for a channel whose subscription could not be made yet.
 */
export const RecipientSubscriptions = lazySchema(() =>
  z.object({
    sms: z.string().optional(),
    email: z.string().optional(),
  }),
);
export type RecipientSubscriptions = z.infer<typeof RecipientSubscriptions>;

/** A recipient as stored and as the API returns it. */
export const Recipient = lazySchema(() =>
  z.object({
    ...unitRecordHead(RecipientId),
    name: Name,
    sms: z.string().regex(E164_PATTERN).optional(),
    email: z.string().optional(),
    lang: Lang,
    minSeverity: MinSeverity,
    subscriptions: RecipientSubscriptions,
    createdAt: z.iso.datetime({ offset: true }),
    updatedAt: z.iso.datetime({ offset: true }),
    /** The `sub` of whoever added it (a token's subject, or `cli:<user>` for the local CLI). */
    createdBy: z.string(),
  }),
);
export type Recipient = z.infer<typeof Recipient>;

export const RecipientList = lazySchema(() => z.object({ recipients: z.array(Recipient) }));

/** GET …/recipients?unitId= */
export const RecipientListQuery = lazySchema(() => z.strictObject({ unitId: UnitId.optional() }));

/** What an administrator sends to mute a unit and its subtree until a time. */
export const SilenceInput = lazySchema(() =>
  z.strictObject({
    unitId: UnitId,
    until: z.iso.datetime({
      offset: true,
      error: 'must be an ISO 8601 date-time with an offset, e.g. 2021-03-20T18:00:00+07:00',
    }),
    reason: z
      .string()
      .trim()
      .min(1, 'must say why (shown to other administrators)')
      .max(500)
      .refine((s) => !hasControlCharacters(s), 'must not contain control characters (line breaks, tabs…)'),
  }),
);
export type SilenceInput = z.infer<typeof SilenceInput>;

/** A silence as stored and returned: shared/domain/alert-policy.ts's Silence plus when it was made. */
export const SilenceRecord = lazySchema(() =>
  z.object({
    ...untilRecordHead(SilenceId),
    reason: z.string(),
  }),
);
export type SilenceRecord = z.infer<typeof SilenceRecord>;

export const SilenceList = lazySchema(() => z.object({ silences: z.array(SilenceRecord) }));

/** Zod issues as `errors: [{ path, message }]` (moved to schemas/issues.ts; re-exported for callers). */
export { fieldErrors } from './issues.js';
