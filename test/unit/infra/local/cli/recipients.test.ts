/** npm run recipients (infra/local/cli/recipients.ts) in-process, over the same in-memory stores as the handler's tests. */
import { describe, expect, it } from 'vitest';
import { runRecipientsCli } from '../../../../../infra/local/cli/recipients.js';
import { aWorld, CAMPAIGN } from '../../../../support/recipient-registry.js';
import { inProcessCli } from '../../../../support/registry-cli.js';

describe('npm run recipients (in-process, over the same stores)', () => {
  const { cli, out, err, world } = inProcessCli(runRecipientsCli, aWorld);

  it('adds a recipient and prints its id alone on stdout', async () => {
    // Act
    const code = await cli(
      'add',
      '--campaign',
      CAMPAIGN,
      '--unit',
      '323',
      '--name',
      'Nguyễn Văn An',
      '--sms',
      '0912345678',
    );
    // Assert
    expect(code).toBe(0);
    expect(out).toEqual([expect.stringMatching(/^r-[a-z0-9]{10}$/)]);
    expect(err).toEqual([
      `added to the registry of the local system at test: Nguyễn Văn An, leader of unit 323 in ${CAMPAIGN} (sms +84912345678); its id:`,
    ]);
    const stored = await world().recipients.get(CAMPAIGN, out[0] as string);
    expect(stored).toMatchObject({ sms: '+84912345678', createdBy: 'cli:tester', lang: 'vi' });
  });

  it('lists the registry as a table', async () => {
    await cli('add', '--campaign', CAMPAIGN, '--unit', '323', '--name', 'An', '--sms', '0912345678');
    await cli(
      'add',
      '--campaign',
      CAMPAIGN,
      '--unit',
      '324',
      '--name',
      'Bình',
      '--email',
      'binh@hungyen.gov.vn',
      '--lang',
      'en',
      '--min-severity',
      'critical',
    );
    out.length = 0;
    // Act
    const code = await cli('list', '--campaign', CAMPAIGN);
    // Assert
    expect(code).toBe(0);
    expect(out[0]).toMatch(/^ID +UNIT +NAME +SMS +EMAIL +LANG +MIN SEVERITY +SNS$/);
    expect(out.slice(1).map((l) => l.split(/ {2,}/))).toEqual([
      [expect.any(String), '323', 'An', '+84912345678', '-', 'vi', 'at_risk', 'sms'],
      [expect.any(String), '324', 'Bình', '-', 'binh@hungyen.gov.vn', 'en', 'critical', 'email'],
    ]);
  });

  it('updates and removes a recipient by id, finding its campaign', async () => {
    await cli('add', '--campaign', CAMPAIGN, '--unit', '323', '--name', 'An', '--sms', '0912345678');
    const id = out[0] as string;
    expect(await cli('update', id, '--email', 'an@hungyen.gov.vn', '--sms', 'none')).toBe(0);
    expect(await world().recipients.get(CAMPAIGN, id)).toMatchObject({ email: 'an@hungyen.gov.vn' });
    expect((await world().recipients.get(CAMPAIGN, id))?.sms).toBeUndefined();
    expect(await cli('remove', id)).toBe(0);
    expect(out.at(-1)).toBe(`removed ${id} (An, unit 323) from the local system at test`);
    expect(world().recipients.items.size).toBe(0);
  });

  it.each([
    [
      ['add', '--campaign', CAMPAIGN, '--unit', '323', '--name', 'An', '--sms', '12345'],
      /^recipients: --sms must be a phone number/,
    ],
    [
      ['add', '--campaign', CAMPAIGN, '--unit', '99999', '--name', 'An', '--sms', '0912345678'],
      /^recipients: Campaign "cccd-2021-test" has no unit "99999"$/,
    ],
    [
      ['add', '--campaign', 'nope', '--unit', '323', '--name', 'An', '--sms', '0912345678'],
      /^recipients: No campaign "nope"$/,
    ],
    [
      ['remove', 'r-nobody'],
      /^recipients: no recipient r-nobody in any campaign of the local system at test$/,
    ],
  ])('says what is wrong in one line and exits 1: %j', async (args, message) => {
    expect(await cli(...args)).toBe(1);
    expect(err).toEqual([expect.stringMatching(message)]);
    expect(world().recipients.items.size).toBe(0);
  });

  it.each([
    [[]],
    [['frobnicate']],
    [['add', '--campaign', CAMPAIGN, '--unit', '323', '--name', 'An']],
    [['add', '--campaign', CAMPAIGN, '--name', 'An', '--sms', '0912345678']],
    [['list', '--sms', '0912345678']],
    [['remove']],
    [['add', '--bogus']],
  ])('answers a wrong command line with usage and exit 2: %j', async (args) => {
    expect(await cli(...args)).toBe(2);
    expect(err.join('\n')).toMatch(/usage: npm run recipients -- /);
  });
});
