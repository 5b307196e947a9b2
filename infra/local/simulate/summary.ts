/**
 * What a simulation found, as data, and the text printed at the end (pure, no I/O).
 *
 * {@link formatSummary} is deterministic: the same seed on a fresh store gives the same text (no
 * clock time, no temporary path, no random ids; everything sorted), so two runs can be compared
 * with `diff`. Wall-clock figures are only in {@link formatTiming}'s separate line.
 */
import { SEVERITY_ORDER } from '../../../shared/domain/risk.js';
import type { RiskLevel } from '../../../shared/schemas/progress.js';
import type { Mismatch } from './ledger.js';

export interface IntakeTally {
  /** Distinct events planned and the applications they carry. */
  readonly events: number;
  readonly applications: number;
  /** HTTP posts made by the simulator (each may be several requests of 100 inside the client). */
  readonly posts: number;
  /** Posts re-sent whole (a lost response). */
  readonly postsResent: number;
  /** Event sends in all, and the repeats among them by cause. */
  readonly sends: number;
  readonly repeats: { readonly resentWhole: number; readonly nextPost: number; readonly inBatch: number };
  /** The API's results, one per send (after the client's own retries). */
  readonly statuses: Readonly<Record<'accepted' | 'duplicate' | 'conflict' | 'rejected' | 'failed', number>>;
  /** Planned events the API never said it stored. */
  readonly notStored: number;
}

export interface TotalsCheck {
  readonly units: number;
  /** Units with no mismatch in any view. */
  readonly exact: number;
  /** What was read, e.g. `live running totals`. */
  readonly views: readonly string[];
  readonly mismatches: readonly Mismatch[];
}

export interface LevelTally {
  /** When the levels are evaluated (the last risk run's asOf). */
  readonly asOf: string;
  /** Per risk level, over every unit (the risk job's own count). */
  readonly counts: Partial<Record<RiskLevel, number>>;
  /** Per hierarchy level (province, district, …), root first. */
  readonly byLevel: readonly {
    readonly level: string;
    readonly counts: Partial<Record<RiskLevel, number>>;
  }[];
  readonly root: RiskLevel | null;
}

export interface DeliveryTally {
  readonly unitId: string;
  readonly name: string;
  readonly lang: string;
  readonly alerts: { readonly sms: number; readonly email: number };
  /** Alert messages (sms and e-mail) by severity: critical, at_risk, resolved. */
  readonly severities: Readonly<Record<string, number>>;
  /** Weekly report summaries (e-mail). */
  readonly reports: number;
  /** Alert messages (SMS and e-mail) in each simulated week (days 1–7, 8–14, …). */
  readonly perWeek: readonly number[];
}

export interface SimulationResult {
  readonly campaign: {
    readonly id: string;
    readonly name: string;
    readonly units: number;
    readonly root: { readonly id: string; readonly name: string; readonly target: number };
  };
  readonly run: {
    readonly from: string;
    readonly to: string;
    readonly days: number;
    readonly pace: string;
    readonly seed: number;
    readonly store: 'fresh' | 'attached';
  };
  readonly intake: IntakeTally;
  readonly check: TotalsCheck;
  /** The root's total as the API shows it, and its percent of the target. */
  readonly root: { readonly total: number; readonly percent: number | null };
  readonly levels: LevelTally | null;
  readonly jobs: {
    readonly riskRuns: number;
    readonly reportWeeks: readonly string[];
    readonly reportsStored: number;
    readonly summariesSent: number;
  };
  readonly deliveries: readonly DeliveryTally[];
  /** SMS the campaign sent in the run: alerts, and all (notices included). */
  readonly sms?: { readonly alerts: number; readonly all: number };
  /** Alert messages of severity critical delivered to the root's leaders. */
  readonly criticalToRoot: number;
  /** Anything else that went wrong (a job that failed, …). */
  readonly problems: readonly string[];
}

/** Whether the run passed: every planned event stored once, every total exact, nothing else wrong. */
export function passed(result: SimulationResult): boolean {
  return (
    result.intake.notStored === 0 &&
    result.intake.statuses.rejected === 0 &&
    result.intake.statuses.conflict === 0 &&
    result.check.mismatches.length === 0 &&
    result.problems.length === 0
  );
}

/** One line of alerts.jsonl, as far as the tally needs it. */
export interface DeliveryLine {
  readonly recipient: { readonly name: string };
  readonly protocol: string;
  readonly attributes: {
    readonly scope: string;
    readonly severity: string;
    readonly kind: string;
    readonly lang: string;
  };
  /** The simulated day (0-based) whose jobs sent it, when known. */
  readonly dayIndex?: number;
}

