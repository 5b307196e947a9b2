/**
 * A campaign file in CSV, read (every problem on its line) and written (the inverse: any valid
 * file round-trips).
 *
 * CSV form (the spreadsheet an administrator keeps; see scenarios/README.md):
 *
 *   # campaign.id: cccd-2021-hung-yen
 *   # campaign.name: Thu nhận hồ sơ CCCD 2021 — Hưng Yên
 *   # campaign.timeZone: Asia/Ho_Chi_Minh            (optional)
 *   # campaign.startDate: 2021-03-01
 *   # campaign.kinds: new renewal                    (optional; spaces or commas)
 *   # campaign.groups: official                      (optional; spaces or commas)
 *   # campaign.workingHours: 07:00-22:00             (optional)
 *   # campaign.thresholds: atRisk=1.0 critical=0.8   (optional)
 *   id,parentId,name,level,target,deadline,target:official,deadline:official
 *   33,,Tỉnh Hưng Yên,province,1109100,2021-06-18,30000,2021-04-30
 *   323,33,Huyện Văn Lâm,district,90000,2021-06-18,,
 *
 * - `# campaign.<field>: <value>` lines come before the header row; other `#` lines and
 *   blank lines are comments.
 * - The header names the six unit columns (any order) and, per population group, an
 *   optional pair `target:<group>,deadline:<group>`; a row with both cells empty has no
 *   sub-target for that group.
 * - An empty parentId marks the root. Targets are plain integers (1109100, not 1.109.100).
 * - Problems carry the file line of the row (of the `# campaign.` line for campaign fields).
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { type CatalogProblem, checkCampaign, hasErrors, parsePath } from '../domain/catalog.js';
import type { CampaignFile } from '../schemas/campaign.js';
import { toCsv } from '../util/csv.js';
import { oneLine } from '../util/text.js';
import { byLine, type ParseResult } from './file-lines.js';

const UNIT_COLUMNS = ['id', 'parentId', 'name', 'level', 'target', 'deadline'] as const;
/** Optional: present only in files that merge units. */
const MERGED_COLUMN = 'mergedInto';
type UnitColumn = (typeof UNIT_COLUMNS)[number];

const CAMPAIGN_LINE = /^#\s*campaign\.([A-Za-z]*)\s*(?::\s*(.*))?$/;

type FieldReading = { value: unknown } | { problem: string };

/** How each `# campaign.<field>:` value becomes the JSON value of that field. */
const CAMPAIGN_FIELDS: Record<string, (text: string) => FieldReading> = {
  id: (text) => ({ value: text }),
  name: (text) => ({ value: text }),
  timeZone: (text) => ({ value: text }),
  startDate: (text) => ({ value: text }),
  kinds: (text) => ({ value: splitList(text) }),
  groups: (text) => ({ value: splitList(text) }),
  workingHours: (text) => {
    const m = /^(\S+)\s*-\s*(\S+)$/.exec(text);
    return m
      ? { value: { start: m[1], end: m[2] } }
      : { problem: 'must be written start-end, e.g. 07:00-22:00' };
  },
  thresholds: (text) => {
    const value: Record<string, number> = {};
    for (const token of splitList(text)) {
      const m = /^(atRisk|critical)=(.+)$/.exec(token);
      const n = m ? Number(m[2]) : Number.NaN;
      if (!m?.[1] || !Number.isFinite(n)) {
        return {
          problem: `must be written atRisk=<number> critical=<number>, e.g. atRisk=1.0 critical=0.8 (got "${token}")`,
        };
      }
      value[m[1]] = n;
    }
    return { value };
  },
  correctionWindowDays: (text) => {
    const n = Number(text);
    return text.trim() !== '' && Number.isFinite(n)
      ? { value: n }
      : { problem: 'must be a number of days, e.g. 30' };
  },
};

function splitList(text: string): string[] {
  return text.split(/[\s,]+/).filter((s) => s.length > 0);
}

type CsvRecord = { record: string[]; info: { lines: number } };

