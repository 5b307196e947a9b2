/**
 * infra/local/cli/command-line.ts: the command lines of the registry CLIs, parsed one way (help 0;
 * unknown command, unknown option, an option the command does not take, wrong positionals → 2 with
 * one line naming the tool); refusals of the system → 1; --until / --for.
 */
import { describe, expect, it } from 'vitest';
import {
  campaignIdsOf,
  parseCommandLine,
  parseDuration,
  reportingRefusals,
  untilOf,
} from '../../../../../infra/local/cli/command-line.js';
import { CliError } from '../../../../../infra/local/cli/target.js';
import { RegistryError } from '../../../../../shared/store/recipient-store.js';

const SPEC = {
  tool: 'things',
  usage: 'usage: npm run things -- <command>\n',
  options: { stage: { type: 'string' }, campaign: { type: 'string' }, unit: { type: 'string' } },
  commands: {
    add: { options: ['stage', 'campaign', 'unit'] },
    remove: { options: ['stage', 'campaign'], id: 'thing id' },
  },
} as const;

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

describe('parseCommandLine()', () => {
  it('gives the command, its options and its id', () => {
    const { io: sink, err } = io();
    expect(parseCommandLine(SPEC, ['add', '--campaign', 'c1', '--unit', '33'], sink)).toEqual({
      command: 'add',
      values: { campaign: 'c1', unit: '33' },
      id: undefined,
    });
    expect(parseCommandLine(SPEC, ['remove', 't-9', '--campaign', 'c1'], sink)).toEqual({
      command: 'remove',
      values: { campaign: 'c1' },
      id: 't-9',
    });
    expect(err).toEqual([]);
  });

  it('prints the usage for help (0) and for no command (2)', () => {
    const help = io();
    expect(parseCommandLine(SPEC, ['help'], help.io)).toBe(0);
    expect(help.out).toEqual(['usage: npm run things -- <command>']);
    const none = io();
    expect(parseCommandLine(SPEC, [], none.io)).toBe(2);
    expect(none.err).toEqual(['usage: npm run things -- <command>']);
  });

  it.each([
    [['list'], 'things: unknown command "list"\nusage: npm run things -- <command>'],
    [['toString'], 'things: unknown command "toString"\nusage: npm run things -- <command>'],
    [['add', '--colour', 'red'], "things: Unknown option '--colour'"],
    [['remove', 't-1', '--unit', '33'], 'things: remove does not take --unit'],
    [['remove'], 'things: remove takes exactly one thing id'],
    [['remove', 'a', 'b'], 'things: remove takes exactly one thing id'],
    [['add', 'stray'], 'things: unexpected argument "stray"'],
  ])('refuses %j with exit code 2', (args, message) => {
    const { io: sink, err } = io();
    expect(parseCommandLine(SPEC, args, sink)).toBe(2);
    expect(err[0]?.startsWith(message)).toBe(true);
  });
});

describe('reportingRefusals()', () => {
  it("turns the system's refusals into one line and exit code 1, and lets other errors through", async () => {
    const { io: sink, err } = io();
    expect(await reportingRefusals(sink, 'things', async () => 0)).toBe(0);
    expect(
      await reportingRefusals(sink, 'things', async () => {
        throw new RegistryError('not_found', 'No campaign "x"');
      }),
    ).toBe(1);
    expect(
      await reportingRefusals(sink, 'things', async () => {
        throw new CliError('the local system is not running');
      }),
    ).toBe(1);
    expect(err).toEqual(['things: No campaign "x"', 'things: the local system is not running']);
    await expect(
      reportingRefusals(sink, 'things', async () => {
        throw new TypeError('a bug');
      }),
    ).rejects.toThrow('a bug');
  });
});

describe('untilOf() / parseDuration() / campaignIdsOf()', () => {
  it('takes --until as given, or now + --for', () => {
    const now = new Date('2021-03-13T10:00:00Z');
    expect(untilOf({ until: '2021-03-20T18:00:00+07:00' }, now)).toEqual({
      until: '2021-03-20T18:00:00+07:00',
    });
    expect(untilOf({ for: '12h' }, now)).toEqual({ until: '2021-03-13T22:00:00.000Z' });
    expect(untilOf({ for: 'soon' }, now)).toEqual({
      error: '--for must be a duration such as 90m, 12h or 3d (got "soon")',
    });
    expect([parseDuration('90m'), parseDuration('3d'), parseDuration('0h'), parseDuration('1w')]).toEqual([
      5_400_000,
      259_200_000,
      null,
      null,
    ]);
  });

  it('names the one campaign asked for, or every campaign sorted', async () => {
    const campaigns = { listCampaigns: async () => [{ id: 'b' }, { id: 'a' }] } as never;
    expect(await campaignIdsOf(campaigns, 'c')).toEqual(['c']);
    expect(await campaignIdsOf(campaigns, undefined)).toEqual(['a', 'b']);
  });
});
