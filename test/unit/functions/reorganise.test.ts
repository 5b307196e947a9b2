/** The scheduled reorganisation passes (functions/reorganise.ts) over in-memory migration states. */
import { describe, expect, it } from 'vitest';
import { makeHandler } from '../../../functions/reorganise.js';
import type { MigrationPorts } from '../../../shared/jobs/migration-job.js';
import type { MigrationState } from '../../../shared/store/migration-store.js';

const NOW = new Date('2025-06-05T03:00:00.000Z');

const aState = (campaignId: string, over: Partial<MigrationState> = {}): MigrationState => ({
  campaignId,
  epoch: 1,
  status: 'pending',
  structureHash: 'h',
  transfers: [{ unitId: '34', targets: [{ unitId: '33', sign: 1 }] }],
  affected: ['33', '34'],
  startedAt: '2025-06-05T02:00:00.000Z',
  passes: 1,
  moved: 2,
  ...over,
});

/** Migration states by campaign; each pass moves what `toMove` still holds for it, then nothing. */
function memoryMigrations(
  states: MigrationState[],
  toMove: Record<string, number>,
  failing = new Set<string>(),
) {
  const byId = new Map(states.map((s) => [s.campaignId, s]));
  const passes: string[] = [];
  const migrations: MigrationPorts['migrations'] = {
    get: async (id) => byId.get(id) ?? null,
    runPass: async (id) => {
      if (failing.has(id)) throw new Error(`DynamoDB unavailable for ${id}`);
      passes.push(id);
      const transfers = toMove[id] ?? 0;
      toMove[id] = 0;
      return { items: 4, transfers, retries: 0 };
    },
    recordPass: async () => {},
    setStatus: async (id, _epoch, status, at) => {
      const s = byId.get(id);
      if (s) byId.set(id, { ...s, status, convergedAt: at });
    },
  };
  return { migrations, passes, state: (id: string) => byId.get(id) };
}

const campaigns = (...ids: string[]) => ({ listCampaigns: async () => ids.map((id) => ({ id })) });

describe('the scheduled reorganisation passes', () => {
  it('finishes a pending migration once the settle time passed, and leaves a campaign without one alone', async () => {
    // Arrange: one campaign with an interrupted migration (items left to move), one without any
    const store = memoryMigrations([aState('reform')], { reform: 3 });
    const handler = makeHandler({
      campaigns: campaigns('reform', 'quiet'),
      migrations: store.migrations,
      clock: () => NOW,
      settleMs: 30_000,
    });

    // Act
    const result = await handler({});

    // Assert: passes until one moves nothing, then converged; the quiet campaign is only read
    expect(result.runs).toEqual([
      { campaignId: 'reform', epoch: 1, status: 'converged', passes: 2, moved: 3 },
    ]);
    expect(store.passes).toEqual(['reform', 'reform']);
    expect(store.state('reform')?.status).toBe('converged');
    expect(result.failed).toEqual([]);
  });

  it('does not declare convergence before the settle time', async () => {
    // Arrange: the new structure took effect 10 s ago
    const store = memoryMigrations(
      [aState('reform', { startedAt: new Date(NOW.getTime() - 10_000).toISOString() })],
      {},
    );
    const handler = makeHandler({
      campaigns: campaigns('reform'),
      migrations: store.migrations,
      clock: () => NOW,
      settleMs: 30_000,
    });

    // Act
    const result = await handler({});

    // Assert
    expect(result.runs[0]?.status).toBe('pending');
    expect(store.state('reform')?.status).toBe('pending');
  });

  it('runs every campaign even when one fails, then fails the run naming it (the scheduler retries)', async () => {
    // Arrange
    const store = memoryMigrations([aState('broken'), aState('reform')], { reform: 1 }, new Set(['broken']));
    const handler = makeHandler({
      campaigns: campaigns('broken', 'reform'),
      migrations: store.migrations,
      clock: () => NOW,
    });

    // Act / Assert
    await expect(handler({})).rejects.toThrow('reorganisation passes failed for broken');
    expect(store.state('reform')?.status).toBe('converged');
  });

  it('runs only the campaign the event names, and refuses a malformed event', async () => {
    // Arrange
    const store = memoryMigrations([aState('camp-a'), aState('camp-b')], { 'camp-a': 1, 'camp-b': 1 });
    const handler = makeHandler({
      campaigns: campaigns('camp-a', 'camp-b'),
      migrations: store.migrations,
      clock: () => NOW,
    });

    // Act
    const result = await handler({ campaignId: 'camp-b' });

    // Assert
    expect(result.runs.map((r) => r.campaignId)).toEqual(['camp-b']);
    expect(store.passes).toEqual(['camp-b', 'camp-b']);
    await expect(handler({ campaignId: 'not a campaign id!' })).rejects.toThrow(/reorganise job input/);
  });
});
