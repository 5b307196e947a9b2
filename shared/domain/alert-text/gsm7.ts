/**
 * Characters an SMS and an SNS Subject may hold: the GSM-7 basic table (one septet each, 160 to a
 * segment; no escape-table characters such as `[ ] { } ~ | \ ^ €`), Vietnamese without diacritics
 * (with them the SMS would be UCS-2, 70 characters a segment), printable ASCII for a subject, and the
 * ways a text is made to fit: names abbreviated, then cut.
 */

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

/**
 * A name in at most `max` characters: the prefix abbreviated first, then whole words when they keep
 * at least half the room ("Thu nhan ho so CCCD 2021", not "... 2021 - Hu."), never ending in an
 * unclosed parenthesis or a separator; only a word cut inside is marked, with a full stop, as
 * abbreviations are ("X.Nghiada.").
 */
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
  const room = short.slice(0, max);
  let words = short[max] === ' ' ? room : room.slice(0, Math.max(0, room.lastIndexOf(' ')));
  const open = words.lastIndexOf('(');
  if (open > words.lastIndexOf(')')) words = words.slice(0, open);
  words = words.replace(/[\s\-–—,:;.(]+$/u, '');
  if (words.length >= max / 2) return words;
  return `${short.slice(0, max - 1).trimEnd()}.`;
}

/** Cut at a word boundary (never inside a number), marked with "...". */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max - 3);
  const space = head.lastIndexOf(' ');
  return `${(space > max / 2 ? head.slice(0, space) : head).trimEnd()}...`;
}

/** The brand prefix of every SMS ("UBND HY: "), empty without a brand. */
export function smsPrefix(brand: string | undefined): string {
  return brand ? `${toGsm7(brand)}: ` : '';
}
