/**
 * Weekly and final reports (issue: reports), without I/O.
 *
 * CONTRACT (shared by the report job, the reports store and API, and the renderers); the
 * implementation is being written.
 */
import type { RiskLevel } from './risk.js';

/** An ISO week in the campaign's time zone (`2021-W14`: Monday 5/4 to Sunday 11/4/2021), or the whole campaign. */
export type ReportPeriod =
  | { readonly kind: 'week'; readonly id: string; readonly from: string; readonly to: string }
  | { readonly kind: 'final'; readonly id: 'final'; readonly from: string; readonly to: string };

export interface ChildLine {
  readonly unitId: string;
  readonly name: string;
  readonly received: number;
  readonly total: number;
  readonly target: number;
  readonly percent: number;
  readonly level: RiskLevel;
}

export type ReportNote =
  | {
      readonly kind: 'no_intake';
      readonly unitId: string;
      readonly name: string;
      readonly days: number;
      readonly lastDay: string | null;
    }
  | { readonly kind: 'targets_above_parent'; readonly childrenSum: number; readonly target: number };

export interface UnitReport {
  /** `<unitId>:<period id>`, e.g. `33:2021-W14` or `33:final`: re-running a period replaces its report. */
  readonly reportId: string;
  readonly campaignId: string;
  readonly campaignName: string;
  readonly unit: {
    readonly id: string;
    readonly name: string;
    readonly level: string;
    readonly parentId: string | null;
  };
  readonly period: ReportPeriod;
  readonly generatedAt: string;
  readonly target: number;
  readonly deadline: string;
  /** Through the day before the period. */
  readonly atStart: { readonly total: number; readonly percent: number; readonly level: RiskLevel };
  /** Through the period's last day. */
  readonly atEnd: { readonly total: number; readonly percent: number; readonly level: RiskLevel };
  readonly received: number;
  /** received / the period's days that lie inside the campaign (from its start date). */
  readonly dailyAverage: number;
  /** At the end of the period (null once the deadline has passed). */
  readonly requiredDailyRate: number | null;
  readonly levelChanged: boolean;
  readonly subTargets: readonly {
    readonly group: string;
    readonly target: number;
    readonly deadline: string;
    readonly total: number;
    readonly percent: number;
    readonly level: RiskLevel;
  }[];
  /** Every child, in unit order. */
  readonly children: readonly ChildLine[];
  /** Up to five each, by percent at the end of the period (best: highest first; worst: lowest first). */
  readonly best: readonly string[];
  readonly worst: readonly string[];
  readonly notes: readonly ReportNote[];
}
