/**
 * Numbers and dates the vi-VN way in every language (1.109.100, 1,26 %, 13/3/2021): the readers are
 * Vietnamese officials, and one notation across a bilingual office avoids reading 1.109 as a fraction.
 */
import { localDate } from '../calendar.js';

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

/** A daily rate, rounded to a whole number; null stays null (no rate). */
export const formatRate = (rate: number | null): string | null =>
  rate === null ? null : formatNumberVi(Math.round(rate));

/** '2021-04-30' → '30/4' (the year is the campaign's). */
export function shortDate(isoDate: string): string {
  return formatDateVi(isoDate).replace(/\/\d{4}$/, '');
}

/** The local date of an instant, d/m/yyyy. */
export function instantVi(iso: string | Date, timeZone: string): string {
  const instant = typeof iso === 'string' ? new Date(iso) : iso;
  return formatDateVi(localDate(instant, timeZone));
}
