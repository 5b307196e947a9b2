/** Helpers for the tests of the campaign file readers (shared/catalog/: json-file.ts, csv-file.ts, parse.ts). */
import { readFile } from 'node:fs/promises';
import type { CatalogProblem } from '../../shared/domain/catalog.js';

/** A file of scenarios/, as text. */
export const scenario = (name: string) =>
  readFile(new URL(`../../scenarios/${name}`, import.meta.url), 'utf8');

/** "line: severity path: message", the parts a test cares about. */
export function located(problems: readonly CatalogProblem[]): string[] {
  return problems.map((p) => `${p.line ?? '-'}: ${p.severity} ${p.path}: ${p.message}`);
}

/** A CSV campaign file: the campaign lines, then the given header and rows. */
export function aCsvFile({
  campaign = [
    '# campaign.id: cccd-2021-hung-yen',
    '# campaign.name: Hưng Yên',
    '# campaign.startDate: 2021-03-01',
    '# campaign.groups: official',
  ],
  header = 'id,parentId,name,level,target,deadline',
  rows = ['33,,Tỉnh Hưng Yên,province,1109100,2021-06-18', '323,33,Huyện Văn Lâm,district,90000,2021-06-18'],
}: {
  campaign?: string[];
  header?: string;
  rows?: string[];
} = {}): string {
  return `${[...campaign, header, ...rows].join('\n')}\n`;
}
