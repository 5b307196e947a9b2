/**
 * What importing a campaign file would change, computed without I/O, so that a re-import of the
 * same file writes nothing and an edited file writes only what changed and says so.
 */
import type { Campaign, CampaignFile, Unit } from '../schemas/campaign.js';
import { once } from '../util/lazy.js';
import { buildHierarchy, type StoredUnit } from './hierarchy.js';
import type { Transfer } from './reorganise.js';

export interface FieldChange {
  readonly field: string;
  readonly from: unknown;
  readonly to: unknown;
}
export interface UnitChange {
  readonly unit: StoredUnit;
  readonly changes: readonly FieldChange[];
}
export interface ImportPlan {
  readonly campaign: Campaign;
  readonly campaignStatus: 'created' | 'updated' | 'unchanged';
  readonly campaignChanges: readonly FieldChange[];
  readonly created: readonly StoredUnit[];
  readonly updated: readonly UnitChange[];
  /** Stored units the file no longer lists. */
  readonly removed: readonly StoredUnit[];
  readonly unchangedCount: number;
  /** Set when the import moves or merges units (a reorganisation; shared/domain/reorganise.ts). */
  readonly reorganisation?: {
    readonly epoch: number;
    /** Units moved (`parentId`) or merged (`mergedInto`) by this import. */
    readonly moved: readonly string[];
    readonly transfers: readonly Transfer[];
    /** Each affected unit's running total before the re-roll and after it. */
    readonly totals: readonly { unitId: string; before: number; after: number }[];
  };
}

/** The units of a validated file with their ancestors and depth. */
export function placeUnits(units: readonly Unit[]): StoredUnit[] {
  const hierarchy = buildHierarchy([...units]);
  return units.map((u) => ({ ...u, path: hierarchy.ancestorsOf(u.id), depth: hierarchy.depthOf(u.id) }));
}

const UNIT_FIELDS = [
  'name',
  'level',
  'parentId',
  'mergedInto',
  'target',
  'deadline',
  'subTargets',
  'path',
] as const;
const CAMPAIGN_FIELDS = [
  'name',
  'timeZone',
  'startDate',
  'kinds',
  'groups',
  'workingHours',
  'thresholds',
  'alerts',
  'correctionWindowDays',
] as const satisfies readonly (keyof Campaign)[];

/** Key order never matters (DynamoDB returns maps in its own order); sub-target order neither. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  }
  return value ?? null;
}

function canonical(field: string, value: unknown): string {
  if (field === 'subTargets' && Array.isArray(value)) {
    const sorted = [...value].sort((a, b) => String(a.group).localeCompare(String(b.group)));
    return JSON.stringify(sortKeys(sorted));
  }
  return JSON.stringify(sortKeys(value));
}

function diff<T extends object>(before: T, after: T, fields: readonly string[]): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of fields) {
    const from = (before as Record<string, unknown>)[field];
    const to = (after as Record<string, unknown>)[field];
    if (canonical(field, from) !== canonical(field, to)) changes.push({ field, from, to });
  }
  return changes;
}

export function planImport(
  existing: { campaign: Campaign | null; units: readonly StoredUnit[] },
  file: CampaignFile,
): ImportPlan {
  const stored = new Map(existing.units.map((u) => [u.id, u]));
  const created: StoredUnit[] = [];
  const updated: UnitChange[] = [];
  let unchangedCount = 0;
  const inFile = new Set<string>();
  for (const unit of placeUnits(file.units)) {
    inFile.add(unit.id);
    const before = stored.get(unit.id);
    if (!before) {
      created.push(unit);
      continue;
    }
    const changes = diff(before, unit, UNIT_FIELDS);
    if (changes.length > 0) updated.push({ unit, changes });
    else unchangedCount++;
  }
  const removed = existing.units.filter((u) => !inFile.has(u.id));
  const campaignChanges = existing.campaign ? diff(existing.campaign, file.campaign, CAMPAIGN_FIELDS) : [];
  return {
    campaign: file.campaign,
    campaignStatus: !existing.campaign ? 'created' : campaignChanges.length > 0 ? 'updated' : 'unchanged',
    campaignChanges,
    created,
    updated,
    removed,
    unchangedCount,
  };
}

export function isNoop(plan: ImportPlan): boolean {
  return (
    plan.campaignStatus === 'unchanged' &&
    plan.created.length === 0 &&
    plan.updated.length === 0 &&
    plan.removed.length === 0
  );
}

// Built at first use: constructing an Intl formatter loads the locale's data (bench: the coldstart rows).
const number = once(() => new Intl.NumberFormat('vi-VN'));
function show(value: unknown): string {
  if (typeof value === 'number') return number().format(value);
  if (value === null || value === undefined) return '(none)';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** How many units an import creates, updates, removes and leaves as they are. */
export interface PlanCounts {
  readonly created: number;
  readonly updated: number;
  readonly removed: number;
  readonly unchanged: number;
}

/** The plan's counts (the import's answer). */
export function planCounts(plan: ImportPlan): PlanCounts {
  return {
    created: plan.created.length,
    updated: plan.updated.length,
    removed: plan.removed.length,
    unchanged: plan.unchangedCount,
  };
}

/** `campaign <id>: <created|updated|unchanged>; units: …`: an import's first line, however it went in. */
export function planSummaryLine(campaignId: string, status: string, u: PlanCounts): string {
  return (
    `campaign ${campaignId}: ${status}; units: ${u.created} created, ` +
    `${u.updated} updated, ${u.removed} removed, ${u.unchanged} unchanged`
  );
}

/** Human-readable lines: a summary, then one line per change (capped). */
export function describePlan(plan: ImportPlan, maxLines = 50): string[] {
  const lines = [planSummaryLine(plan.campaign.id, plan.campaignStatus, planCounts(plan))];
  const details: string[] = [];
  for (const c of plan.campaignChanges)
    details.push(`  campaign ${c.field}: ${show(c.from)} → ${show(c.to)}`);
  for (const { unit, changes } of plan.updated) {
    for (const c of changes) {
      details.push(`  unit ${unit.id} (${unit.name}) ${c.field}: ${show(c.from)} → ${show(c.to)}`);
    }
  }
  for (const unit of plan.removed) details.push(`  unit ${unit.id} (${unit.name}) removed`);
  const reorg = plan.reorganisation;
  if (reorg) {
    details.push(
      `  reorganisation (epoch ${reorg.epoch}): ${reorg.moved.length} unit(s) moved or merged; ` +
        `history re-rolled from ${reorg.transfers.length} unit(s)`,
    );
    for (const t of reorg.totals) {
      if (t.before !== t.after)
        details.push(`  unit ${t.unitId} total: ${show(t.before)} → ${show(t.after)}`);
    }
  }
  lines.push(...details.slice(0, maxLines));
  if (details.length > maxLines) lines.push(`  … and ${details.length - maxLines} more changes`);
  return lines;
}
