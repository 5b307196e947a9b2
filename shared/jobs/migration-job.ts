/**
 * The migration job: runs reconciliation passes of a campaign's reorganisation until it converges
 * (shared/domain/reorganise.ts gives the argument; shared/store/migration-store.ts the writes).
 * Called right after a structural import (CLI and PUT), and by the scheduled risk job (functions/risk.ts)
 * so that an interrupted migration resumes by itself, locally and in AWS.
 *
 * Converged: a pass moved nothing, at least `settleMs` after the new epoch took effect (catalogue
 * caches refresh within ~2.5 s, so old-epoch events stop being accepted soon after; the settle time
 * also covers the roll-up's lag). Passes go on for `reconcileForMs` after that (default a day, the
 * stream's maxRecordAge), for old-epoch events that reach the roll-up late; each costs one Query per
 * boundary unit.
 */

import type { FunctionEnv } from '../config/env.js';
import type { MigrationState, PassResult } from '../store/migration-store.js';

export interface MigrationPorts {
  readonly migrations: {
    get(campaignId: string): Promise<MigrationState | null>;
    runPass(campaignId: string, epoch: number, transfers: MigrationState['transfers']): Promise<PassResult>;
    recordPass(campaignId: string, epoch: number, moved: number, at: string): Promise<void>;
    setStatus(campaignId: string, epoch: number, status: 'pending' | 'converged', at: string): Promise<void>;
  };
  readonly clock: () => Date;
  /**
   * The catalogue's state: an import that died after making the new epoch current but before
   * recording it (`importing`) is then taken on here. Absent: such a migration waits for a re-import.
   */
  readonly catalog?: {
    catalogState?(campaignId: string): Promise<{ epoch: number; pending: boolean } | null>;
  };
  /** Default 30 s (env REORGANISE_SETTLE_SECONDS). */
  readonly settleMs?: number;
  readonly reconcileForMs?: number;
}

export interface MigrationRun {
  readonly campaignId: string;
  readonly epoch: number;
  readonly status: MigrationState['status'];
  readonly passes: number;
  readonly moved: number;
}

const DEFAULT_SETTLE_MS = 30_000;
const DAY_MS = 24 * 3600_000;

/** The settle time a deployment configured (shared/config/env.ts, REORGANISE_SETTLE_SECONDS). */
export const settleMsFrom = (env: Pick<FunctionEnv, 'REORGANISE_SETTLE_SECONDS'>): number =>
  env.REORGANISE_SETTLE_SECONDS * 1000;

/**
 * Runs passes for one campaign: up to `maxPasses` while something moves (each pass moves what
 * arrived since the previous), then records whether it converged. Nothing to do: null.
 */
export async function runMigration(
  ports: MigrationPorts,
  campaignId: string,
  maxPasses = 3,
): Promise<MigrationRun | null> {
  let state = await ports.migrations.get(campaignId);
  if (!state) return null;
  const now = ports.clock();
  if (state.status === 'importing') {
    const catalog = await ports.catalog?.catalogState?.(campaignId);
    if (!catalog || catalog.pending || catalog.epoch !== state.epoch) return null;
    await ports.migrations.setStatus(campaignId, state.epoch, 'pending', now.toISOString());
    state = { ...state, status: 'pending', startedAt: now.toISOString() };
  }
  const settle = ports.settleMs ?? DEFAULT_SETTLE_MS;
  if (state.status === 'converged') {
    const since = Date.parse(state.convergedAt ?? state.startedAt);
    if (now.getTime() - since > (ports.reconcileForMs ?? DAY_MS)) return null;
  }
  let passes = 0;
  let moved = 0;
  let lastMoved = 1;
  while (passes < maxPasses && lastMoved > 0) {
    const pass = await ports.migrations.runPass(campaignId, state.epoch, state.transfers);
    passes++;
    lastMoved = pass.transfers;
    moved += pass.transfers;
  }
  const at = ports.clock();
  await ports.migrations.recordPass(campaignId, state.epoch, moved, at.toISOString());
  let status = state.status;
  if (status === 'pending' && lastMoved === 0 && at.getTime() - Date.parse(state.startedAt) >= settle) {
    await ports.migrations.setStatus(campaignId, state.epoch, 'converged', at.toISOString());
    status = 'converged';
  }
  return { campaignId, epoch: state.epoch, status, passes, moved };
}
