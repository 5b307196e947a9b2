/**
 * Report texts (issue: reports), without I/O: a UnitReport becomes the summary leaders receive (an
 * e-mail subject, an SMS and an e-mail body) and a CSV of its children, in Vietnamese or English.
 *
 * - The same conventions as alert texts (alert-messages.ts): SMS at most 160 GSM-7 basic characters,
 *   Vietnamese written without diacritics, the bare facts first and extras added by importance while
 *   they fit (SMS_EXTRAS); subject printable ASCII, at most 100 characters; e-mail with diacritics;
 *   numbers the vi-VN way in both languages (1.109.100; 29,93%), dates d/m/yyyy (5/4/2021). Rates
 *   are shown as whole applications.
 * - CSV: UTF-8 with a BOM (Excel reads the file as UTF-8 only with it; without, Vietnamese names turn
 *   into mojibake), a header row in the chosen language, one row per child in unit order, RFC 4180
 *   (comma-separated, fields with a comma, quote or line break quoted, quotes doubled, CRLF after
 *   every row). Numbers are plain digits without grouping, and the percent uses a DOT with 2 decimals
 *   (29.93): a CSV's fields are separated by commas, so a comma decimal would need quoting in every
 *   row and would be read as text by every tool that is not set to a comma-decimal locale (csv-parse,
 *   pandas, databases, Google Sheets in most locales); a dot is what machine readers and import
 *   dialogs take, and the e-mail already shows the vi-VN form to people. Text cells that begin with
 *   `= + - @` (or a tab or CR) get a leading `'` so that a spreadsheet never runs a unit name as a formula.
 */

import { toCsv } from '../util/csv.js';
import { oneLine, withPlainText } from '../util/text.js';
import type { Language } from '../vocabulary/alerts.js';
import {
  formatDateVi,
  formatNumberVi,
  formatPercentVi,
  LEVEL_WORDS,
  type RenderedNotification,
  SMS_MAX_CHARS,
  SUBJECT_MAX_CHARS,
  shortenName,
  toAsciiLine,
  toGsm7,
} from './alert-messages.js';
import { cut } from './alert-text/gsm7.js';
import { addDays } from './calendar.js';
import { BEST_WORST_SIZE, NO_INTAKE_NOTE_DAYS, type ReportNote, type UnitReport } from './report.js';
import { REPORT_PHRASES } from './report-phrases.js';
import type { RiskLevel } from './risk.js';

/** Subject, SMS and e-mail of a report: the same three texts as an alert's. */
export type RenderedReport = RenderedNotification;

// ---------------------------------------------------------------------------------------------
// Words
// ---------------------------------------------------------------------------------------------

/** Population groups with a customary name; any other group code is shown as it is. */
const groupName = (group: string, lang: Language) => {
  const names = REPORT_PHRASES[lang].groups;
  return (Object.hasOwn(names, group) ? names[group] : undefined) ?? group;
};

/** The ISO week's number: `2021-W13` → 13. */
const weekNumber = (id: string) => Number(id.slice(id.indexOf('W') + 1));

/** `29/3-4/4/2021`, or both years when they differ (`28/12/2020-3/1/2021`). */
function shortRange(from: string, to: string): string {
  const a = formatDateVi(from);
  const b = formatDateVi(to);
  if (from.slice(0, 4) !== to.slice(0, 4)) return `${a}-${b}`;
  return `${a.slice(0, a.lastIndexOf('/'))}-${b}`;
}

/** "Báo cáo tuần 13/2021" / "Week 13/2021 report"; the final report's title otherwise. */
function title(report: UnitReport, lang: Language): string {
  const p = report.period;
  if (p.kind === 'final') return REPORT_PHRASES[lang].finalTitle;
  return REPORT_PHRASES[lang].weekTitle(`${weekNumber(p.id)}/${p.id.slice(0, 4)}`);
}

const rate = (n: number) => formatNumberVi(Math.round(n));
const remainingOf = (r: UnitReport) => Math.max(0, r.target - r.atEnd.total);

function namesOf(report: UnitReport, ids: readonly string[]): { name: string; percent: number }[] {
  const byId = new Map(report.children.map((c) => [c.unitId, c]));
  return ids.flatMap((id) => {
    const line = byId.get(id);
    return line ? [{ name: line.name, percent: line.percent }] : [];
  });
}

const noIntakeNotes = (report: UnitReport) =>
  report.notes.filter((n): n is ReportNote & { kind: 'no_intake' } => n.kind === 'no_intake');

// ---------------------------------------------------------------------------------------------
// Subject
// ---------------------------------------------------------------------------------------------

