/**
 * Alert texts (docs/ARCHITECTURE.md §4), without I/O: one Notification becomes an e-mail subject, an SMS and
 * an e-mail body, in Vietnamese or English.
 *
 * - SMS: at most 160 characters of the GSM-7 basic table (no escape-table characters such as
 *   `[ ] { } ~ | \ ^ €`), so one segment on any basic phone. Vietnamese with diacritics would be UCS-2
 *   (70 characters a segment), so Vietnamese SMS are written without them. Names are shortened
 *   ("Huyện Văn Lâm" → "H.Van Lam" → "H.Van L.") and lists trimmed until the text fits; the limit
 *   is never exceeded, whatever the names.
 * - E-mail: Vietnamese with diacritics (or English); the subject is printable ASCII, ≤ 100
 *   characters (what SNS accepts as Subject).
 * - Numbers are written the vi-VN way in every language (1.109.100, 1,26 %) and dates d/m/yyyy
 *   (13/3/2021): the readers are Vietnamese officials, and one notation across a bilingual office
 *   avoids reading 1.109 as a fraction.
 * - Silences are mentioned only in the one summary sent when a silence ends.
 * - The brand prefix (`smsBrand`) counts inside the 160; a link (`smsLinks`) goes in only when the
 *   text fits beside it uncut; e-mails always end with the unit's link when there is one.
 */

import { withPlainText } from '../util/text.js';
import type { Language } from '../vocabulary/alerts.js';
import {
  alertClassOf,
  LEVEL_SEVERITY,
  type Notification,
  type UnitChange,
  type UnitEvaluation,
} from './alert-policy.js';
import { localDate, localTime } from './calendar.js';
import type { RiskLevel } from './risk.js';

export const SMS_MAX_CHARS = 160;
export const SUBJECT_MAX_CHARS = 100;
/** How many children an e-mail details; the rest are counted. */
export const EMAIL_WORST_CHILDREN = 5;

export interface RenderOptions {
  readonly lang: Language;
  readonly campaignName: string;
  readonly timeZone: string;
  /** The evaluation time (for "as of" and the length of critical spells). */
  readonly asOf: Date;
  /** The registered SMS brand name, put before every SMS and counted inside its 160 characters. */
  readonly smsBrand?: string;
  /** The scope unit's dashboard page: always in the e-mail; in the SMS with `smsLinks` when the text still fits. */
  readonly link?: string;
  readonly smsLinks?: boolean;
  /** A line for the e-mail saying SMS were replaced by e-mail this month (the campaign's SMS cap). */
  readonly smsCapped?: boolean;
}

export interface RenderedNotification {
  readonly subject: string;
  readonly sms: string;
  readonly email: string;
}

// ---------------------------------------------------------------------------------------------
// Characters and numbers
// ---------------------------------------------------------------------------------------------

/** The GSM 03.38 basic character table (the escape character itself excluded). */
const GSM7_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);

/** Whether every character is in the GSM-7 basic table (one septet each: 160 to a segment). */
export function isGsm7(text: string): boolean {
  for (const ch of text) if (!GSM7_BASIC.has(ch)) return false;
  return true;
}

/**
 * Vietnamese without diacritics: tones and vowel marks removed (ư → u, ế → e), đ → d and Đ → D
 * (neither decomposes in Unicode), including the look-alike Ð/ð that legacy encodings left behind.
 */
export function stripDiacritics(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đð]/g, 'd')
    .replace(/[ĐÐ]/g, 'D')
    .normalize('NFC');
}

/** ASCII stand-ins for typography and for the GSM escape-table characters. */
const SUBSTITUTES: Readonly<Record<string, string>> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201A': "'",
  '\u201B': "'",
  '\u2032': "'",
  '`': "'",
  '\u201C': '"',
  '\u201D': '"',
  '\u201E': '"',
  '\u00AB': '"',
  '\u00BB': '"',
  '\u2026': '...',
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2013': '-',
  '\u2014': '-',
  '\u2015': '-',
  '\u2212': '-',
  '~': '-',
  '[': '(',
  ']': ')',
  '{': '(',
  '}': ')',
  '|': '/',
  '\\': '/',
  '^': '',
  '€': 'EUR',
  '\u2022': '-',
  '\u00B7': '-',
  Ø: 'O',
  ø: 'o',
  Æ: 'AE',
  æ: 'ae',
  ß: 'ss',
  '\u00A3': 'GBP',
  '\u00A5': 'JPY',
};

