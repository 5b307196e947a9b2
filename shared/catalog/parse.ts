/**
 * Campaign files as text (JSON or CSV) → a checked CampaignFile, with every problem pointing at its
 * line, so that `npm run campaign -- validate` reads like a compiler. Pure: text in, result out; the
 * CLI and the local runtime do the reading. The JSON reader is json-file.ts; the CSV form (the
 * spreadsheet an administrator keeps; see scenarios/README.md), its reader and writer, csv-file.ts.
 */
import type { CatalogProblem } from '../domain/catalog.js';
import { parseCsvCampaign } from './csv-file.js';
import type { ParseResult } from './file-lines.js';
import { parseJsonCampaign } from './json-file.js';

export { campaignToCsv } from './csv-file.js';
export type { ParseResult } from './file-lines.js';

export type CampaignFormat = 'json' | 'csv';

/** `.json` or `.csv` (any case); throws for anything else, naming the file. */
export function formatFromFileName(name: string): CampaignFormat {
  const lower = name.toLowerCase();
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.csv')) return 'csv';
  throw new Error(`cannot tell the format of "${name}": the file name must end in .json or .csv`);
}

export function parseCampaignText(text: string, format: CampaignFormat): ParseResult {
  const clean = text.replace(/^\uFEFF/, ''); // spreadsheet exports often start with a byte-order mark
  return format === 'json' ? parseJsonCampaign(clean) : parseCsvCampaign(clean);
}

/** `units.csv:14: error: units[12].parentId: unknown parent "999"` (no `:14` without a line). */
export function formatProblem(fileName: string, p: CatalogProblem): string {
  const where = p.line === undefined ? fileName : `${fileName}:${p.line}`;
  return `${where}: ${p.severity}: ${p.path ? `${p.path}: ` : ''}${p.message}`;
}
