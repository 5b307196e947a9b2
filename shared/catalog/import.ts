/**
 * Importing a validated campaign file into the store: plan (pure), then write only what changed.
 * Used by the CLI (`npm run campaign -- import`) and by `PUT /v1/campaigns/{campaignId}`.
 */
import { buildHierarchy, type Hierarchy } from '../domain/hierarchy.js';
import { type ImportPlan, isNoop, planImport } from '../domain/import-plan.js';
import type { CampaignFile } from '../schemas/campaign.js';
import type { CampaignStore, ImportProgress } from '../store/campaign-store.js';

export class ImportRefused extends Error {
  constructor(
    message: string,
    readonly plan: ImportPlan,
  ) {
    super(message);
    this.name = 'ImportRefused';
  }
}

export interface ImportOptions {
  /**
   * Judges the plan against the campaign as stored (null: not stored yet) before anything is written;
   * throws to refuse (shared/domain/campaign-authority.ts gives the rules).
   */
  readonly authorize?: (plan: ImportPlan, stored: Hierarchy | null) => void;
  /** Units that exist in the store but not in the file are deleted only when this is set. */
  readonly allowRemoval?: boolean;
  readonly onProgress?: ImportProgress;
}

export async function importCampaign(
  store: CampaignStore,
  file: CampaignFile,
  options: ImportOptions = {},
): Promise<ImportPlan> {
  const [campaign, units] = await Promise.all([
    store.getCampaign(file.campaign.id),
    store.listUnits(file.campaign.id),
  ]);
  const plan = planImport({ campaign, units }, file);
  options.authorize?.(plan, campaign && units.length > 0 ? buildHierarchy(units) : null);
  if (plan.removed.length > 0 && !options.allowRemoval) {
    const ids = plan.removed.slice(0, 10).map((u) => u.id);
    const more = plan.removed.length > 10 ? ` and ${plan.removed.length - 10} more` : '';
    throw new ImportRefused(
      `${plan.removed.length} stored unit(s) are missing from the file (${ids.join(', ')}${more}); ` +
        'units are removed only when asked explicitly (--allow-removal, or ?allowRemoval=true)',
      plan,
    );
  }
  if (isNoop(plan)) return plan;

  const writes = [...plan.created, ...plan.updated.map((u) => u.unit)];
  const total = writes.length + plan.removed.length;
  const progress = options.onProgress;
  await store.putUnits(file.campaign.id, writes, progress && ((n) => progress(n, total)));
  if (plan.removed.length > 0) {
    await store.deleteUnits(
      file.campaign.id,
      plan.removed.map((u) => u.id),
      progress && ((n) => progress(writes.length + n, total)),
    );
  }
  // The campaign item last, after every change: a campaign is listed only once its units are in
  // place, and its new `updatedAt` is the catalogue version caches check (shared/catalog/catalog-cache.ts).
  await store.putCampaign(file.campaign);
  return plan;
}
