/**
 * `npm run acknowledgements -- <command>`: the CLI twin of POST/DELETE
 * /v1/campaigns/{campaignId}/units/{unitId}/acknowledgements, through the same service
 * (shared/store/acknowledgement-store.ts). Acts on the running local system, or on a deployed stage
 * with `--stage <name>`.
 */
import { CatalogCache } from '../../../shared/catalog/catalog-cache.js';
import type { Acknowledgement } from '../../../shared/domain/alert-policy.js';
import { AcknowledgementInput } from '../../../shared/schemas/alerts.js';
import { fieldErrors } from '../../../shared/schemas/recipients.js';
import {
  AcknowledgementService,
  type AcknowledgementStore,
  DynamoAcknowledgementStore,
} from '../../../shared/store/acknowledgement-store.js';
import { type CampaignStore, DynamoCampaignStore } from '../../../shared/store/campaign-store.js';
import { RegistryError } from '../../../shared/store/recipient-store.js';
import {
  type CliIo,
  type CommandLineSpec,
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

const USAGE = `usage: npm run acknowledgements -- <command> [--stage <name>]

  add --campaign <id> --unit <id> [--note <text>] [--until <ISO 8601> | --for <n>m|h|d]
      Acknowledge the unit: its repeats (and its sub-targets') pause for all its leaders until the
      level worsens or until then (default 3 days, at most 30). Prints the acknowledgement's id.
  list --campaign <id> [--unit <id>]
      Print the acknowledgements that have not ended (withdrawn ones marked).
  remove <acknowledgementId> --campaign <id>
      Withdraw it.

  Without --stage the command acts on the running local system (npm start).
`;

export interface AcknowledgementTarget {
  readonly description: string;
  readonly acknowledgements: AcknowledgementStore;
  readonly campaigns: CampaignStore;
}

export type AcknowledgementsCliContext = RegistryCliContext<AcknowledgementTarget>;

async function resolveAckTarget(stage: string | undefined): Promise<AcknowledgementTarget> {
  const target = await resolveTarget(stage);
  return {
    description: target.description,
    acknowledgements: new DynamoAcknowledgementStore(target.db, target.tables.campaign),
    campaigns: new DynamoCampaignStore(target.db, target.tables.campaign),
  };
}

const defaultContext: AcknowledgementsCliContext = {
  ...consoleIo,
  resolve: resolveAckTarget,
  actor: cliActor(),
};

const OPTIONS = {
  stage: { type: 'string' },
  campaign: { type: 'string' },
  unit: { type: 'string' },
  note: { type: 'string' },
  until: { type: 'string' },
  for: { type: 'string' },
} as const;
const COMMAND_LINE = {
  tool: 'acknowledgements',
  usage: USAGE,
  options: OPTIONS,
  commands: {
    add: { options: ['stage', 'campaign', 'unit', 'note', 'until', 'for'] },
    list: { options: ['stage', 'campaign', 'unit'] },
    remove: { options: ['stage', 'campaign'], id: 'acknowledgement id' },
  },
} as const satisfies CommandLineSpec<string, keyof typeof OPTIONS>;

const usageError = (io: CliIo, message: string) => usageErrorOf(io, COMMAND_LINE.tool, message);

/** Exit codes: 0 done, 1 the system said no (or is not running), 2 the command line is wrong. */
export async function runAcknowledgementsCli(
  args: readonly string[],
  context: AcknowledgementsCliContext = defaultContext,
): Promise<number> {
  const line = parseCommandLine(COMMAND_LINE, args, context);
  if (typeof line === 'number') return line;
  const { command, values } = line;
  if (values.campaign === undefined) return usageError(context, `${command} needs --campaign`);
  const clock = context.clock ?? (() => new Date());
  let until: string | undefined;
  if (command === 'add') {
    if (values.unit === undefined) return usageError(context, 'add needs --unit');
    if (values.until !== undefined && values.for !== undefined)
      return usageError(context, 'add takes at most one of --until and --for');
    const end = untilOf(values, clock());
    if ('error' in end) return usageError(context, end.error);
    until = end.until;
  }

  const campaignId = values.campaign;
  return reportingRefusals(context, COMMAND_LINE.tool, async () => {
    const target = await context.resolve(values.stage);
    const service = new AcknowledgementService({
      store: target.acknowledgements,
      catalog: new CatalogCache(target.campaigns, 600_000),
      clock,
    });
    switch (command) {
      case 'add': {
        const parsed = AcknowledgementInput.safeParse({
          ...(values.note !== undefined && { note: values.note }),
          ...(until !== undefined && { until }),
        });
        if (!parsed.success) {
          const errors = fieldErrors(parsed.error.issues);
          throw new RegistryError('invalid', errors.map((e) => `--${e.path} ${e.message}`).join('; '));
        }
        const ack = await service.add(campaignId, values.unit as string, parsed.data, context.actor);
        context.err(`unit ${ack.unitId} acknowledged until ${ack.until} in the ${target.description}`);
        context.out(ack.id);
        return 0;
      }
      case 'list': {
        await service.view(campaignId);
        const rows = (await target.acknowledgements.endingAfter(campaignId, clock())).filter(
          (a) => values.unit === undefined || a.unitId === values.unit,
        );
        context.err(`${rows.length} acknowledgement(s) in the ${target.description}`);
        for (const line of acknowledgementTable(rows)) context.out(line);
        return 0;
      }
      case 'remove': {
        const ack = await service.withdraw(campaignId, line.id as string, context.actor);
        context.out(`withdrew ${ack.id} (unit ${ack.unitId}) in the ${target.description}`);
        return 0;
      }
    }
  });
}

export function acknowledgementTable(acks: readonly Acknowledgement[]): string[] {
  const header = ['ID', 'UNIT', 'BY', 'AT', 'UNTIL', 'WITHDRAWN', 'NOTE'];
  const rows = acks.map((a) => [
    a.id,
    a.unitId,
    a.createdBy,
    a.createdAt,
    a.until,
    a.deletedAt ?? '',
    a.note ?? '',
  ]);
  return textTable(header, rows);
}

await runWhenExecuted(import.meta.url, (args) => runAcknowledgementsCli(args));
