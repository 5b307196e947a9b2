/**
 * Importing a validated campaign file into the store: plan (pure), then write only what changed.
 * Used by the CLI (`npm run campaign -- import`) and by `PUT /v1/campaigns/{campaignId}`.
 */
import { createHash } from 'node:crypto';
import { buildHierarchy, type Hierarchy } from '../domain/hierarchy.js';
import { type ImportPlan, isNoop, planImport } from '../domain/import-plan.js';
import {
  affectedUnits,
  boundaryTransfers,
  structuralChanges,
  type TreeUnit,
  totalsAfterTransfers,
} from '../domain/reorganise.js';
import type { CampaignFile } from '../schemas/campaign.js';
import type { CampaignStore, ImportProgress } from '../store/campaign-store.js';
import type { MigrationState } from '../store/migration-store.js';

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
  /**
   * Reorganisation: with it, an import that moves or merges units bumps the structure epoch, records
   * the migration (shared/store/migration-store.ts) and re-rolls history (shared/domain/reorganise.ts).
   * Without it such an import only changes the tree (history stays with the old ancestors).
   */
  readonly reorganise?: ReorganiseOptions;
  /** Plan only (CLI `--dry-run`, PUT `?dryRun=true`): authority and refusals as for real, nothing written. */
  readonly dryRun?: boolean;
}

export interface ReorganiseOptions {
  readonly migrations: {
    get(campaignId: string): Promise<MigrationState | null>;
    begin(state: MigrationState): Promise<boolean>;
    setStatus(campaignId: string, epoch: number, status: 'pending', at: string): Promise<void>;
  };
  /** Current totals of units (for the plan's before and after). */
  readonly totals?: (campaignId: string, unitIds: readonly string[]) => Promise<Map<string, number>>;
  readonly clock?: () => Date;
  /**
   * Wait between writing the units and making the new epoch current, so the byCollection index the
   * caches read units from has the new tree (an index is eventually consistent in AWS). Default 0.
   */
  readonly indexSettleMs?: number;
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
  const state = (await store.catalogState?.(file.campaign.id)) ?? null;
  const epoch = state?.epoch ?? 0;
  const reorg = options.reorganise;
  if (reorg) {
    const migration = await prepareReorganisation(reorg, plan, units, file, options.dryRun === true);
    if (migration && options.dryRun) return { ...plan, reorganisation: migration.summary };
    if (migration) {
      await writePlan(store, file, plan, options.onProgress, { epoch: migration.epoch, pending: true });
      if (reorg.indexSettleMs) await new Promise((r) => setTimeout(r, reorg.indexSettleMs));
      await store.putCampaign(file.campaign, { epoch: migration.epoch, pending: false });
      await reorg.migrations.setStatus(
        file.campaign.id,
        migration.epoch,
        'pending',
        (reorg.clock ?? (() => new Date()))().toISOString(),
      );
      return { ...plan, reorganisation: migration.summary };
    }
  }
  if (isNoop(plan) || options.dryRun) return plan;
  await writePlan(store, file, plan, options.onProgress, { epoch, pending: false });
  return plan;
}

async function writePlan(
  store: CampaignStore,
  file: CampaignFile,
  plan: ImportPlan,
  progress: ImportProgress | undefined,
  state: { epoch: number; pending: boolean },
): Promise<void> {
  if (state.pending) await store.putCampaign(file.campaign, state);
  const writes = [...plan.created, ...plan.updated.map((u) => u.unit)];
  const total = writes.length + plan.removed.length;
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
  if (!state.pending) await store.putCampaign(file.campaign, state);
}

const treeOf = (units: readonly TreeUnit[]): TreeUnit[] =>
  units.map((u) => ({
    id: u.id,
    parentId: u.parentId,
    ...(u.mergedInto !== undefined && { mergedInto: u.mergedInto }),
  }));

/** The imported structure's identity: parents and merges, in id order. */
function structureHash(units: readonly TreeUnit[]): string {
  const rows = treeOf(units)
    .map((u) => `${u.id}>${u.parentId ?? ''}>${u.mergedInto ?? ''}`)
    .sort();
  return createHash('sha256').update(rows.join('\n')).digest('hex');
}

/**
 * When the import moves or merges units (or finishes an interrupted one), records migration state
 * `importing` for the next epoch and returns it; null when the import changes no structure. Refuses
 * (ImportRefused, 409) while another reorganisation is converging, or when an interrupted one was
 * for another file.
 */
async function prepareReorganisation(
  reorg: ReorganiseOptions,
  plan: ImportPlan,
  storedUnits: readonly TreeUnit[],
  file: CampaignFile,
  dryRun: boolean,
): Promise<{ epoch: number; summary: NonNullable<ImportPlan['reorganisation']> } | null> {
  const campaignId = file.campaign.id;
  const existing = await reorg.migrations.get(campaignId);
  const hash = structureHash(file.units);
  if (existing?.status === 'importing') {
    if (existing.structureHash !== hash) {
      throw new ImportRefused(
        `an interrupted reorganisation of campaign ${campaignId} (epoch ${existing.epoch}) is unfinished; ` +
          'import the same file again to finish it before importing another structure',
        plan,
      );
    }
    return { epoch: existing.epoch, summary: await summarise(reorg, campaignId, existing, []) };
  }
  const moved = structuralChanges(storedUnits, file.units);
  if (moved.length === 0) return null;
  if (existing?.status === 'pending') {
    throw new ImportRefused(
      `campaign ${campaignId} is still reorganising (epoch ${existing.epoch}); ` +
        'moves and merges are refused until it has converged (a few minutes at most); try again then',
      plan,
    );
  }
  const transfers = boundaryTransfers(treeOf(storedUnits), treeOf(file.units));
  const now = (reorg.clock ?? (() => new Date()))().toISOString();
  const state: MigrationState = {
    campaignId,
    epoch: (existing?.epoch ?? 0) + 1,
    status: 'importing',
    structureHash: hash,
    transfers,
    affected: affectedUnits(transfers, moved),
    startedAt: now,
    passes: 0,
    moved: 0,
  };
  if (!dryRun && !(await reorg.migrations.begin(state))) {
    throw new ImportRefused(`another reorganisation of campaign ${campaignId} started meanwhile`, plan);
  }
  return { epoch: state.epoch, summary: await summarise(reorg, campaignId, state, moved) };
}

async function summarise(
  reorg: ReorganiseOptions,
  campaignId: string,
  state: MigrationState,
  moved: readonly string[],
): Promise<NonNullable<ImportPlan['reorganisation']>> {
  const before = reorg.totals ? await reorg.totals(campaignId, state.affected) : new Map<string, number>();
  const after = totalsAfterTransfers(state.transfers, before);
  return {
    epoch: state.epoch,
    moved,
    transfers: state.transfers,
    totals: state.affected.map((unitId) => ({
      unitId,
      before: before.get(unitId) ?? 0,
      after: after.get(unitId) ?? 0,
    })),
  };
}
