/**
 * `npm run acknowledgements -- <command>`: the CLI twin of POST/DELETE
 * /v1/campaigns/{campaignId}/units/{unitId}/acknowledgements, through the same service
 * (shared/store/acknowledgement-store.ts). Acts on the running local system, or on a deployed stage
 * with `--stage <name>`.
 */
import type { Acknowledgement } from '../../../shared/domain/alert-policy.js';
import { AcknowledgementInput } from '../../../shared/schemas/alerts.js';
import {
  AcknowledgementService,
  type AcknowledgementStore,
  DynamoAcknowledgementStore,
} from '../../../shared/store/acknowledgement-store.js';
import {
  type CommandLineSpec,
  cliCatalog,
  invalidOptions,
  type RegistryCliContext,
  type RegistryStores,
  registryCliContext,
  reportingRefusals,
  resolveRegistryStores,
  runCommandLine,
  runWhenExecuted,
  stringOptions,
  untilOf,
} from './command-line.js';
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

export type AcknowledgementTarget = RegistryStores<'acknowledgements', AcknowledgementStore>;

export type AcknowledgementsCliContext = RegistryCliContext<AcknowledgementTarget>;

const defaultContext: AcknowledgementsCliContext = registryCliContext((stage) =>
  resolveRegistryStores(stage, 'acknowledgements', (db, table) => new DynamoAcknowledgementStore(db, table)),
);

const OPTIONS = stringOptions('stage', 'campaign', 'unit', 'note', 'until', 'for');
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

/** Exit codes: 0 done, 1 the system said no (or is not running), 2 the command line is wrong. */
export function runAcknowledgementsCli(
  args: readonly string[],
  context: AcknowledgementsCliContext = defaultContext,
): Promise<number> {
  return runCommandLine(COMMAND_LINE, args, context, async ({ command, values, id }, usageError) => {
    if (values.campaign === undefined) return usageError(`${command} needs --campaign`);
    const clock = context.clock ?? (() => new Date());
    let until: string | undefined;
    if (command === 'add') {
      if (values.unit === undefined) return usageError('add needs --unit');
      if (values.until !== undefined && values.for !== undefined)
        return usageError('add takes at most one of --until and --for');
      const end = untilOf(values, clock());
      if ('error' in end) return usageError(end.error);
      until = end.until;
    }

    const campaignId = values.campaign;
    return reportingRefusals(context, COMMAND_LINE.tool, async () => {
      const target = await context.resolve(values.stage);
      const service = new AcknowledgementService({
        store: target.acknowledgements,
        catalog: cliCatalog(target.campaigns),
        clock,
      });
      switch (command) {
        case 'add': {
          const parsed = AcknowledgementInput.safeParse({
            ...(values.note !== undefined && { note: values.note }),
            ...(until !== undefined && { until }),
          });
          if (!parsed.success) throw invalidOptions(parsed.error.issues);
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
          for (const row of acknowledgementTable(rows)) context.out(row);
          return 0;
        }
        case 'remove': {
          const ack = await service.withdraw(campaignId, id as string, context.actor);
          context.out(`withdrew ${ack.id} (unit ${ack.unitId}) in the ${target.description}`);
          return 0;
        }
      }
    });
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
