/**
 * Alert texts (docs/ARCHITECTURE.md §4), without I/O: one Notification becomes an e-mail subject, an SMS and
 * an e-mail body, in Vietnamese or English. Each concern has its module under ./alert-text/:
 *
 * - gsm7.ts: SMS characters (GSM-7 basic table, Vietnamese without diacritics, as UCS-2 would cost
 *   70 characters a segment), ASCII subjects, name shortening and cutting.
 * - format.ts: numbers the vi-VN way in every language (1.109.100, 1,26 %) and dates d/m/yyyy.
 * - phrases.ts with vi.ts and en.ts: what the texts say, one table per language.
 * - sms.ts (160 characters, brand prefix inside, link only when the text fits beside it uncut),
 *   subject.ts (printable ASCII, ≤ 100 characters), email.ts (always ends with the unit's link),
 *   budget-notice.ts (the SMS cap notice).
 * - Silences are mentioned only in the one summary sent when a silence ends.
 */

import { withPlainText } from '../util/text.js';
import type { Notification } from './alert-policy.js';
import { renderEmail } from './alert-text/email.js';
import type { RenderedNotification, RenderOptions } from './alert-text/notification.js';
import { renderSms } from './alert-text/sms.js';
import { renderSubject } from './alert-text/subject.js';

export { renderSmsBudgetNotice, type SmsBudgetNoticeOptions } from './alert-text/budget-notice.js';
export {
  formatDateVi,
  formatNumberVi,
  formatPercentVi,
} from './alert-text/format.js';
export { isGsm7, shortenName, smsPrefix, stripDiacritics, toAsciiLine, toGsm7 } from './alert-text/gsm7.js';
export {
  EMAIL_WORST_CHILDREN,
  type RenderedNotification,
  type RenderOptions,
  SMS_MAX_CHARS,
  SUBJECT_MAX_CHARS,
  worstFirst,
} from './alert-text/notification.js';
export { groupWord, LEVEL_WORDS } from './alert-text/phrases.js';

/** The three texts of one notification, in one language. */
export function renderNotification(notification: Notification, options: RenderOptions): RenderedNotification {
  // Names on one line: a line break in a unit name must not become a line of the message.
  const n = withPlainText(notification);
  return { subject: renderSubject(n, options), sms: renderSms(n, options), email: renderEmail(n, options) };
}