function renderSubject(report: UnitReport, lang: Language): string {
  const head = toAsciiLine(title(report, lang));
  const range = shortRange(report.period.from, report.period.to);
  const name = toAsciiLine(report.unit.name);
  const summary = toAsciiLine(
    `${formatPercentVi(report.atEnd.percent)}, ${LEVEL_WORDS[lang][report.atEnd.level]}`,
  );
  const candidates = [
    `${head} (${range}) - ${name}: ${summary}`,
    `${head} - ${name}: ${summary}`,
    `${head} - ${shortenName(name, 40)}: ${summary}`,
    `${head} - ${shortenName(name, 20)}: ${summary}`,
  ];
  for (const subject of candidates) if (subject.length <= SUBJECT_MAX_CHARS) return subject;
  return cut(candidates[candidates.length - 1] ?? '', SUBJECT_MAX_CHARS);
}

// ---------------------------------------------------------------------------------------------
// SMS
// ---------------------------------------------------------------------------------------------

interface SmsFit {
  readonly nameMax: number;
  readonly range: boolean;
  readonly figures: boolean;
  readonly received: boolean;
  readonly rates: boolean;
  readonly change: boolean;
  readonly worst: number;
  readonly best: number;
  readonly notes: boolean;
}

/** What every SMS says: the title, the unit, its percent and its level. */
const BARE_SMS: SmsFit = {
  nameMax: 40,
  range: false,
  figures: false,
  received: false,
  rates: false,
  change: false,
  worst: 0,
  best: 0,
  notes: false,
};

/** What is added while it fits, most wanted first. */
const SMS_EXTRAS: readonly Partial<SmsFit>[] = [
  { received: true },
  { change: true },
  { rates: true },
  { worst: 1 },
  { notes: true },
  { worst: 2 },
  { figures: true },
  { range: true },
  { worst: 3 },
  { best: 1 },
];

/** A child's name in a list of the SMS. */
const SMS_CHILD_NAME_MAX = 16;

function composeSms(report: UnitReport, lang: Language, fit: SmsFit): string {
  const { sms } = REPORT_PHRASES[lang];
  const words = LEVEL_WORDS[lang];
  const name = (text: string, max: number) => shortenName(toGsm7(text), max);
  const head = `${title(report, lang)}${fit.range ? ` (${shortRange(report.period.from, report.period.to)})` : ''}:`;

  let figures = `${name(report.unit.name, fit.nameMax)} ${formatPercentVi(report.atEnd.percent)}`;
  if (fit.figures) figures += ` (${formatNumberVi(report.atEnd.total)}/${formatNumberVi(report.target)})`;
  const parts = [figures];
  if (fit.received) {
    const label = report.period.kind === 'week' ? sms.week : sms.period;
    parts.push(`${label} +${formatNumberVi(report.received)}`);
  }
  if (fit.rates && report.requiredDailyRate !== null && report.requiredDailyRate > 0) {
    parts.push(sms.rate(rate(report.requiredDailyRate)));
  }
  const segments = [head, `${parts.join(', ')}.`];

  let level = words[report.atEnd.level].toUpperCase();
  if (fit.change && report.levelChanged) level += ` (${sms.was(words[report.atStart.level])})`;
  segments.push(`${level}.`);

  const list = (label: string, ids: readonly string[], count: number) => {
    const shown = namesOf(report, ids.slice(0, count)).map(
      (c) => `${name(c.name, Math.min(fit.nameMax, SMS_CHILD_NAME_MAX))} ${formatPercentVi(c.percent)}`,
    );
    if (shown.length > 0) segments.push(`${label}: ${shown.join('; ')}.`);
  };
  list(sms.lowest, report.worst, fit.worst);
  list(sms.highest, report.best, fit.best);

  const silent = noIntakeNotes(report).length;
  if (fit.notes && silent > 0) {
    segments.push(sms.silent(silent, NO_INTAKE_NOTE_DAYS));
  }
  return toGsm7(segments.join(' '));
}

/**
 * The SMS: the bare facts with the unit's name shortened until they fit, then each extra in order of
 * importance while it still fits (so a long name costs the list, not the level); cut only if even
 * the bare facts with a 10-character name do not fit.
 */
function renderSms(report: UnitReport, lang: Language): string {
  let fit: SmsFit | null = null;
  let last = '';
  for (const nameMax of [40, 24, 16, 10]) {
    last = composeSms(report, lang, { ...BARE_SMS, nameMax });
    if (last.length <= SMS_MAX_CHARS) {
      fit = { ...BARE_SMS, nameMax };
      break;
    }
  }
  if (fit === null) return cut(last, SMS_MAX_CHARS);
  let sms = last;
  for (const extra of SMS_EXTRAS) {
    const candidate: SmsFit = { ...fit, ...extra };
    const text = composeSms(report, lang, candidate);
    if (text.length <= SMS_MAX_CHARS) {
      fit = candidate;
      sms = text;
    }
  }
  return sms;
}

// ---------------------------------------------------------------------------------------------
// E-mail
// ---------------------------------------------------------------------------------------------

function noteLine(note: ReportNote, report: UnitReport, lang: Language): string {
  const { email } = REPORT_PHRASES[lang];
  if (note.kind === 'targets_above_parent') {
    const sum = formatNumberVi(note.childrenSum);
    return email.targetsAboveParent(sum, report.unit.name, formatNumberVi(note.target));
  }
  const last = note.lastDay === null ? null : formatDateVi(note.lastDay);
  return email.noIntake(note.name, formatNumberVi(note.days), last);
}