function sanitize(text: string, keep: (ch: string) => boolean): string {
  let out = '';
  for (const ch of stripDiacritics(text)) {
    if (keep(ch)) out += ch;
    else if (/\s/u.test(ch)) out += ' ';
    else {
      const substitute = SUBSTITUTES[ch];
      out += substitute !== undefined && [...substitute].every(keep) ? substitute : '?';
    }
  }
  return out.replace(/ {2,}/g, ' ').trim();
}

/** One line of GSM-7 basic characters, Vietnamese without diacritics. */
export function toGsm7(text: string): string {
  return sanitize(text, (ch) => ch !== '\n' && ch !== '\r' && GSM7_BASIC.has(ch));
}

/** One line of printable ASCII (an SNS Subject). */
export function toAsciiLine(text: string): string {
  return sanitize(text, (ch) => ch >= ' ' && ch <= '~');
}

const viNumberFormats = new Map<number, Intl.NumberFormat>();

/** vi-VN through Intl: `.` groups thousands, `,` marks decimals (1.109.100; 1,26); trailing zeros dropped. */
export function formatNumberVi(n: number, maxFractionDigits = 0): string {
  if (!Number.isFinite(n)) return '-';
  let format = viNumberFormats.get(maxFractionDigits);
  if (!format) {
    // signDisplay 'negative': a value that rounds to zero is "0", never "-0".
    format = new Intl.NumberFormat('vi-VN', {
      maximumFractionDigits: maxFractionDigits,
      signDisplay: 'negative',
    });
    viNumberFormats.set(maxFractionDigits, format);
  }
  return format.format(n);
}

/** '2021-06-18' → '18/6/2021'. */
export function formatDateVi(isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!match) throw new RangeError(`not a YYYY-MM-DD date: "${isoDate}"`);
  const [, year, month, day] = match;
  return `${Number(day)}/${Number(month)}/${year}`;
}

export const formatPercentVi = (percent: number): string => `${formatNumberVi(percent, 2)}%`;

const formatRate = (rate: number | null): string | null =>
  rate === null ? null : formatNumberVi(Math.round(rate));

// ---------------------------------------------------------------------------------------------
// Words
// ---------------------------------------------------------------------------------------------

/** How each level is named to leaders (also in reports). */
export const LEVEL_WORDS: Readonly<Record<Language, Readonly<Record<RiskLevel, string>>>> = {
  vi: {
    done: 'đã đạt chỉ tiêu',
    on_track: 'đúng tiến độ',
    at_risk: 'nguy cơ chậm',
    critical: 'nguy cấp',
    missed: 'quá hạn chưa đạt',
    no_data: 'chưa có số liệu',
  },
  en: {
    done: 'target reached',
    on_track: 'on track',
    at_risk: 'at risk',
    critical: 'critical',
    missed: 'deadline missed',
    no_data: 'no data yet',
  },
};

/** How a population group is named (its sub-target's messages): known codes, else the code itself. */
const GROUP_WORDS: Readonly<Record<string, Readonly<Record<Language, string>>>> = {
  official: { vi: 'Cán bộ CCVC', en: 'Officials' },
  officials: { vi: 'Cán bộ CCVC', en: 'Officials' },
  student: { vi: 'Học sinh', en: 'Students' },
  worker: { vi: 'Công nhân', en: 'Workers' },
};
export function groupWord(code: string, lang: Language): string {
  return GROUP_WORDS[code]?.[lang] ?? (lang === 'vi' ? `Nhóm ${code}` : `Group ${code}`);
}

/** Nouns for a hierarchy level code: Vietnamese (no plural), English singular and plural. */
const UNIT_NOUNS: Readonly<Record<string, { readonly vi: string; readonly en: readonly [string, string] }>> =
  {
    province: { vi: 'tỉnh', en: ['province', 'provinces'] },
    city: { vi: 'thành phố', en: ['city', 'cities'] },
    district: { vi: 'huyện', en: ['district', 'districts'] },
    commune: { vi: 'xã', en: ['commune', 'communes'] },
    ward: { vi: 'phường', en: ['ward', 'wards'] },
    town: { vi: 'thị trấn', en: ['town', 'towns'] },
    department: { vi: 'sở, ngành', en: ['department', 'departments'] },
  };
/** The noun for `count` units of a level ("3 communes", "1 commune"; "3 xã"). */
function unitNoun(level: string | null, lang: Language, count = 2): string {
  const nouns = level !== null ? UNIT_NOUNS[level] : undefined;
  if (lang === 'vi') return nouns?.vi ?? 'đơn vị';
  const [one, many] = nouns?.en ?? ['unit', 'units'];
  return count === 1 ? one : many;
}