export function parseCsvCampaign(raw: string): ParseResult {
  // csv-parse miscounts lines for CRLF files whose first line it uses to detect the delimiter.
  const text = raw.replace(/\r\n?/g, '\n');
  const csvProblems: CatalogProblem[] = [];
  // Paths whose schema complaints would only repeat one of this reader's (a refused
  // value is left out of the object, and the schema would then say "is required").
  const covered = new Set<string>();
  const problem = (path: string, line: number | undefined, message: string) =>
    csvProblems.push({ severity: 'error', path, ...(line === undefined ? {} : { line }), message });

  let records: CsvRecord[];
  try {
    records = parseCsv(text, {
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      info: true,
      comment: '#',
      comment_no_infix: true,
      // csv-parse's types do not model `info: true`, which wraps each record as { record, info }.
    }) as unknown as CsvRecord[];
  } catch (error) {
    const line = (error as { lines?: unknown }).lines;
    problem('', typeof line === 'number' ? line : undefined, `invalid CSV: ${(error as Error).message}`);
    return { file: null, problems: csvProblems, unitCount: 0 };
  }
  // A row full of empty cells (",,,,,") is a blank row in a spreadsheet export.
  const rows = records
    .filter((r) => r.record.some((cell) => cell !== ''))
    .map((r) => ({
      cells: r.record,
      // info.lines is where the record ends; a quoted cell may span several lines.
      line: r.info.lines - r.record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0),
    }));
  const header = rows.shift();

  // The campaign object, from the `# campaign.<field>: <value>` lines.
  const campaign: Record<string, unknown> = {};
  const campaignLines = new Map<string, number>();
  text.split('\n').forEach((content, i) => {
    const line = i + 1;
    const m = CAMPAIGN_LINE.exec(content.trim());
    if (!m) return;
    const [, name = '', value] = m;
    const path = `campaign.${name}`;
    const read = CAMPAIGN_FIELDS[name];
    if (header && line > header.line) problem(path, line, 'campaign fields must come before the header row');
    else if (value === undefined) problem(path, line, `write it as "# campaign.${name}: <value>"`);
    else if (!read) {
      problem(
        path,
        line,
        `is not a campaign field (expected one of: ${Object.keys(CAMPAIGN_FIELDS).join(', ')})`,
      );
    } else if (campaignLines.has(name)) {
      problem(path, line, `is given twice (first on line ${campaignLines.get(name)})`);
    } else {
      campaignLines.set(name, line);
      const reading = read(value.trim());
      if ('problem' in reading) problem(path, line, reading.problem);
      else campaign[name] = reading.value;
    }
    if (!(name in campaign)) covered.add(path);
  });

  if (!header) {
    problem('', undefined, `no header row: expected "${UNIT_COLUMNS.join(',')}" after the # campaign lines`);
    return { file: null, problems: byLine(csvProblems), unitCount: 0 };
  }
  const columns = readHeader(header.cells, header.line, problem);
  if (!columns) return { file: null, problems: byLine(csvProblems), unitCount: rows.length };

  const units = rows.map((row, index) => {
    const at = `units[${index}]`;
    if (row.cells.length !== header.cells.length) {
      problem(at, row.line, `row has ${row.cells.length} cells, the header has ${header.cells.length}`);
      for (const column of UNIT_COLUMNS) {
        if (columns.unit[column] >= row.cells.length) covered.add(`${at}.${column}`);
      }
    }
    const cell = (column: number | undefined): string =>
      column === undefined ? '' : (row.cells[column] ?? '');
    const textCell = (column: UnitColumn): string | undefined => cell(columns.unit[column]) || undefined;
    const integer = (value: string, path: string): number | undefined => {
      const reading = readInteger(value);
      if (typeof reading === 'string') {
        problem(path, row.line, reading);
        covered.add(path);
      }
      return typeof reading === 'number' ? reading : undefined;
    };
    const subTargets: Record<string, unknown>[] = [];
    for (const { group, target, deadline } of columns.groups) {
      const targetCell = cell(target);
      const deadlineCell = cell(deadline);
      if (targetCell === '' && deadlineCell === '') continue;
      const path = `${at}.subTargets[${subTargets.length}]`;
      subTargets.push({
        group,
        target: integer(targetCell, `${path}.target`),
        deadline: deadlineCell || undefined,
      });
    }
    return {
      id: textCell('id'),
      parentId: cell(columns.unit.parentId) === '' ? null : cell(columns.unit.parentId),
      name: textCell('name'),
      level: textCell('level'),
      target: integer(cell(columns.unit.target), `${at}.target`),
      deadline: textCell('deadline'),
      subTargets,
      ...(columns.mergedInto !== undefined &&
        cell(columns.mergedInto) !== '' && { mergedInto: cell(columns.mergedInto) }),
    };
  });

  const checked = checkCampaign({ campaign, units });
  const isRepeat = (path: string) =>
    [...covered].some((c) => path === c || path.startsWith(`${c}.`) || path.startsWith(`${c}[`));
  const located = checked.problems
    .filter((p) => !isRepeat(p.path))
    .map((p) => locateCsvProblem(p, header.line, rows, campaignLines));
  const problems = byLine([...csvProblems, ...located]);
  return { file: hasErrors(problems) ? null : checked.file, problems, unitCount: units.length };
}

type CsvColumns = {
  unit: Record<UnitColumn, number>;
  /** The optional `mergedInto` column (a reorganisation). */
  mergedInto?: number;
  groups: { group: string; target: number; deadline: number }[];
};

