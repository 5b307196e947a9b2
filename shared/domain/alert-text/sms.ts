/**
 * The SMS of a notification: at most 160 GSM-7 basic characters, the brand prefix counted inside.
 * Names are shortened ("Huyện Văn Lâm" → "H.Van Lam" → "H.Van L.") and lists trimmed until the
 * text fits; the limit is never exceeded, whatever the names. A link goes in only when the text fits
 * beside it uncut.
 */
import type { Language } from '../../vocabulary/alerts.js';
import type { Notification, UnitChange, UnitEvaluation } from '../alert-policy.js';
import { formatNumberVi, formatPercentVi, formatRate, shortDate } from './format.js';
import { cut, isGsm7, shortenName, smsPrefix, toGsm7 } from './gsm7.js';
import {
  countsOf,
  isImprovement,
  type RenderOptions,
  SMS_MAX_CHARS,
  scopeName,
  showsCounts,
  spellDays,
  worstFirst,
} from './notification.js';
import { groupWord, LEVEL_WORDS, PHRASES, unitNoun } from './phrases.js';

interface SmsFit {
  readonly campaignMax: number;
  readonly nameMax: number;
  readonly listMax: number;
  /** "+8" after the list, or "+12 xa" instead of it. */
  readonly tail: boolean;
  readonly compact: boolean;
  /** Rates are dropped only as a last resort, before cutting the text. */
  readonly rates: boolean;
}

function smsHeadline(c: UnitChange, unitName: string, lang: Language, asOf: Date): string {
  const p = PHRASES[lang];
  const level = p.levels[c.to].toUpperCase();
  const pct = formatPercentVi(c.evaluation.percent);
  const name = c.group
    ? `${unitName}, ${toGsm7(groupWord(c.group.code, lang))} (${p.sms.due} ${shortDate(c.group.deadline)})`
    : unitName;
  switch (c.kind) {
    case 'summary':
      return p.sms.silenceOver(name, level, pct, c.from === null ? null : p.levels[c.from]);
    case 'alert':
      if (isImprovement(c)) return `${name}: ${p.sms.improved}, ${level} ${pct}`;
      return `${name}: ${level} ${pct}`;
    case 'repeat':
      return `${name}: ${p.sms.still} ${level} ${pct}`;
    case 'resolved':
      return `${name}: ${p.sms.resolved}, ${p.levels[c.to]} ${pct}`;
    case 'escalation': {
      const days = spellDays(c, asOf);
      const critical = p.levels.critical.toUpperCase();
      if (days === null) return `${name}: ${critical} ${pct}`;
      return `${name}: ${critical} ${days} ${p.sms.days(days)} ${pct}`;
    }
  }
}

function smsRates(e: UnitEvaluation, lang: Language, compact: boolean): string | null {
  const p = PHRASES[lang];
  if (e.figures.remaining <= 0) return null;
  const required = formatRate(e.figures.requiredDailyRate);
  if (required === null) return p.sms.shortBy(formatNumberVi(e.figures.remaining));
  const observed = formatRate(e.figures.observedDailyRate) ?? p.notAvailable;
  return compact ? p.sms.compactRates(required, observed) : p.rates(required, observed);
}

/** "2/12 xã nguy cấp, 3/12 nguy cơ chậm"; null when children do not matter to this message. */
export function smsCounts(n: Notification, lang: Language): string | null {
  if (!showsCounts(n)) return null;
  const { critical, atRisk } = countsOf(n);
  const noun = unitNoun(n.childUnitLevel, lang);
  const of = `/${n.childCount}`;
  const words = LEVEL_WORDS[lang];
  const parts: string[] = [];
  if (critical > 0) parts.push(`${critical}${of} ${noun} ${words.critical}`);
  if (atRisk > 0) parts.push(`${atRisk}${of} ${critical > 0 ? '' : `${noun} `}${words.at_risk}`);
  if (parts.length === 0) parts.push(`0${of} ${noun} ${PHRASES[lang].sms.alerting}`);
  return parts.join(', ');
}

/** "2 xã nguy cấp từ 3 ngày"; null when there is none, or only the one the SMS headline tells of. */
export function smsEscalations(
  n: Notification,
  lang: Language,
  asOf: Date,
  headline: UnitChange | null,
): string | null {
  const count = n.escalations.length;
  if (count === 0 || (count === 1 && headline?.kind === 'escalation')) return null;
  const days = Math.min(...n.escalations.map((c) => spellDays(c, asOf) ?? 0));
  return PHRASES[lang].sms.escalations(count, unitNoun(n.childUnitLevel, lang, count), days);
}

