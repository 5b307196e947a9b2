/**
 * CSV writing through csv-stringify (the sibling of the csv-parse that reads campaign files): RFC 4180
 * quoting (a field with a comma, quote or line break quoted, quotes doubled), a record delimiter after
 * every row, including the last.
 */
import { stringify } from 'csv-stringify/sync';

export interface CsvOptions {
  /** '\r\n' for files spreadsheets open (RFC 4180), '\n' for files people edit. */
  readonly recordDelimiter: '\r\n' | '\n';
  /** Fields that must be quoted besides what RFC 4180 asks (e.g. edge spaces a reader would trim). */
  readonly alsoQuote?: readonly RegExp[];
}

/** Rows of text cells as CSV. Cells are written as given: neutralising formulas is the caller's choice. */
export function toCsv(rows: readonly (readonly string[])[], options: CsvOptions): string {
  return stringify(
    rows.map((row) => [...row]),
    {
      record_delimiter: options.recordDelimiter === '\r\n' ? 'windows' : 'unix',
      ...(options.alsoQuote && { quoted_match: [...options.alsoQuote] }),
    },
  );
}