/**
 * Deliveries per leader (recipient name and unit), in `unitOrder` (the hierarchy's, root first),
 * then by name. `leaders` lists the leaders to show even when they received nothing.
 */
export function tallyDeliveries(
  lines: readonly DeliveryLine[],
  unitOrder: readonly string[],
  leaders: readonly { unitId: string; name: string; lang: string }[] = [],
  days = 0,
): DeliveryTally[] {
  const weeks = Math.max(1, Math.ceil(days / 7));
  type Mutable = {
    unitId: string;
    name: string;
    lang: string;
    alerts: { sms: number; email: number };
    severities: Record<string, number>;
    reports: number;
    perWeek: number[];
  };
  const tallies = new Map<string, Mutable>();
  const tallyOf = (unitId: string, name: string, lang: string) => {
    const key = `${unitId}\u0000${name}`;
    let t = tallies.get(key);
    if (!t) {
      t = {
        unitId,
        name,
        lang,
        alerts: { sms: 0, email: 0 },
        severities: {},
        reports: 0,
        perWeek: Array.from({ length: weeks }, () => 0),
      };
      tallies.set(key, t);
    }
    return t;
  };
  for (const l of leaders) tallyOf(l.unitId, l.name, l.lang);
  for (const line of lines) {
    const t = tallyOf(line.attributes.scope, line.recipient.name, line.attributes.lang);
    if (line.attributes.kind === 'report') {
      t.reports++;
      continue;
    }
    if (line.protocol === 'sms') t.alerts.sms++;
    else t.alerts.email++;
    if (line.dayIndex !== undefined) {
      const week = Math.min(weeks - 1, Math.floor(line.dayIndex / 7));
      t.perWeek[week] = (t.perWeek[week] ?? 0) + 1;
    }
    t.severities[line.attributes.severity] = (t.severities[line.attributes.severity] ?? 0) + 1;
  }
  const rank = (id: string) => {
    const i = unitOrder.indexOf(id);
    return i < 0 ? unitOrder.length : i;
  };
  return [...tallies.values()].sort(
    (a, b) =>
      rank(a.unitId) - rank(b.unitId) ||
      a.unitId.localeCompare(b.unitId) ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
}

const n = (value: number) => value.toLocaleString('en-US');
const pct = (value: number | null) => (value === null ? '–' : `${value.toFixed(2)} %`);

/** `critical 40, at_risk 5, on_track 9`: worst first, levels with no unit left out. */
export function formatLevels(counts: Partial<Record<RiskLevel, number>>): string {
  const parts = [...SEVERITY_ORDER]
    .reverse()
    .filter((level) => (counts[level] ?? 0) > 0)
    .map((level) => `${level} ${n(counts[level] ?? 0)}`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}

const MAX_MISMATCH_LINES = 60;

/** The mismatches, one line each, root first (at most 60, then a count of the rest). */
export function formatMismatches(
  mismatches: readonly Mismatch[],
  names: ReadonlyMap<string, string>,
): string[] {
  const lines = mismatches.slice(0, MAX_MISMATCH_LINES).map((m) => {
    const name = names.get(m.unitId);
    const who = name === undefined ? m.unitId : `${m.unitId} ${name}`;
    if (m.actual === null) return `  ${who} [${m.view}]: missing from the API (expected ${n(m.expected)})`;
    const diff = m.actual - m.expected;
    return `  ${who} [${m.view}] ${m.field}: expected ${n(m.expected)}, API ${n(m.actual)} (${diff > 0 ? '+' : ''}${n(diff)})`;
  });
  if (mismatches.length > MAX_MISMATCH_LINES)
    lines.push(`  … and ${n(mismatches.length - MAX_MISMATCH_LINES)} more`);
  return lines;
}

const pad = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - [...text].length));

