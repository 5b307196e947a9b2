/**
 * Every phrase the dashboard shows, in typed per-language tables (Vietnamese first), and numbers and
 * dates through Intl (vi-VN: 1.109.100; 13/3/2021). A phrase missing in one language is a type error.
 */
import { en } from './i18n/en.js';
import type { Phrases } from './i18n/phrases.js';
import { vi } from './i18n/vi.js';

export type { Phrases } from './i18n/phrases.js';

export const LANGS = ['vi', 'en'] as const;
export type Lang = (typeof LANGS)[number];

export const PHRASES: Readonly<Record<Lang, Phrases>> = { vi, en };

const LOCALES: Readonly<Record<Lang, string>> = { vi: 'vi-VN', en: 'en-GB' };

export interface Format {
  readonly lang: Lang;
  readonly t: Phrases;
  /** 1.109.100 (vi) / 1,109,100 (en); null → "—". */
  int(n: number | null | undefined): string;
  /** Up to 2 decimals: 1,26 / 1.26. */
  dec(n: number | null | undefined, digits?: number): string;
  pct(n: number | null | undefined): string;
  /** A local day `YYYY-MM-DD`: 13/3/2021 (vi) / 13/03/2021 (en). */
  day(day: string | null | undefined): string;
  /** Day and month only: 13/3 (vi) / 13 Mar (en), for chart axes. */
  shortDay(day: string): string;
  /** An instant in the campaign's time zone: 22:30 13/3/2021. */
  dateTime(iso: string | null | undefined, timeZone: string): string;
}

export function formatFor(lang: Lang): Format {
  const locale = LOCALES[lang];
  const ints = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const dayFormat = new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'numeric',
    year: 'numeric',
    timeZone: 'UTC',
  });
  const dash = '—';
  return {
    lang,
    t: PHRASES[lang],
    int: (n) => (n === null || n === undefined ? dash : ints.format(n)),
    dec: (n, digits = 2) =>
      n === null || n === undefined
        ? dash
        : new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(n),
    pct: (n) =>
      n === null || n === undefined
        ? dash
        : `${new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(n)} %`,
    day: (d) => (d ? dayFormat.format(new Date(`${d}T00:00:00Z`)) : dash),
    shortDay: (d) =>
      new Intl.DateTimeFormat(locale, {
        day: 'numeric',
        month: lang === 'vi' ? 'numeric' : 'short',
        timeZone: 'UTC',
      }).format(new Date(`${d}T00:00:00Z`)),
    dateTime: (iso, timeZone) =>
      iso
        ? new Intl.DateTimeFormat(locale, {
            hour: '2-digit',
            minute: '2-digit',
            day: 'numeric',
            month: 'numeric',
            year: 'numeric',
            timeZone,
          }).format(new Date(iso))
        : dash,
  };
}

/** The first letters folded: "Thị trấn" → "thi tran" (lowercase, no Vietnamese diacritics, đ → d). */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase();
}
