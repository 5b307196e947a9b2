/**
 * `npm run silences -- <command>`: mute a unit and its subtree until a time, with a reason
 * (docs/ARCHITECTURE.md §4), through the same service as the HTTP API (shared/services/silences.ts). Acts on
 * the running local system, or on a deployed stage with `--stage <name>`.
 */

import { CatalogCache } from '../../../shared/catalog/catalog-cache.js';
import { fieldErrors, SilenceInput, type SilenceRecord } from '../../../shared/schemas/recipients.js';
import { SilenceService } from '../../../shared/services/silences.js';
import { type CampaignStore, DynamoCampaignStore } from '../../../shared/store/campaign-store.js';
import { RegistryError } from '../../../shared/store/recipient-store.js';
import { DynamoSilenceStore, type SilenceStore } from '../../../shared/store/silence-store.js';
import {
  type CliIo,
  type CommandLineSpec,
  campaignIdsOf,
  cliActor,
  consoleIo,
  parseCommandLine,
  type RegistryCliContext,
  reportingRefusals,
  runWhenExecuted,
  untilOf,
  usageError as usageErrorOf,
} from './command-line.js';
import { resolveTarget } from './target.js';
import { textTable } from './text-table.js';

const USAGE = `usage: npm run silences -- <command> [--stage <name>]

  add --campaign <id> --unit <id> (--until <ISO 8601> | --for <n>m|h|d) --reason <text>
      Mute the unit and its whole subtree until then (e.g. --until 2021-03-20T18:00:00+07:00,
      or --for 12h). Prints the new silence's id.
  list [--campaign <id>]
      Print the active silences as a table (every campaign when --campaign is left out).
  remove <silenceId> [--campaign <id>]
      End a silence now.

  Without --stage the command acts on the running local system (npm start).
`;

export interface SilenceTarget {
  readonly description: string;
  readonly silences: SilenceStore;
  readonly campaigns: CampaignStore;
}

export type SilencesCliContext = RegistryCliContext<SilenceTarget>;

async function resolveSilenceTarget(stage: string | undefined): Promise<SilenceTarget> {
  const target = await resolveTarget(stage);
  return {
    description: target.description,
    silences: new DynamoSilenceStore(target.db, target.tables.campaign),
    campaigns: new DynamoCampaignStore(target.db, target.tables.campaign),
  };
}

const defaultContext: SilencesCliContext = { ...consoleIo, resolve: resolveSilenceTarget, actor: cliActor() };

const OPTIONS = {
  stage: { type: 'string' },
  campaign: { type: 'string' },
  unit: { type: 'string' },
  until: { type: 'string' },
  for: { type: 'string' },
  reason: { type: 'string' },
} as const;

const COMMAND_LINE = {
  tool: 'silences',
  usage: USAGE,
  options: OPTIONS,
  commands: {
    add: { options: ['stage', 'campaign', 'unit', 'until', 'for', 'reason'] },
    list: { options: ['stage', 'campaign'] },
    remove: { options: ['stage', 'campaign'], id: 'silence id' },
  },
} as const satisfies CommandLineSpec<string, keyof typeof OPTIONS>;

export { parseDuration } from './command-line.js';

const usageError = (io: CliIo, message: string) => usageErrorOf(io, COMMAND_LINE.tool, message);

/** Exit codes: 0 done, 1 the system said no (or is not running), 2 the command line is wrong. */
export async function runSilencesCli(
  args: readonly string[],
  context: SilencesCliContext = defaultContext,
): Promise<number> {
  const line = parseCommandLine(COMMAND_LINE, args, context);
  if (typeof line === 'number') return line;
  const { command, values } = line;
  const clock = context.clock ?? (() => new Date());
  let until: string | undefined;
  if (command === 'add') {
    const missing = (['campaign', 'unit', 'reason'] as const).filter((k) => values[k] === undefined);
    if (missing.length > 0)
      return usageError(context, `add needs ${missing.map((k) => `--${k}`).join(', ')}`);
    if ((values.until === undefined) === (values.for === undefined)) {
      return usageError(context, 'add needs exactly one of --until and --for');
    }
    const end = untilOf(values, clock());
    if ('error' in end) return usageError(context, end.error);
    until = end.until;
  }

  return reportingRefusals(context, 'silences', async () => {
    const target = await context.resolve(values.stage);
    const service = new SilenceService({
      store: target.silences,
      catalog: new CatalogCache(target.campaigns, 600_000),
      clock,
    });
    const campaignIds = () => campaignIdsOf(target.campaigns, values.campaign);
    switch (command) {
      case 'add': {
        const parsed = SilenceInput.safeParse({ unitId: values.unit, until, reason: values.reason });
        if (!parsed.success) {
          const errors = fieldErrors(parsed.error.issues);
          throw new RegistryError(
            'invalid',
            errors.map((e) => `--${e.path === 'unitId' ? 'unit' : e.path} ${e.message}`).join('; '),
          );
        }
        const silence = await service.add(values.campaign as string, parsed.data, context.actor);
        context.err(
          `unit ${silence.unitId} and its subtree silenced until ${silence.until} in the ${target.description}`,
        );
        context.out(silence.id);
        return 0;
      }
      case 'list': {
        const rows: SilenceRecord[] = [];
        for (const campaignId of await campaignIds()) rows.push(...(await service.listActive(campaignId)));
        context.err(`${rows.length} active silence(s) in the ${target.description}`);
        for (const line of silenceTable(rows)) context.out(line);
        return 0;
      }
      case 'remove': {
        const id = line.id as string;
        for (const campaignId of await campaignIds()) {
          const silence = await service.get(campaignId, id);
          if (!silence) continue;
          await service.remove(campaignId, id);
          context.out(
            `removed ${id} (unit ${silence.unitId}, was until ${silence.until}) from the ${target.description}`,
          );
          return 0;
        }
        throw new RegistryError(
          'not_found',
          `no silence ${id} ${values.campaign ? `in campaign ${values.campaign}` : 'in any campaign'} of the ${target.description}`,
        );
      }
    }
  });
}

export function silenceTable(silences: readonly SilenceRecord[]): string[] {
  const header = ['CAMPAIGN', 'ID', 'UNIT', 'UNTIL', 'BY', 'REASON'];
  const rows = silences.map((s) => [s.campaignId, s.id, s.unitId, s.until, s.createdBy, s.reason]);
  return textTable(header, rows);
}

await runWhenExecuted(import.meta.url, (args) => runSilencesCli(args));