/** Administrative prefixes and their customary abbreviations (on text without diacritics). */
const PREFIX_ABBREVIATIONS: readonly (readonly [RegExp, string])[] = [
  [/^Thanh pho\s+/i, 'TP.'],
  [/^Thi tran\s+/i, 'TT.'],
  [/^Thi xa\s+/i, 'TX.'],
  [/^Tinh\s+/i, 'T.'],
  [/^Huyen\s+/i, 'H.'],
  [/^Quan\s+/i, 'Q.'],
  [/^Phuong\s+/i, 'P.'],
  [/^Xa\s+/i, 'X.'],
];

/** A name in at most `max` characters: the prefix abbreviated first, then cut with a full stop. */
export function shortenName(name: string, max: number): string {
  const full = name.replace(/\s+/g, ' ').trim();
  if (full.length <= max) return full;
  let short = full;
  for (const [pattern, abbreviation] of PREFIX_ABBREVIATIONS) {
    if (pattern.test(short)) {
      short = short.replace(pattern, abbreviation);
      break;
    }
  }
  if (short.length <= max) return short;
  if (max <= 1) return short.slice(0, Math.max(0, max));
  return `${short.slice(0, max - 1).trimEnd()}.`;
}

const DAY_MS = 86_400_000;

function spellDays(change: UnitChange, asOf: Date): number | null {
  if (change.criticalSince === null) return null;
  return Math.max(0, Math.floor((asOf.getTime() - Date.parse(change.criticalSince)) / DAY_MS));
}

const isImprovement = (c: UnitChange) =>
  c.kind === 'alert' && c.from === 'critical' && alertClassOf(c.to) === 'at_risk';

/** Worst first: escalations, then by level, resolved last; then slowest pace, lowest percent, name. */
export function worstFirst(changes: readonly UnitChange[]): UnitChange[] {
  const weight = (c: UnitChange) =>
    c.kind === 'resolved' ? -1 : LEVEL_SEVERITY[c.to] * 2 + (c.kind === 'escalation' ? 1 : 0);
  const pace = (c: UnitChange) => c.evaluation.figures.paceRatio ?? Number.POSITIVE_INFINITY;
  return [...changes].sort(
    (a, b) =>
      weight(b) - weight(a) ||
      pace(a) - pace(b) ||
      a.evaluation.percent - b.evaluation.percent ||
      a.evaluation.name.localeCompare(b.evaluation.name),
  );
}

interface Counts {
  readonly critical: number;
  readonly atRisk: number;
}
const countsOf = (n: Notification): Counts => ({
  critical: (n.childLevelCounts.critical ?? 0) + (n.childLevelCounts.missed ?? 0),
  atRisk: n.childLevelCounts.at_risk ?? 0,
});

/** Counts are shown when children matter to this message (not on a bare resolved notice). */
const showsCounts = (n: Notification) =>
  n.childCount > 0 &&
  (n.children.length > 0 || n.escalations.length > 0 || (n.own !== null && n.own.kind !== 'resolved'));

const scopeName = (n: Notification) => n.own?.evaluation.name ?? n.scope?.name ?? n.scopeUnitId;

// ---------------------------------------------------------------------------------------------
// SMS
// ---------------------------------------------------------------------------------------------

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
  const level = LEVEL_WORDS[lang][c.to].toUpperCase();
  const pct = formatPercentVi(c.evaluation.percent);
  const vi = lang === 'vi';
  const name = c.group
    ? `${unitName}, ${toGsm7(groupWord(c.group.code, lang))} (${vi ? 'hạn' : 'due'} ${shortDate(c.group.deadline)})`
    : unitName;
  switch (c.kind) {
    case 'summary': {
      const from = c.from === null ? null : LEVEL_WORDS[lang][c.from];
      return vi
        ? `${name}: HẾT TẠM NGỪNG, nay ${level} ${pct}${from ? ` (trước: ${from})` : ''}`
        : `${name}: SILENCE OVER, now ${level} ${pct}${from ? ` (was ${from})` : ''}`;
    }
    case 'alert':
      if (isImprovement(c)) return `${name}: ${vi ? 'CẢI THIỆN' : 'IMPROVED'}, ${level} ${pct}`;
      return `${name}: ${level} ${pct}`;
    case 'repeat':
      return `${name}: ${vi ? 'VẪN' : 'STILL'} ${level} ${pct}`;
    case 'resolved':
      return `${name}: ${vi ? 'HẾT CẢNH BÁO' : 'RESOLVED'}, ${LEVEL_WORDS[lang][c.to]} ${pct}`;
    case 'escalation': {
      const days = spellDays(c, asOf);
      const critical = LEVEL_WORDS[lang].critical.toUpperCase();
      if (days === null) return `${name}: ${critical} ${pct}`;
      return `${name}: ${critical} ${days} ${vi ? 'NGÀY' : days === 1 ? 'DAY' : 'DAYS'} ${pct}`;
    }
  }
}

