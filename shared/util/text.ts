/**
 * Text that came from an administrator (unit, campaign and recipient names, reasons) on its way into
 * e-mail, SMS, CSV and log lines: a control character there could forge a line (a newline in a
 * unit name becomes a fake line of a report e-mail, or a fake log entry). Names with control
 * characters are refused at validation; these functions also neutralise any stored before that.
 */

/** C0 and C1 controls, DEL, and the Unicode line and paragraph separators. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

export const hasControlCharacters = (text: string): boolean => CONTROL.test(text);

/** The text on one line: every run of control characters (line breaks, tabs…) becomes one space. */
export const oneLine = (text: string): string => text.replace(CONTROLS, ' ');

/**
 * A copy of a plain value (objects, arrays) with every string put on one line; anything else (dates,
 * numbers, class instances) is kept as it is. For data handed to a renderer whose own line breaks
 * are the only ones that may appear in its output.
 */
export function withPlainText<T>(value: T): T {
  if (typeof value === 'string') return oneLine(value) as T;
  if (Array.isArray(value)) return value.map(withPlainText) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withPlainText(v)])) as T;
  }
  return value;
}
