/**
 * A campaign's catalogue (settings and unit tree) kept in the function's memory, so intake checks 100
 * events against it without a read per event. Every few seconds (`versionCheckMs`, default 2 s) a
 * request asks the store for the catalogue's version (one small GetItem); only when it has changed is
 * the catalogue read again. So an import that removes or moves a unit takes effect in every container
 * within seconds, without a full reload per request. Concurrent misses share one load.
 *
 * It holds at most MAX_CACHED_CAMPAIGNS campaigns, so memory stays bounded whatever ids callers name
 * (docs/ARCHITECTURE.md §5: requests are bounded). A campaign that exists is evicted only to make room
 * for another that exists, the least recently used first; unknown ids (and loads under way) only use
 * room no existing campaign needs, so made-up ids never push a live campaign out.
 */
import { buildHierarchy } from '../domain/hierarchy.js';
import type { CatalogView } from '../domain/intake.js';
import type { CampaignStore } from '../store/campaign-store.js';

/** An unknown campaign is remembered only briefly, so a campaign loaded a moment ago shows up soon. */
const NEGATIVE_TTL_MS = 5_000;
/** How often a cached catalogue's version is checked: a change reaches every container within this (plus a read). */
export const VERSION_CHECK_MS = 2_000;
/**
 * The most campaigns held at once: far more than a deployment runs at a time (a campaign is a
 * province's survey), and a full one is a few thousand units, so the cache stays a few MB at most.
 */
export const MAX_CACHED_CAMPAIGNS = 64;
/** Reads of a catalogue that changed while it was read, before giving up for this request. */
const MAX_CONSISTENT_READS = 4;

interface Entry {
  /** A full reload is due after this, whatever the version (a store without versions relies on it alone). */
  readonly expiresAt: number;
  /** The version is asked again after this. */
  checkAfter: number;
  readonly version: string | null;
  readonly view: Promise<CatalogView | null>;
  /** A loaded campaign that exists (not an unknown id, not a load under way): evicted last. */
  readonly exists: boolean;
}

export class CatalogCache {
  private readonly entries = new Map<string, Entry>();
  private readonly checks = new Map<string, Promise<CatalogView | null>>();

  constructor(
    private readonly store: CampaignStore,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
    private readonly versionCheckMs: number = VERSION_CHECK_MS,
  ) {}

  /** How many campaigns are held (at most MAX_CACHED_CAMPAIGNS). */
  get size(): number {
    return this.entries.size;
  }

  get(campaignId: string): Promise<CatalogView | null> {
    const cached = this.entries.get(campaignId);
    const now = this.now();
    if (cached && cached.expiresAt > now) {
      this.put(campaignId, cached); // most recently used
      if (!this.store.catalogVersion || cached.checkAfter > now) return cached.view;
      return this.checked(campaignId, cached);
    }
    return this.reload(campaignId, null);
  }

  /** The cached view if the stored version is still its own; the reloaded one otherwise. */
  private checked(campaignId: string, cached: Entry): Promise<CatalogView | null> {
    const pending = this.checks.get(campaignId);
    if (pending) return pending;
    const check = (async () => {
      const version = (await this.store.catalogVersion?.(campaignId)) ?? null;
      if (version === cached.version && this.entries.get(campaignId) === cached) {
        cached.checkAfter = this.now() + this.versionCheckMs;
        return cached.view;
      }
      return this.reload(campaignId, version);
    })().finally(() => this.checks.delete(campaignId));
    this.checks.set(campaignId, check);
    return check;
  }

  private reload(campaignId: string, knownVersion: string | null): Promise<CatalogView | null> {
    const previous = this.entries.get(campaignId);
    const entry = this.load(campaignId, knownVersion, previous);
    const view = entry.then((e) => e.view);
    const now = this.now();
    // Placeholder while loading: concurrent misses share it.
    const loading: Entry = {
      expiresAt: now + this.ttlMs,
      checkAfter: now + this.versionCheckMs,
      version: knownVersion,
      view,
      exists: false,
    };
    this.put(campaignId, loading);
    entry.then(
      ({ version, view: loaded }) => {
        // Kept unless another load replaced the placeholder (an evicted one is no longer there).
        const current = this.entries.get(campaignId);
        if (current !== loading && current !== undefined) return;
        const at = this.now();
        const ttl = loaded === null ? Math.min(NEGATIVE_TTL_MS, this.ttlMs) : this.ttlMs;
        this.put(campaignId, {
          expiresAt: at + ttl,
          checkAfter: at + this.versionCheckMs,
          version,
          view,
          exists: loaded !== null,
        });
      },
      () => {
        if (this.entries.get(campaignId) === loading) this.entries.delete(campaignId); // a failed load is never cached
      },
    );
    return view;
  }

  /**
   * Stores the entry as the most recently used, then evicts down to MAX_CACHED_CAMPAIGNS: the least
   * recently used entry that is not an existing campaign if there is one (the new entry itself when
   * every other is one), else the least recently used campaign.
   */
  private put(campaignId: string, entry: Entry): void {
    this.entries.delete(campaignId);
    this.entries.set(campaignId, entry);
    while (this.entries.size > MAX_CACHED_CAMPAIGNS) {
      let victim: string | undefined;
      for (const [id, held] of this.entries) {
        if (!held.exists) {
          victim = id;
          break;
        }
      }
      this.entries.delete(victim ?? (this.entries.keys().next().value as string));
    }
  }

  private async load(
    campaignId: string,
    knownVersion: string | null,
    previous?: Entry,
  ): Promise<{ version: string | null; view: CatalogView | null }> {
    if (this.store.catalogState) return this.loadConsistent(campaignId, previous);
    // The version first: a change written after it is seen by the next check.
    const version =
      knownVersion ?? (this.store.catalogVersion ? await this.store.catalogVersion(campaignId) : null);
    const [campaign, units] = await Promise.all([
      this.store.getCampaign(campaignId),
      this.store.listUnits(campaignId),
    ]);
    if (!campaign || units.length === 0) return { version, view: null };
    return { version, view: { campaign, hierarchy: buildHierarchy(units), epoch: 0 } };
  }

  /**
   * A view whose units, paths and epoch belong together (intake stamps events with both, and a
   * reorganisation relies on it: shared/domain/reorganise.ts). The state (version, epoch, pending) is
   * read before and after the units: a view is used only when nothing was written in between. While a
   * structural import is half-written (`pending`), the previous view is kept: its old paths with its
   * old epoch are consistent, and the migration moves them.
   */
  private async loadConsistent(
    campaignId: string,
    previous: Entry | undefined,
  ): Promise<{ version: string | null; view: CatalogView | null }> {
    const stateOf = (id: string) => this.store.catalogState?.(id) ?? Promise.resolve(null);
    for (let attempt = 0; attempt < MAX_CONSISTENT_READS; attempt++) {
      const state = await stateOf(campaignId);
      if (state === null) return { version: null, view: null };
      if (state.pending) {
        if (previous) return { version: previous.version, view: await previous.view };
        throw new Error(`campaign ${campaignId} is being reorganised; try again in a few seconds`);
      }
      const [campaign, units] = await Promise.all([
        this.store.getCampaign(campaignId),
        this.store.listUnits(campaignId),
      ]);
      const after = await stateOf(campaignId);
      if (after?.version !== state.version) continue; // written meanwhile: read again
      if (!campaign || units.length === 0) return { version: state.version, view: null };
      return {
        version: state.version,
        view: { campaign, hierarchy: buildHierarchy(units), epoch: state.epoch },
      };
    }
    throw new Error(`the catalogue of campaign ${campaignId} kept changing while it was read`);
  }
}
