/** npm run silences (infra/local/cli/silences.ts) in-process: what an administrator reads. */
import { describe, expect, it } from 'vitest';
import { runSilencesCli } from '../../../../../infra/local/cli/silences.js';
import type { SilenceRecord } from '../../../../../shared/schemas/recipients.js';
import type { SilenceStore } from '../../../../../shared/store/silence-store.js';
import { anImportedCampaignStore } from '../../../../support/memory-campaign-store.js';
import { inProcessCli } from '../../../../support/registry-cli.js';

const CAMPAIGN = 'cccd-2021-test';
const NOW = new Date('2021-03-13T08:00:00.000Z');

/** The port in memory (the DynamoDB adapter has its integration test). */
class MemorySilenceStore implements SilenceStore {
  readonly items = new Map<string, SilenceRecord>();
  async create(silence: SilenceRecord) {
    this.items.set(silence.id, silence);
  }
  async get(_campaignId: string, id: string) {
    return this.items.get(id) ?? null;
  }
  async listActive(_campaignId: string, now: Date) {
    return [...this.items.values()].filter((s) => s.until > now.toISOString());
  }
  async delete(_campaignId: string, id: string) {
    return this.items.delete(id);
  }
}

describe('npm run silences (in-process)', () => {
  const { cli, out, err, world } = inProcessCli(
    runSilencesCli,
    async () => ({ silences: new MemorySilenceStore(), campaigns: await anImportedCampaignStore() }),
    () => NOW,
  );

  it("prints its times in the campaign's time zone (Asia/Ho_Chi_Minh), the id alone on stdout", async () => {
    // Arrange: 08:00 UTC is 15:00 in Hưng Yên; 12 hours later is 03:00 the next day there.
    const args = ['--campaign', CAMPAIGN, '--unit', '323', '--for', '12h', '--reason', 'mất điện'];
    // Act
    const added = await cli('add', ...args);
    const id = out[0] as string;
    const listed = await cli('list');
    const removed = await cli('remove', id);

    // Assert
    expect([added, listed, removed]).toEqual([0, 0, 0]);
    expect(out[0]).toMatch(/^s-/);
    expect(world().silences.items.size).toBe(0);
    expect(err[0]).toBe(
      'unit 323 and its subtree silenced until 2021-03-14 03:00 (+07:00) in the local system at test',
    );
    expect(out[1]?.split(/ {2,}/)).toEqual(['CAMPAIGN', 'ID', 'UNIT', 'UNTIL', 'BY', 'REASON']);
    expect(out[2]?.split(/ {2,}/)).toEqual([
      CAMPAIGN,
      id,
      '323',
      '2021-03-14 03:00 (+07:00)',
      'cli:tester',
      'mất điện',
    ]);
    expect(out[3]).toBe(
      `removed ${id} (unit 323, was until 2021-03-14 03:00 (+07:00)) from the local system at test`,
    );
  });

  it('keeps the stored end in ISO 8601 (what the API answers)', async () => {
    // Act
    await cli(
      'add',
      '--campaign',
      CAMPAIGN,
      '--unit',
      '323',
      '--until',
      '2021-03-20T07:00:00+07:00',
      '--reason',
      'x',
    );
    // Assert
    expect([...world().silences.items.values()][0]?.until).toBe('2021-03-20T00:00:00.000Z');
    expect(err[0]).toContain('until 2021-03-20 07:00 (+07:00)');
  });
});
