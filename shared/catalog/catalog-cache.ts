/**
 * A campaign's catalogue (settings and unit tree) kept in the function's memory for a short,
 * configurable time, so intake checks 100 events against it without a read per event, and a
 * warm function reads the catalogue once per TTL. Concurrent misses share one load.
 */
import { buildHierarchy } from '../domain/hierarchy.js';
import type { CatalogView } from '../domain/intake.js';
import type { CampaignStore } from '../store/campaign-store.js';

/** An unknown campaign is remembered only briefly, so a campaign loaded a moment ago shows up soon. */
const NEGATIVE_TTL_MS = 5_000;

interface Entry {
  readonly expiresAt: number;
  readonly view: Promise<CatalogView | null>;
}

export class CatalogCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly store: CampaignStore,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(campaignId: string): Promise<CatalogView | null> {
    const cached = this.entries.get(campaignId);
    if (cached && cached.expiresAt > this.now()) return cached.view;
    const view = this.load(campaignId);
    this.entries.set(campaignId, { expiresAt: this.now() + this.ttlMs, view });
    view.then(
      (v) => {
        if (v === null)
          this.entries.set(campaignId, {
            expiresAt: this.now() + Math.min(NEGATIVE_TTL_MS, this.ttlMs),
            view,
          });
      },
      () => this.entries.delete(campaignId), // a failed load is never cached
    );
    return view;
  }

  private async load(campaignId: string): Promise<CatalogView | null> {
    const [campaign, units] = await Promise.all([
      this.store.getCampaign(campaignId),
      this.store.listUnits(campaignId),
    ]);
    if (!campaign || units.length === 0) return null;
    return { campaign, hierarchy: buildHierarchy(units) };
  }
}