function smsRates(e: UnitEvaluation, lang: Language, compact: boolean): string | null {
  const vi = lang === 'vi';
  if (e.figures.remaining <= 0) return null;
  const required = formatRate(e.figures.requiredDailyRate);
  if (required === null) return `${vi ? 'còn thiếu' : 'short by'} ${formatNumberVi(e.figures.remaining)}`;
  const observed = formatRate(e.figures.observedDailyRate) ?? (vi ? 'chưa có' : 'n/a');
  if (compact) return vi ? `cần ${required}, đạt ${observed}/ngày` : `need ${required}, got ${observed}/day`;
  return vi
    ? `cần ${required}/ngày, thực tế ${observed}/ngày`
    : `need ${required}/day, actual ${observed}/day`;
}

function smsCounts(n: Notification, lang: Language): string | null {
  if (!showsCounts(n)) return null;
  const { critical, atRisk } = countsOf(n);
  const noun = unitNoun(n.childUnitLevel, lang);
  const of = `/${n.childCount}`;
  const words = LEVEL_WORDS[lang];
  const parts: string[] = [];
  if (critical > 0) parts.push(`${critical}${of} ${noun} ${words.critical}`);
  if (atRisk > 0) parts.push(`${atRisk}${of} ${critical > 0 ? '' : `${noun} `}${words.at_risk}`);
  if (parts.length === 0) parts.push(`0${of} ${noun} ${lang === 'vi' ? 'cảnh báo' : 'alerting'}`);
  return parts.join(', ');
}

/** "2 xã nguy cấp từ 3 ngày"; null when there is none, or only the one the SMS headline tells of. */
function smsEscalations(
  n: Notification,
  lang: Language,
  asOf: Date,
  headline: UnitChange | null,
): string | null {
  const count = n.escalations.length;
  if (count === 0 || (count === 1 && headline?.kind === 'escalation')) return null;
  const days = Math.min(...n.escalations.map((c) => spellDays(c, asOf) ?? 0));
  const noun = unitNoun(n.childUnitLevel, lang, count);
  return lang === 'vi'
    ? `${count} ${noun} nguy cấp từ ${days} ngày`
    : `${count} ${noun} critical ${days}+ days`;
}

/** '2021-04-30' → '30/4' (the year is the campaign's). */
function shortDate(isoDate: string): string {
  return formatDateVi(isoDate).replace(/\/\d{4}$/, '');
}

function composeSms(n: Notification, options: RenderOptions, fit: SmsFit): string {
  const { lang, asOf } = options;
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
    const level = LEVEL_WORDS[lang][g.to].toUpperCase();
    segments.push(
      `${toGsm7(groupWord(g.group?.code ?? '', lang))}: ${g.kind === 'resolved' ? (lang === 'vi' ? 'HẾT CẢNH BÁO, ' : 'RESOLVED, ') : ''}${level} ${formatPercentVi(g.evaluation.percent)}.`,
    );
  }
  if ((n.own || groups.length > 0) && summary) segments.push(`${summary}.`);
  if (rest.length > 0 && (fit.tail || fit.listMax > 0)) {
    const shown = rest.slice(0, fit.listMax).map((c) => name(c.evaluation.name, Math.min(fit.nameMax, 18)));
    const more = rest.length - shown.length;
    const label = lang === 'vi' ? 'Gồm' : 'Incl';
    const tail = fit.tail && more > 0 ? ` +${more}` : '';
    if (shown.length > 0) segments.push(`${label}: ${shown.join(', ')}${tail}`);
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

/** The brand prefix of every SMS ("UBND HY: "), empty without a brand. */
export function smsPrefix(brand: string | undefined): string {
  return brand ? `${toGsm7(brand)}: ` : '';
}

/**
 * The SMS: the brand first, then the text made to fit what is left of the 160 characters, then
 * the link when `smsLinks` is on, the link is GSM-7, and the text fits beside it uncut (it may lose
 * its rates then: the page shows them). Otherwise the SMS goes without the link: the e-mail always
 * has it.
 */
function renderSms(n: Notification, options: RenderOptions): string {
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

/** Cut at a word boundary (never inside a number), marked with "...". */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max - 3);
  const space = head.lastIndexOf(' ');
  return `${(space > max / 2 ? head.slice(0, space) : head).trimEnd()}...`;
}

