/** What every alert text reads from a Notification: options, ranking, counts, spells. */
import type { Language } from '../../vocabulary/alerts.js';
import { alertClassOf, LEVEL_SEVERITY, type Notification, type UnitChange } from '../alert-policy.js';

export const SMS_MAX_CHARS = 160;
export const SUBJECT_MAX_CHARS = 100;
/** How many children an e-mail details; the rest are counted. */
export const EMAIL_WORST_CHILDREN = 5;

export interface RenderOptions {
  readonly lang: Language;
  readonly campaignName: string;
  readonly timeZone: string;
  /** The evaluation time (for "as of" and the length of critical spells). */
  readonly asOf: Date;
  /** The registered SMS brand name, put before every SMS and counted inside its 160 characters. */
  readonly smsBrand?: string;
  /** The scope unit's dashboard page: always in the e-mail; in the SMS with `smsLinks` when the text still fits. */
  readonly link?: string;
  readonly smsLinks?: boolean;
  /** A line for the e-mail saying SMS were replaced by e-mail this month (the campaign's SMS cap). */
  readonly smsCapped?: boolean;
}

export interface RenderedNotification {
  readonly subject: string;
  readonly sms: string;
  readonly email: string;
}

const DAY_MS = 86_400_000;

/** Whole days a unit has been critical at `asOf`; null when it is not in a critical spell. */
export function spellDays(change: UnitChange, asOf: Date): number | null {
  if (change.criticalSince === null) return null;
  return Math.max(0, Math.floor((asOf.getTime() - Date.parse(change.criticalSince)) / DAY_MS));
}

export const isImprovement = (c: UnitChange) =>
  c.kind === 'alert' && c.from === 'critical' && alertClassOf(c.to) === 'at_risk';

/** Worst first: escalations, then by level, resolved last; then slowest pace, lowest percent, name. */
export function worstFirst(changes: readonly UnitChange[]): UnitChange[] {
  const weight = (c: UnitChange) =>
    c.kind === 'resolved' ? -1 : LEVEL_SEVERITY[c.to] * 2 + (c.kind === 'escalation' ? 1 : 0);
  const pace = (c: UnitChange) => c.evaluation.figures.paceRatio ?? Number.POSITIVE_INFINITY;
  return [...changes].sort(
    (a, b) =>
      weight(b) - weight(a) ||
      pace(a) - pace(b) ||
      a.evaluation.percent - b.evaluation.percent ||
      a.evaluation.name.localeCompare(b.evaluation.name),
  );
}

export interface Counts {
  readonly critical: number;
  readonly atRisk: number;
}
export const countsOf = (n: Notification): Counts => ({
  critical: (n.childLevelCounts.critical ?? 0) + (n.childLevelCounts.missed ?? 0),
  atRisk: n.childLevelCounts.at_risk ?? 0,
});

/** Counts are shown when children matter to this message (not on a bare resolved notice). */
export const showsCounts = (n: Notification) =>
  n.childCount > 0 &&
  (n.children.length > 0 || n.escalations.length > 0 || (n.own !== null && n.own.kind !== 'resolved'));

export const scopeName = (n: Notification) => n.own?.evaluation.name ?? n.scope?.name ?? n.scopeUnitId;