function renderEmail(report: UnitReport, lang: Language): string {
  const { email } = REPORT_PHRASES[lang];
  const words = LEVEL_WORDS[lang];
  const { period } = report;
  const from = formatDateVi(period.from);
  const to = formatDateVi(period.to);
  const pct = (n: number) => formatPercentVi(n);
  const num = formatNumberVi;
  const level = (l: RiskLevel) => `"${words[l]}"`;

  const lines: string[] = [
    email.campaign(report.campaignName),
    `${title(report, lang)} (${from} – ${to}): ${report.unit.name}`,
    email.through(to),
    '',
    email.result(
      num(report.atEnd.total),
      num(report.target),
      pct(report.atEnd.percent),
      formatDateVi(report.deadline),
    ),
  ];

  const average = rate(report.dailyAverage);
  lines.push(
    email.received(num(report.received), average),
    email.atStart(num(report.atStart.total), pct(report.atStart.percent), level(report.atStart.level)),
  );
  const corrections = report.corrections;
  if (corrections && corrections.count > 0) {
    const net = `${corrections.net > 0 ? '+' : corrections.net < 0 ? '−' : '±'}${num(Math.abs(corrections.net))}`;
    lines.push(email.corrections(num(corrections.count), net));
  }
  const change = report.levelChanged ? email.changedFrom(level(report.atStart.level)) : email.unchanged;
  lines.push(
    email.atEnd(num(report.atEnd.total), pct(report.atEnd.percent), level(report.atEnd.level), change),
  );
  const remaining = remainingOf(report);
  if (remaining > 0) {
    const next = formatDateVi(addDays(period.to, 1));
    lines.push(
      report.requiredDailyRate === null
        ? email.deadlinePassed(num(remaining))
        : email.remaining(num(remaining), next, rate(report.requiredDailyRate)),
    );
  }

  if (report.subTargets.length > 0) {
    lines.push(email.groupTargets);
    for (const s of report.subTargets) {
      lines.push(
        email.groupTarget(
          groupName(s.group, lang),
          num(s.total),
          num(s.target),
          pct(s.percent),
          formatDateVi(s.deadline),
          level(s.level),
        ),
      );
    }
  }

  if (report.children.length > 0) {
    const byId = new Map(report.children.map((c) => [c.unitId, c]));
    const ranked = (ids: readonly string[]) =>
      ids
        .flatMap((id) => byId.get(id) ?? [])
        .map((c, i) => `${i + 1}. ${c.name} ${pct(c.percent)} (${words[c.level]})`)
        .join('; ');
    const count = num(report.children.length);
    lines.push('', email.subUnits(count));
    // With 5 children or fewer, best and worst hold them all: one ranking says it once.
    if (report.children.length <= BEST_WORST_SIZE) {
      lines.push(email.ranking(ranked(report.best)));
    } else {
      lines.push(email.highest(ranked(report.best)), email.lowest(ranked(report.worst)));
    }
  }

  if (report.notes.length > 0) {
    lines.push('', email.notes, ...report.notes.map((n) => noteLine(n, report, lang)));
  }

  lines.push('', email.footer);
  return lines.join('\n');
}

/** The summary leaders receive: subject, SMS and e-mail, in one language. */
export function renderReportEmail(unitReport: UnitReport, lang: Language): RenderedReport {
  // Names on one line: a line break in a unit name must not become a line of the e-mail.
  const report = withPlainText(unitReport);
  return {
    subject: renderSubject(report, lang),
    sms: renderSms(report, lang),
    email: renderEmail(report, lang),
  };
}

// ---------------------------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------------------------

export const CSV_BOM = '\uFEFF';

const CSV_HEADERS: Readonly<Record<Language, readonly string[]>> = {
  vi: ['Mã đơn vị', 'Tên đơn vị', 'Thu nhận trong kỳ', 'Lũy kế', 'Chỉ tiêu', 'Tỷ lệ (%)', 'Mức độ'],
  en: ['Unit ID', 'Name', 'Received in period', 'Total', 'Target', 'Percent', 'Level'],
};

/** A text cell, on one line, neutralised when a spreadsheet would read it as a formula. */
function textCell(raw: string): string {
  const text = oneLine(raw);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** The report's children as CSV: BOM, header row, one row per child, CRLF (RFC 4180 quoting: shared/util/csv.ts). */
export function reportToCsv(report: UnitReport, lang: Language): string {
  const rows = [
    CSV_HEADERS[lang].map(textCell),
    ...report.children.map((c) => [
      textCell(c.unitId),
      textCell(c.name),
      String(c.received),
      String(c.total),
      String(c.target),
      c.percent.toFixed(2),
      textCell(LEVEL_WORDS[lang][c.level]),
    ]),
  ];
  return `${CSV_BOM}${toCsv(rows, { recordDelimiter: '\r\n' })}`;
}