// ---------------------------------------------------------------------------------------------
// Subject
// ---------------------------------------------------------------------------------------------

function subjectSummary(n: Notification, lang: Language, asOf: Date): string {
  const words = LEVEL_WORDS[lang];
  const vi = lang === 'vi';
  const own = n.own;
  const counts = smsCounts(n, lang);
  let summary: string;
  const group = (n.groups ?? [])[0];
  if (!own && group) {
    const pct = formatPercentVi(group.evaluation.percent);
    const word = groupWord(group.group?.code ?? '', lang);
    if (group.kind === 'resolved') return `${word}: ${vi ? 'het canh bao' : 'resolved'}, ${words[group.to]}`;
    if (group.kind === 'repeat') return `${word}: ${vi ? 'van' : 'still'} ${words[group.to]} ${pct}`;
    return `${word}: ${words[group.to]} ${pct}`;
  }
  if (own) {
    const pct = formatPercentVi(own.evaluation.percent);
    if (own.kind === 'summary')
      summary = `${vi ? 'het tam ngung, nay' : 'silence over, now'} ${words[own.to]} ${pct}`;
    else if (own.kind === 'resolved') summary = `${vi ? 'het canh bao' : 'resolved'}, ${words[own.to]}`;
    else if (own.kind === 'repeat') summary = `${vi ? 'van' : 'still'} ${words[own.to]} ${pct}`;
    else if (isImprovement(own)) summary = `${vi ? 'cai thien' : 'improved'}: ${words[own.to]} ${pct}`;
    else summary = `${words[own.to]} ${pct}`;
    if (counts) summary += `; ${counts}`;
  } else {
    const escalated = smsEscalations(n, lang, asOf, null);
    summary = [counts, escalated].filter((s): s is string => s !== null).join(', ');
  }
  return summary;
}

function renderSubject(n: Notification, options: RenderOptions): string {
  const summary = toAsciiLine(subjectSummary(n, options.lang, options.asOf));
  const campaign = toAsciiLine(options.campaignName);
  const scope = toAsciiLine(scopeName(n));
  const candidates = [
    `${campaign}: ${scope} - ${summary}`,
    `${shortenName(campaign, 30)}: ${shortenName(scope, 30)} - ${summary}`,
    `${shortenName(scope, 30)} - ${summary}`,
  ];
  for (const subject of candidates) if (subject.length <= SUBJECT_MAX_CHARS) return subject;
  return cut(candidates[candidates.length - 1] ?? '', SUBJECT_MAX_CHARS);
}

// ---------------------------------------------------------------------------------------------
// E-mail
// ---------------------------------------------------------------------------------------------

const LEVEL_ORDER: readonly RiskLevel[] = ['missed', 'critical', 'at_risk', 'no_data', 'on_track', 'done'];

function instantVi(iso: string | Date, timeZone: string): string {
  const instant = typeof iso === 'string' ? new Date(iso) : iso;
  return formatDateVi(localDate(instant, timeZone));
}

function figureLines(e: UnitEvaluation, lang: Language): string[] {
  const vi = lang === 'vi';
  const f = e.figures;
  const total = formatNumberVi(e.total);
  const target = formatNumberVi(e.target);
  const pct = formatPercentVi(e.percent);
  const required = formatRate(f.requiredDailyRate);
  const observed = formatRate(f.observedDailyRate);
  const pace = f.paceRatio === null ? null : `${formatNumberVi(f.paceRatio * 100)}%`;
  const lines = [
    vi ? `- Kết quả: ${total} / chỉ tiêu ${target} (${pct})` : `- Done: ${total} of ${target} (${pct})`,
  ];
  if (f.remaining > 0) {
    lines.push(
      vi
        ? `- Còn lại: ${formatNumberVi(f.remaining)}, còn ${formatNumberVi(f.daysLeft)} ngày`
        : `- Remaining: ${formatNumberVi(f.remaining)} in ${formatNumberVi(f.daysLeft)} days`,
    );
    const requiredText =
      required === null ? (vi ? 'đã hết hạn' : 'deadline passed') : `${required}/${vi ? 'ngày' : 'day'}`;
    const observedText =
      observed === null ? (vi ? 'chưa có' : 'not yet known') : `${observed}/${vi ? 'ngày' : 'day'}`;
    const paceText = pace === null ? '' : vi ? ` (bằng ${pace} mức cần)` : ` (${pace} of required)`;
    lines.push(
      vi
        ? `- Tốc độ cần đạt: ${requiredText}; thực tế (bình quân 7 ngày gần nhất): ${observedText}${paceText}`
        : `- Required rate: ${requiredText}; actual (mean of the last 7 days): ${observedText}${paceText}`,
    );
    const projected =
      f.projectedCompletion === null
        ? vi
          ? 'chưa ước tính được'
          : 'not yet projected'
        : formatDateVi(f.projectedCompletion);
    lines.push(vi ? `- Dự kiến hoàn thành: ${projected}` : `- Projected completion: ${projected}`);
  }
  return lines;
}

