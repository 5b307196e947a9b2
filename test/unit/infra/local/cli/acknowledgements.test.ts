import { describe, expect, it } from 'vitest';
import { runAcknowledgementsCli } from '../../../../../infra/local/cli/acknowledgements.js';
import type { Acknowledgement } from '../../../../../shared/domain/alert-policy.js';
import type { AcknowledgementStore } from '../../../../../shared/store/acknowledgement-store.js';
import { anImportedCampaignStore } from '../../../../support/memory-campaign-store.js';
import { inProcessCli } from '../../../../support/registry-cli.js';

const CAMPAIGN = 'cccd-2021-test';
const NOW = new Date('2021-03-13T08:00:00.000Z');

/** The port in memory (the DynamoDB adapter has its integration test). */
class MemoryAcknowledgementStore implements AcknowledgementStore {
  readonly items = new Map<string, Acknowledgement>();
  async create(ack: Acknowledgement) {
    if (this.items.has(ack.id)) throw new Error('exists');
    this.items.set(ack.id, ack);
  }
  async get(_campaignId: string, id: string) {
    return this.items.get(id) ?? null;
  }
  async endingAfter(_campaignId: string, after: Date) {
    return [...this.items.values()].filter((a) => a.until > after.toISOString());
  }
  async withdraw(_campaignId: string, id: string, by: string, at: Date) {
    const ack = this.items.get(id);
    if (!ack || ack.deletedAt) return false;
    this.items.set(id, { ...ack, deletedAt: at.toISOString(), deletedBy: by });
    return true;
  }
}

describe('npm run acknowledgements (in-process)', () => {
  const { cli, out, err, world } = inProcessCli(
    runAcknowledgementsCli,
    async () => ({
      acknowledgements: new MemoryAcknowledgementStore(),
      campaigns: await anImportedCampaignStore(),
    }),
    () => NOW,
  );

  it('adds one for --for 12h, lists it, and withdraws it', async () => {
    // Arrange
    const on323For12h = ['--campaign', CAMPAIGN, '--unit', '323', '--for', '12h'];
    // Act
    const added = await cli('add', ...on323For12h, '--note', 'on it');
    const id = out[0] as string;
    const listed = await cli('list', '--campaign', CAMPAIGN);
    const removed = await cli('remove', id, '--campaign', CAMPAIGN);
    const again = await cli('remove', id, '--campaign', CAMPAIGN);

    // Assert
    expect([added, listed, removed, again]).toEqual([0, 0, 0, 1]);
    expect(world().acknowledgements.items.get(id)).toMatchObject({
      unitId: '323',
      note: 'on it',
      until: '2021-03-13T20:00:00.000Z',
      createdBy: 'cli:tester',
      deletedBy: 'cli:tester',
    });
    expect(out.some((line) => line.includes(id) && line.includes('323'))).toBe(true);
    expect(err.at(-1)).toBe(`acknowledgements: Acknowledgement ${id} was already withdrawn`);
  });

  it("prints its times in the campaign's time zone (Asia/Ho_Chi_Minh) and the id alone on stdout", async () => {
    // Arrange: 08:00 UTC is 15:00 in Hưng Yên; 12 hours later is 03:00 the next day there.
    const on323For12h = ['--campaign', CAMPAIGN, '--unit', '323', '--for', '12h'];
    // Act
    await cli('add', ...on323For12h);
    await cli('add', ...on323For12h);
    const [id, kept] = out as [string, string];
    await cli('remove', id, '--campaign', CAMPAIGN);
    out.length = 0;
    await cli('list', '--campaign', CAMPAIGN);

    // Assert
    expect(id).toMatch(/^a-/);
    expect(err[0]).toBe('unit 323 acknowledged until 2021-03-14 03:00 (+07:00) in the local system at test');
    const withdrawn = out.find((line) => line.startsWith(id)) ?? '';
    expect(withdrawn.split(/ {2,}/)).toEqual([
      id,
      '323',
      'cli:tester',
      '2021-03-13 15:00 (+07:00)',
      '2021-03-14 03:00 (+07:00)',
      '2021-03-13 15:00 (+07:00)',
    ]);
    expect((out.find((line) => line.startsWith(kept)) ?? '').split(/ {2,}/).slice(3)).toEqual([
      '2021-03-13 15:00 (+07:00)',
      '2021-03-14 03:00 (+07:00)',
    ]);
    expect(out.join('\n')).not.toMatch(/T\d\d:\d\d/);
  });

  it.each([
    [['add', '--unit', '323'], 'acknowledgements: add needs --campaign'],
    [['add', '--campaign', CAMPAIGN], 'acknowledgements: add needs --unit'],
    [
      ['add', '--campaign', CAMPAIGN, '--unit', '323', '--for', '1h', '--until', '2021-03-14T00:00:00Z'],
      'acknowledgements: add takes at most one of --until and --for',
    ],
    [
      ['add', '--campaign', CAMPAIGN, '--unit', '323', '--for', 'soon'],
      'acknowledgements: --for must be a duration such as 90m, 12h or 3d (got "soon")',
    ],
    [['list', '--campaign', CAMPAIGN, '--note', 'x'], 'acknowledgements: list does not take --note'],
  ])('refuses %j with exit code 2, changing nothing', async (args, message) => {
    // Act
    const code = await cli(...args);

    // Assert
    expect(code).toBe(2);
    expect(err[0]).toBe(message);
    expect(world().acknowledgements.items.size).toBe(0);
  });

  it('says which option is wrong when the service refuses (exit 1)', async () => {
    // Act
    const tooLong = await cli('add', '--campaign', CAMPAIGN, '--unit', '323', '--note', 'x'.repeat(600));
    const unknownUnit = await cli('add', '--campaign', CAMPAIGN, '--unit', '404');

    // Assert
    expect([tooLong, unknownUnit]).toEqual([1, 1]);
    expect(err[0]).toMatch(/^acknowledgements: --note /);
    expect(err[1]).toBe(`acknowledgements: Campaign "${CAMPAIGN}" has no unit "404"`);
  });
});