function readHeader(
  cells: readonly string[],
  line: number,
  problem: (path: string, line: number, message: string) => void,
): CsvColumns | undefined {
  const index = new Map<string, number>();
  let fatal = false;
  cells.forEach((name, i) => {
    if (index.has(name)) {
      problem('header', line, `column "${name}" appears twice`);
      fatal = true;
    } else index.set(name, i);
  });
  const unit: Partial<Record<UnitColumn, number>> = {};
  for (const column of UNIT_COLUMNS) {
    const i = index.get(column);
    if (i === undefined) {
      problem('header', line, `missing column "${column}" (the header needs ${UNIT_COLUMNS.join(',')})`);
      fatal = true;
    } else unit[column] = i;
  }
  const groups: CsvColumns['groups'] = [];
  for (const [name, i] of index) {
    if ((UNIT_COLUMNS as readonly string[]).includes(name) || name === MERGED_COLUMN) continue;
    const m = /^(target|deadline):(.+)$/.exec(name);
    if (!m) {
      problem(
        'header',
        line,
        `unknown column "${name}" (expected ${UNIT_COLUMNS.join(', ')}, or target:<group> and deadline:<group>)`,
      );
      continue;
    }
    const [, kind, group = ''] = m;
    const partner = index.get(`${kind === 'target' ? 'deadline' : 'target'}:${group}`);
    if (partner === undefined) {
      problem(
        'header',
        line,
        `column "${name}" needs its partner "${kind === 'target' ? 'deadline' : 'target'}:${group}"`,
      );
      fatal = true;
    } else if (kind === 'target') groups.push({ group, target: i, deadline: partner });
  }
  if (fatal) return undefined;
  const merged = index.get(MERGED_COLUMN);
  return {
    unit: unit as Record<UnitColumn, number>,
    groups,
    ...(merged !== undefined && { mergedInto: merged }),
  };
}

/** A target cell: a number, undefined when empty (the schema says "is required"), or why it is refused. */
function readInteger(cell: string): number | undefined | string {
  if (cell === '') return undefined;
  if (/^-?\d+$/.test(cell)) return Number(cell);
  if (/^-?\d{1,3}([.,\s\u00A0]\d{3})+$/.test(cell)) {
    return `must be a plain whole number such as 1109100, without thousands separators (got "${cell}")`;
  }
  const n = Number(cell);
  return Number.isFinite(n) ? n : `must be a whole number (got "${cell}")`;
}

function locateCsvProblem(
  p: CatalogProblem,
  headerLine: number,
  rows: readonly { line: number }[],
  campaignLines: ReadonlyMap<string, number>,
): CatalogProblem {
  const [head, second] = parsePath(p.path);
  if (head === 'units') {
    const line = typeof second === 'number' ? rows[second]?.line : headerLine;
    return line === undefined ? p : { ...p, line };
  }
  if (head === 'campaign' && typeof second === 'string') {
    const line = campaignLines.get(second);
    if (line !== undefined) return { ...p, line };
    // A required campaign field that is missing: say how to write it.
    if (p.message === 'is required') {
      return { ...p, message: `is required: add a line "# campaign.${second}: …" before the header row` };
    }
  }
  return p;
}

/** A CampaignFile in the CSV form read above. */
export function campaignToCsv(file: CampaignFile): string {
  const { campaign, units } = file;
  const groups = [...campaign.groups];
  for (const u of units) for (const s of u.subTargets) if (!groups.includes(s.group)) groups.push(s.group);
  const usedGroups = groups.filter((g) => units.some((u) => u.subTargets.some((s) => s.group === g)));
  const anyMerged = units.some((u) => u.mergedInto !== undefined);
  const lines = [
    `# campaign.id: ${campaign.id}`,
    `# campaign.name: ${oneLine(campaign.name)}`,
    `# campaign.timeZone: ${campaign.timeZone}`,
    `# campaign.startDate: ${campaign.startDate}`,
    `# campaign.kinds: ${campaign.kinds.join(' ')}`,
    `# campaign.groups: ${campaign.groups.join(' ')}`,
    `# campaign.workingHours: ${campaign.workingHours.start}-${campaign.workingHours.end}`,
    `# campaign.thresholds: atRisk=${campaign.thresholds.atRisk} critical=${campaign.thresholds.critical}`,
  ];
  const rows = [
    [
      ...UNIT_COLUMNS,
      ...(anyMerged ? [MERGED_COLUMN] : []),
      ...usedGroups.flatMap((g) => [`target:${g}`, `deadline:${g}`]),
    ],
  ];
  for (const u of units) {
    const cells = [u.id, u.parentId ?? '', u.name, u.level, String(u.target), u.deadline];
    if (anyMerged) cells.push(u.mergedInto ?? '');
    for (const g of usedGroups) {
      const sub = u.subTargets.find((s) => s.group === g);
      cells.push(sub ? String(sub.target) : '', sub ? sub.deadline : '');
    }
    rows.push(cells.map(oneLine));
  }
  // Quoted besides what RFC 4180 asks: edge spaces (the reader trims) and a leading # (a comment line).
  const table = toCsv(rows, { recordDelimiter: '\n', alsoQuote: [/^\s|\s$/, /^#/] });
  return `${lines.join('\n')}\n${table}`;
}