function ownSentence(c: UnitChange, lang: Language, timeZone: string): string {
  const words = LEVEL_WORDS[lang];
  const vi = lang === 'vi';
  const name = c.evaluation.name;
  const to = words[c.to];
  const from = c.from === null ? null : words[c.from];
  switch (c.kind) {
    case 'alert':
      if (isImprovement(c)) {
        return vi
          ? `CẢI THIỆN: ${name} chuyển từ mức "${from}" sang mức "${to}".`
          : `IMPROVED: ${name} is now ${to} (was ${from}).`;
      }
      if (vi) {
        return from === null
          ? `CẢNH BÁO ${to.toUpperCase()}: ${name} ở mức "${to}".`
          : `CẢNH BÁO ${to.toUpperCase()}: ${name} chuyển từ mức "${from}" sang mức "${to}".`;
      }
      return `ALERT, ${to.toUpperCase()}: ${name} is ${to}${from === null ? '' : ` (was ${from})`}.`;
    case 'repeat': {
      const since = c.criticalSince === null ? null : instantVi(c.criticalSince, timeZone);
      return vi
        ? `NHẮC LẠI: ${name} vẫn ở mức "${to}"${since ? ` từ ${since}` : ''}.`
        : `REMINDER: ${name} is still ${to}${since ? ` (since ${since})` : ''}.`;
    }
    case 'resolved':
      return vi
        ? `HẾT CẢNH BÁO: ${name} đã trở lại mức "${to}"${from === null ? '' : ` (trước đó: ${from})`}.`
        : `RESOLVED: ${name} is back to ${to}${from === null ? '' : ` (was ${from})`}.`;
    case 'escalation':
      return `${name}: ${to}.`;
    case 'summary': {
      const since = c.muted ? instantVi(c.muted.since, timeZone) : null;
      const worst = c.muted ? words[c.muted.worst] : null;
      return vi
        ? `HẾT TẠM NGỪNG CẢNH BÁO: trong thời gian tạm ngừng${since ? ` (từ ${since})` : ''}, ${name} chuyển từ mức "${from ?? to}" sang mức "${to}"; mức xấu nhất trong thời gian đó: "${worst ?? to}".`
        : `SILENCE OVER: while alerts were silenced${since ? ` (since ${since})` : ''}, ${name} went from ${from ?? to} to ${to}; the worst meanwhile: ${worst ?? to}.`;
    }
  }
}

function groupSentence(c: UnitChange, lang: Language, timeZone: string): string {
  const vi = lang === 'vi';
  const word = groupWord(c.group?.code ?? '', lang);
  const deadline = c.group ? formatDateVi(c.group.deadline) : '';
  const head = vi ? `Chỉ tiêu riêng "${word}" (hạn ${deadline})` : `Sub-target "${word}" (due ${deadline})`;
  return `${head} — ${ownSentence(c, lang, timeZone)}`;
}

function childLine(c: UnitChange, index: number, lang: Language, options: RenderOptions): string {
  const vi = lang === 'vi';
  const words = LEVEL_WORDS[lang];
  const e = c.evaluation;
  let what: string;
  switch (c.kind) {
    case 'escalation': {
      const days = spellDays(c, options.asOf);
      const since = c.criticalSince === null ? null : instantVi(c.criticalSince, options.timeZone);
      what = vi
        ? `${words.critical} liên tục${days === null ? '' : ` ${days} ngày`}${since ? ` (từ ${since})` : ''}`
        : `${words.critical}${days === null ? '' : ` for ${days} days`}${since ? ` (since ${since})` : ''}`;
      break;
    }
    case 'resolved':
      what = vi ? `hết cảnh báo, ${words[c.to]}` : `resolved, ${words[c.to]}`;
      break;
    default:
      what = c.from !== null && c.from !== c.to ? `${words[c.from]} → ${words[c.to]}` : words[c.to];
  }
  const f = e.figures;
  const details = [
    `${formatPercentVi(e.percent)} (${formatNumberVi(e.total)} / ${formatNumberVi(e.target)})`,
  ];
  const required = formatRate(f.requiredDailyRate);
  if (f.remaining > 0 && required !== null) {
    const observed = formatRate(f.observedDailyRate) ?? (vi ? 'chưa có' : 'n/a');
    details.push(
      vi ? `cần ${required}/ngày, thực tế ${observed}/ngày` : `need ${required}/day, actual ${observed}/day`,
    );
  }
  if (f.remaining > 0 && f.projectedCompletion !== null) {
    const projected = formatDateVi(f.projectedCompletion);
    details.push(vi ? `dự kiến hoàn thành ${projected}` : `projected completion ${projected}`);
  }
  return `${index + 1}. ${e.name}: ${what}; ${details.join('; ')}`;
}