/** The summary: deterministic for the same seed on a fresh store. */
export function formatSummary(
  result: SimulationResult,
  names: ReadonlyMap<string, string> = new Map(),
): string {
  const { campaign, run, intake, check } = result;
  const lines: string[] = [];
  lines.push(`simulation of ${campaign.id} (${campaign.name}), ${n(campaign.units)} units`);
  lines.push(
    `  ${run.from} … ${run.to} (${n(run.days)} days), pace ${run.pace}, seed ${run.seed}, ${run.store === 'fresh' ? 'fresh store' : 'attached to the running system'}`,
  );

  lines.push('intake');
  lines.push(`  events planned       ${n(intake.events)} (${n(intake.applications)} applications)`);
  lines.push(
    `  posts                ${n(intake.posts)}, of which ${n(intake.postsResent)} re-sent whole; ${n(intake.sends)} event sends`,
  );
  lines.push(`  accepted             ${n(intake.statuses.accepted)}`);
  const repeats = intake.repeats.resentWhole + intake.repeats.nextPost + intake.repeats.inBatch;
  lines.push(
    `  duplicates absorbed  ${n(intake.statuses.duplicate)} (repeated sends ${n(repeats)}: ${n(intake.repeats.resentWhole)} in re-sent posts, ${n(intake.repeats.nextPost)} in the next post, ${n(intake.repeats.inBatch)} twice in one post)`,
  );
  const other = (['rejected', 'conflict', 'failed'] as const)
    .filter((s) => intake.statuses[s] > 0)
    .map((s) => `${s} ${n(intake.statuses[s])}`);
  if (other.length > 0) lines.push(`  other results        ${other.join(', ')}`);
  lines.push(`  not stored           ${n(intake.notStored)}`);

  const exact = check.mismatches.length === 0;
  lines.push(
    `totals ${exact ? 'EXACT' : 'WRONG'} at ${n(check.exact)} of ${n(check.units)} units (${check.views.join('; ')})`,
  );
  if (!exact) lines.push(...formatMismatches(check.mismatches, names));
  lines.push(
    `  ${campaign.root.id} ${campaign.root.name}: ${n(result.root.total)} of ${n(campaign.root.target)} (${pct(result.root.percent)})`,
  );

  if (result.levels) {
    const { levels } = result;
    lines.push(`risk levels as of ${levels.asOf}`);
    lines.push(`  ${pad('all units', 12)} ${formatLevels(levels.counts)}`);
    for (const { level, counts } of levels.byLevel) lines.push(`  ${pad(level, 12)} ${formatLevels(counts)}`);
    lines.push(`  ${campaign.root.id} ${campaign.root.name} is ${levels.root ?? 'unknown'}`);
  }

  const { jobs } = result;
  lines.push(
    `jobs: risk ${n(jobs.riskRuns)} runs; report ${jobs.reportWeeks.length === 0 ? 'no week' : jobs.reportWeeks.join(', ')}: ${n(jobs.reportsStored)} reports stored, ${n(jobs.summariesSent)} summaries sent`,
  );

  lines.push(
    'delivered per leader (alerts: sms/email by severity, then per simulated week; reports: e-mails)',
  );
  if (result.deliveries.length === 0) lines.push('  none');
  const width = Math.max(0, ...result.deliveries.map((d) => [...`${d.unitId} ${d.name} (${d.lang})`].length));
  for (const d of result.deliveries) {
    const severities = Object.keys(d.severities)
      .sort()
      .map((s) => `${s} ${n(d.severities[s] ?? 0)}`)
      .join(', ');
    lines.push(
      `  ${pad(`${d.unitId} ${d.name} (${d.lang})`, width)}  alerts sms ${n(d.alerts.sms)}, email ${n(d.alerts.email)}${severities ? ` (${severities})` : ''}; per week ${d.perWeek.map(n).join('/')}; reports ${n(d.reports)}`,
    );
  }
  if (result.sms) {
    lines.push(`SMS sent by the campaign: ${n(result.sms.all)} (alerts ${n(result.sms.alerts)})`);
  }
  lines.push(
    `critical alerts to the leaders of ${campaign.root.id} ${campaign.root.name}: ${n(result.criticalToRoot)}`,
  );
  for (const p of result.problems) lines.push(`problem: ${p}`);
  lines.push(`result: ${passed(result) ? 'PASS' : 'FAIL'}`);
  return lines.join('\n');
}

export interface Timing {
  readonly wallMs: number;
  /** Milliseconds per phase, in the order to print. */
  readonly phases: readonly { readonly name: string; readonly ms: number }[];
  readonly events: number;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The one line that differs between runs: wall-clock time and where it went. */
export function formatTiming(t: Timing): string {
  const phases = t.phases.map((p) => `${p.name} ${seconds(p.ms)}`).join(', ');
  const rate = t.wallMs > 0 ? Math.round((t.events * 1000) / t.wallMs) : 0;
  return `time: ${seconds(t.wallMs)} wall (${phases}); ${n(rate)} events/s overall`;
}