function composeSms(n: Notification, options: RenderOptions, fit: SmsFit): string {
  const { lang, asOf } = options;
  const p = PHRASES[lang];
  const name = (text: string, max: number) => shortenName(toGsm7(text), max);
  const ranked = worstFirst([...n.escalations, ...n.children]);
  const groups = n.groups ?? [];
  const headline = n.own ?? groups[0] ?? ranked[0];
  if (!headline) return '';
  const rest = n.own || groups.length > 0 ? ranked : ranked.slice(1);
  const moreGroups = n.own ? groups : groups.slice(1);

  const segments: string[] = [];
  if (fit.campaignMax > 0) segments.push(`${name(options.campaignName, fit.campaignMax)}:`);
  const counts = smsCounts(n, lang);
  const escalations = smsEscalations(n, lang, asOf, headline);
  const summary = [counts, escalations].filter((s): s is string => s !== null).join(', ');
  if (!n.own) {
    segments.push(`${name(scopeName(n), fit.nameMax)}:`);
    if (summary) segments.push(`${summary}.`);
  }
  const rates = fit.rates ? smsRates(headline.evaluation, lang, fit.compact) : null;
  segments.push(
    `${smsHeadline(headline, name(headline.evaluation.name, fit.nameMax), lang, asOf)}${rates ? `, ${rates}` : ''}.`,
  );
  for (const g of moreGroups) {
    const level = p.levels[g.to].toUpperCase();
    segments.push(
      `${toGsm7(groupWord(g.group?.code ?? '', lang))}: ${g.kind === 'resolved' ? `${p.sms.resolved}, ` : ''}${level} ${formatPercentVi(g.evaluation.percent)}.`,
    );
  }
  if ((n.own || groups.length > 0) && summary) segments.push(`${summary}.`);
  if (rest.length > 0 && (fit.tail || fit.listMax > 0)) {
    const shown = rest.slice(0, fit.listMax).map((c) => name(c.evaluation.name, Math.min(fit.nameMax, 18)));
    const more = rest.length - shown.length;
    const tail = fit.tail && more > 0 ? ` +${more}` : '';
    if (shown.length > 0) segments.push(`${p.sms.including}: ${shown.join(', ')}${tail}`);
    else segments.push(`+${more} ${unitNoun(n.childUnitLevel, lang, more)}`);
  }
  return toGsm7(segments.join(' '));
}

/** The ways to shorten an SMS, mildest first. */
function smsFits(listLength: number): SmsFit[] {
  const fits: SmsFit[] = [];
  let fit: SmsFit = {
    campaignMax: 40,
    nameMax: 40,
    listMax: listLength,
    tail: true,
    compact: false,
    rates: true,
  };
  const step = (patch: Partial<SmsFit>) => {
    fit = { ...fit, ...patch };
    fits.push(fit);
  };
  fits.push(fit);
  for (let k = listLength - 1; k >= Math.min(3, listLength); k--) step({ listMax: k });
  for (const nameMax of [28, 22]) step({ nameMax });
  step({ campaignMax: 0 });
  for (let k = Math.min(3, listLength) - 1; k >= 0; k--) step({ listMax: k });
  step({ nameMax: 18 });
  step({ compact: true });
  for (const nameMax of [14, 11, 8, 6]) step({ nameMax });
  step({ tail: false });
  step({ rates: false });
  return fits;
}

/**
 * The SMS: the brand first, then the text made to fit what is left of the 160 characters, then
 * the link when `smsLinks` is on, the link is GSM-7, and the text fits beside it uncut (it may lose
 * its rates then: the page shows them). Otherwise the SMS goes without the link: the e-mail always
 * has it.
 */
export function renderSms(n: Notification, options: RenderOptions): string {
  const prefix = smsPrefix(options.smsBrand);
  const link = options.link;
  const fits = smsFits(n.children.length + n.escalations.length);
  if (options.smsLinks && link && isGsm7(link)) {
    const room = SMS_MAX_CHARS - prefix.length - link.length - 1;
    for (const fit of fits) {
      const text = composeSms(n, options, fit);
      if (text.length <= room) return `${prefix}${text} ${link}`;
    }
  }
  const room = SMS_MAX_CHARS - prefix.length;
  let last = '';
  for (const fit of fits) {
    last = composeSms(n, options, fit);
    if (last.length <= room) return `${prefix}${last}`;
  }
  return `${prefix}${cut(last, room)}`;
}