function countsLine(n: Notification, lang: Language): string | null {
  if (n.childCount === 0) return null;
  const vi = lang === 'vi';
  const words = LEVEL_WORDS[lang];
  const noun = unitNoun(n.childUnitLevel, lang, n.childCount);
  let known = 0;
  const parts: string[] = [];
  for (const level of LEVEL_ORDER) {
    const count = n.childLevelCounts[level] ?? 0;
    known += count;
    if (count > 0) parts.push(`${formatNumberVi(count)} ${words[level]}`);
  }
  if (n.childCount > known) {
    parts.push(`${formatNumberVi(n.childCount - known)} ${vi ? 'chưa đánh giá' : 'not evaluated'}`);
  }
  const total = formatNumberVi(n.childCount);
  return vi
    ? `Đơn vị trực thuộc (${total} ${noun}): ${parts.join(', ')}.`
    : `Sub-units (${total} ${noun}): ${parts.join(', ')}.`;
}

function digestSentence(n: Notification, lang: Language, asOf: Date): string {
  const vi = lang === 'vi';
  const noun = (count: number) => unitNoun(n.childUnitLevel, lang, count);
  const name = scopeName(n);
  const parts: string[] = [];
  if (n.escalations.length > 0) {
    const days = Math.min(...n.escalations.map((c) => spellDays(c, asOf) ?? 0));
    parts.push(
      vi
        ? `${n.escalations.length} ${noun(n.escalations.length)} nguy cấp liên tục từ ${days} ngày trở lên`
        : `${n.escalations.length} ${noun(n.escalations.length)} critical for ${days} days or more`,
    );
  }
  if (n.children.length > 0) {
    parts.push(
      vi
        ? `${n.children.length} ${noun(n.children.length)} thay đổi mức cảnh báo`
        : `${n.children.length} ${noun(n.children.length)} changed alert level`,
    );
  }
  return `${name}: ${parts.join('; ')}.`;
}

