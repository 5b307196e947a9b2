/** The once-a-month notice to the root's leaders: 80 % of the campaign's SMS cap is used. */
import type { Language } from '../../vocabulary/alerts.js';
import { formatNumberVi } from './format.js';
import { cut, shortenName, smsPrefix, toAsciiLine, toGsm7 } from './gsm7.js';
import { type RenderedNotification, SMS_MAX_CHARS, SUBJECT_MAX_CHARS } from './notification.js';
import { PHRASES } from './phrases.js';

export interface SmsBudgetNoticeOptions {
  readonly lang: Language;
  readonly campaignName: string;
  /** YYYY-MM. */
  readonly month: string;
  readonly used: number;
  readonly cap: number;
  readonly smsBrand?: string;
  readonly link?: string;
}

export function renderSmsBudgetNotice(o: SmsBudgetNoticeOptions): RenderedNotification {
  const { budget, email: phrases } = PHRASES[o.lang];
  const [year, month] = o.month.split('-');
  const period = `${Number(month)}/${year}`;
  const used = formatNumberVi(o.used);
  const cap = formatNumberVi(o.cap);
  const subject = toAsciiLine(budget.subject(o.campaignName, used, cap, period));
  const sms = `${smsPrefix(o.smsBrand)}${toGsm7(
    budget.sms(shortenName(toGsm7(o.campaignName), 40), used, cap, period),
  )}`;
  const email = [
    phrases.campaign(o.campaignName),
    '',
    budget.used(used, cap, period),
    budget.atCap,
    ...(o.link ? ['', phrases.details(o.link)] : []),
    '',
    phrases.footer,
  ].join('\n');
  return { subject: cut(subject, SUBJECT_MAX_CHARS), sms: cut(sms, SMS_MAX_CHARS), email };
}
