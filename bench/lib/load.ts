/**
 * Deterministic inputs: the synthetic national campaign (generateNational, seed 1) and seeded
 * intake events over it, spread by target (uniform load) or with most of them in one province
 * (skewed load). The same seed gives the same events, so every run measures the same work.
 */
import { buildHierarchy, type Hierarchy } from '../../shared/domain/hierarchy.js';
import type { RolledEvent } from '../../shared/domain/rollup.js';
import { CampaignFile } from '../../shared/schemas/campaign.js';
import type { IntakeEventInput } from '../../shared/schemas/intake.js';

export interface Leaf {
  readonly id: string;
  readonly target: number;
  /** Ancestors, root first. */
  readonly path: readonly string[];
}

export interface CampaignModel {
  readonly file: CampaignFile;
  readonly hierarchy: Hierarchy;
  /** Units without children (communes), the units intake posts for. */
  readonly leaves: readonly Leaf[];
}

export function campaignModel(input: unknown): CampaignModel {
  const file = CampaignFile.parse(input);
  const hierarchy = buildHierarchy(file.units);
  const parents = new Set(file.units.map((u) => u.parentId).filter((p): p is string => p !== null));
  const leaves = file.units
    .filter((u) => !parents.has(u.id))
    .map((u) => ({ id: u.id, target: u.target, path: hierarchy.ancestorsOf(u.id) }));
  return { file, hierarchy, leaves };
}

/** Picks leaves with probability proportional to their target. */
export function weightedPicker(leaves: readonly Leaf[]): (r: number) => Leaf {
  const cumulative: number[] = [];
  let sum = 0;
  for (const leaf of leaves) {
    sum += Math.max(1, leaf.target);
    cumulative.push(sum);
  }
  return (r) => {
    const x = r * sum;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] ?? 0) > x) hi = mid;
      else lo = mid + 1;
    }
    const leaf = leaves[lo];
    if (!leaf) throw new Error('no leaves to pick from');
    return leaf;
  };
}

/** One generated event: what a client posts, and what the roll-up sees of it once stored. */
export interface GeneratedEvent {
  readonly input: IntakeEventInput & { count: number; kind: string; channel: 'fixed' | 'mobile' };
  readonly rolled: RolledEvent;
}

export interface LoadOptions {
  readonly count: number;
  readonly random: () => number;
  /** Prefix of the eventIds (letters, digits, '-' or '_'). */
  readonly idPrefix: string;
  /** The local day of most events; 5 % fall on the day before (late uploads from mobile teams). */
  readonly day: string;
  /** The UTC offset of the campaign's zone, e.g. '+07:00'. */
  readonly offset?: string;
  /** Put `share` of the events into the subtree of `unitId` (by target there); the rest by target everywhere. */
  readonly skew?: { readonly unitId: string; readonly share: number };
}

const previousDay = (day: string) => {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
};

export function generateEvents(model: CampaignModel, options: LoadOptions): GeneratedEvent[] {
  const { random } = options;
  const everywhere = weightedPicker(model.leaves);
  const skewUnit = options.skew?.unitId;
  const skewed = skewUnit
    ? weightedPicker(model.leaves.filter((l) => l.path.includes(skewUnit) || l.id === skewUnit))
    : null;
  const campaignId = model.file.campaign.id;
  const offset = options.offset ?? '+07:00';
  const events: GeneratedEvent[] = [];
  for (let i = 0; i < options.count; i++) {
    const leaf =
      skewed && options.skew && random() < options.skew.share ? skewed(random()) : everywhere(random());
    const day = random() < 0.05 ? previousDay(options.day) : options.day;
    const hour = 7 + Math.floor(random() * 14);
    const minute = Math.floor(random() * 60);
    const kind = random() < 0.7 ? 'new' : 'renewal';
    const channel = random() < 0.2 ? ('mobile' as const) : ('fixed' as const);
    const group = random() < 0.05 ? 'official' : undefined;
    const eventId = `${options.idPrefix}-${String(i).padStart(7, '0')}`;
    const occurredAt = `${day}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00${offset}`;
    events.push({
      input: {
        eventId,
        campaignId,
        unitId: leaf.id,
        occurredAt,
        count: 1,
        kind,
        channel,
        ...(group && { group }),
      },
      rolled: {
        campaignId,
        unitId: leaf.id,
        path: leaf.path,
        day,
        count: 1,
        kind,
        channel,
        ...(group && { group }),
      },
    });
  }
  return events;
}

/** The child of the root with the largest target (the province a skewed load piles into). */
export function largestChildOfRoot(model: CampaignModel): string {
  const root = model.hierarchy.root.id;
  const children = model.hierarchy.childrenOf(root);
  const largest = [...children].sort((a, b) => b.target - a.target || a.id.localeCompare(b.id))[0];
  if (!largest) throw new Error('the root has no children');
  return largest.id;
}