function renderEmail(n: Notification, options: RenderOptions): string {
  const { lang, timeZone, asOf } = options;
  const vi = lang === 'vi';
  const time = `${localTime(asOf, timeZone)} ${vi ? 'ngày' : 'on'} ${instantVi(asOf, timeZone)}`;
  const lines: string[] = [
    vi ? `Chiến dịch: ${options.campaignName}` : `Campaign: ${options.campaignName}`,
    vi ? `Gửi lãnh đạo: ${scopeName(n)}` : `To the leaders of: ${scopeName(n)}`,
    vi ? `Số liệu lúc ${time}` : `Figures as of ${time}`,
    '',
  ];

  const groups = n.groups ?? [];
  if (n.own) {
    lines.push(ownSentence(n.own, lang, timeZone), ...figureLines(n.own.evaluation, lang));
  } else if (groups.length > 0) {
    // A sub-target alone (officials critical while the unit is on track): the group leads.
  } else {
    lines.push(digestSentence(n, lang, asOf));
    if (n.scope) {
      lines.push(
        vi
          ? `Tình hình ${n.scope.name}: ${LEVEL_WORDS[lang][n.scope.level]}.`
          : `${n.scope.name} overall: ${LEVEL_WORDS[lang][n.scope.level]}.`,
        ...figureLines(n.scope, lang),
      );
    }
  }

  for (const g of groups) {
    if (n.own || g !== groups[0]) lines.push('');
    lines.push(groupSentence(g, lang, timeZone), ...figureLines(g.evaluation, lang));
  }

  const counts = countsLine(n, lang);
  if (counts) lines.push('', counts);

  const ranked = worstFirst([...n.escalations, ...n.children]);
  if (ranked.length > 0) {
    const shown = ranked.slice(0, EMAIL_WORST_CHILDREN);
    lines.push(
      '',
      vi
        ? n.escalations.length > 0 && n.children.length === 0
          ? `Nguy cấp kéo dài, báo lên lãnh đạo ${scopeName(n)}:`
          : `Cần chú ý nhất (${formatNumberVi(shown.length)}/${formatNumberVi(ranked.length)}):`
        : n.escalations.length > 0 && n.children.length === 0
          ? `Critical for days, escalated to the leaders of ${scopeName(n)}:`
          : `Most in need of attention (${formatNumberVi(shown.length)} of ${formatNumberVi(ranked.length)}):`,
      ...shown.map((c, i) => childLine(c, i, lang, options)),
    );
    const more = ranked.length - shown.length;
    const noun = unitNoun(n.childUnitLevel, lang, more);
    if (more > 0)
      lines.push(
        vi ? `... và ${formatNumberVi(more)} ${noun} khác.` : `... and ${formatNumberVi(more)} more ${noun}.`,
      );
  }

  if (options.link) {
    lines.push('', vi ? `Xem chi tiết: ${options.link}` : `Details: ${options.link}`);
  }
  if (options.smsCapped) {
    lines.push(
      '',
      vi
        ? 'Lưu ý: chiến dịch đã dùng hết hạn mức SMS của tháng; cảnh báo được gửi qua thư điện tử thay cho SMS.'
        : 'Note: the campaign has used its SMS allowance for the month; alerts come by e-mail instead of SMS.',
    );
  }
  lines.push(
    '',
    vi
      ? '— Thư gửi tự động từ hệ thống theo dõi chiến dịch. Vui lòng không trả lời thư này.'
      : '— Automatic message from the campaign monitoring system. Please do not reply.',
  );
  return lines.join('\n');
}

/** The three texts of one notification, in one language. */
export function renderNotification(notification: Notification, options: RenderOptions): RenderedNotification {
  // Names on one line: a line break in a unit name must not become a line of the message.
  const n = withPlainText(notification);
  return { subject: renderSubject(n, options), sms: renderSms(n, options), email: renderEmail(n, options) };
}

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

/** The once-a-month notice to the root's leaders: 80 % of the campaign's SMS cap is used. */
export function renderSmsBudgetNotice(o: SmsBudgetNoticeOptions): RenderedNotification {
  const vi = o.lang === 'vi';
  const [year, month] = o.month.split('-');
  const period = `${Number(month)}/${year}`;
  const used = formatNumberVi(o.used);
  const cap = formatNumberVi(o.cap);
  const subject = toAsciiLine(
    vi
      ? `${o.campaignName}: da dung ${used}/${cap} SMS thang ${period}`
      : `${o.campaignName}: ${used} of ${cap} SMS used in ${period}`,
  );
  const sms = `${smsPrefix(o.smsBrand)}${toGsm7(
    vi
      ? `${shortenName(toGsm7(o.campaignName), 40)}: da dung ${used}/${cap} SMS thang ${period}. Khi het han muc, canh bao gui qua e-mail.`
      : `${shortenName(toGsm7(o.campaignName), 40)}: ${used} of ${cap} SMS used in ${period}. At the cap, alerts go by e-mail.`,
  )}`;
  const email = [
    vi ? `Chiến dịch: ${o.campaignName}` : `Campaign: ${o.campaignName}`,
    '',
    vi
      ? `Chiến dịch đã dùng ${used} trên hạn mức ${cap} tin nhắn SMS của tháng ${period} (80 %).`
      : `The campaign has used ${used} of its ${cap} SMS for ${period} (80 %).`,
    vi
      ? 'Khi đạt hạn mức, cảnh báo sẽ gửi qua thư điện tử cho lãnh đạo có địa chỉ thư; lãnh đạo chỉ nhận SMS vẫn nhận cảnh báo nguy cấp.'
      : 'At the cap, alerts go by e-mail to leaders who have an address; leaders with SMS only still get critical alerts.',
    ...(o.link ? ['', vi ? `Xem chi tiết: ${o.link}` : `Details: ${o.link}`] : []),
    '',
    vi
      ? '— Thư gửi tự động từ hệ thống theo dõi chiến dịch. Vui lòng không trả lời thư này.'
      : '— Automatic message from the campaign monitoring system. Please do not reply.',
  ].join('\n');
  return { subject: cut(subject, SUBJECT_MAX_CHARS), sms: cut(sms, SMS_MAX_CHARS), email };
}
