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
  commandLineSpec,
  invalidOptions,
  registryCli,
  registryStoreContext,
  runWhenExecuted,
  untilOf,
} from './command-line.js';
import { campaignTimeZone, localDateTime } from './local-time.js';
import { textTable } from './text-table.js';

const USAGE = `usage: npm run acknowledgements -- <command> [--stage <name>]

  add --campaign <id> --unit <id> [--note <text>] [--until <ISO 8601> | --for <n>m|h|d]
      Acknowledge the unit: its repeats (and its sub-targets') pause for all its leaders until the
      level worsens or until then (default 3 days, at most 30). Prints the acknowledgement's id.
  list --campaign <id> [--unit <id>]
      Print the acknowledgements that have not ended (withdrawn ones marked), times in the
      campaign's time zone.
  remove <acknowledgementId> --campaign <id>
      Withdraw it.

  Without --stage the command acts on the running local system (npm start).
`;

const COMMAND_LINE = commandLineSpec('acknowledgements', USAGE, {
  add: { options: ['stage', 'campaign', 'unit', 'note', 'until', 'for'] },
  list: { options: ['stage', 'campaign', 'unit'] },
  remove: { options: ['stage', 'campaign'], id: 'acknowledgement id' },
});

/** Exit codes: 0 done, 1 the system said no (or is not running), 2 the command line is wrong. */
export const runAcknowledgementsCli = registryCli(
  COMMAND_LINE,
  registryStoreContext(
    'acknowledgements',
    (db, table): AcknowledgementStore => new DynamoAcknowledgementStore(db, table),
  ),
  ({ command, values, id }, usageError, context, clock) => {
    if (values.campaign === undefined) return usageError(`${command} needs --campaign`);
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
    return async (target, catalog) => {
      const service = new AcknowledgementService({ store: target.acknowledgements, catalog, clock });
      switch (command) {
        case 'add': {
          const parsed = AcknowledgementInput.safeParse({
            ...(values.note !== undefined && { note: values.note }),
            ...(until !== undefined && { until }),
          });
          if (!parsed.success) throw invalidOptions(parsed.error.issues);
          const ack = await service.add(campaignId, values.unit as string, parsed.data, context.actor);
          const ends = localDateTime(ack.until, await campaignTimeZone(catalog, campaignId));
          context.err(`unit ${ack.unitId} acknowledged until ${ends} in the ${target.description}`);
          context.out(ack.id);
          return 0;
        }
        case 'list': {
          const { campaign } = await service.view(campaignId);
          const rows = (await target.acknowledgements.endingAfter(campaignId, clock())).filter(
            (a) => values.unit === undefined || a.unitId === values.unit,
          );
          context.err(`${rows.length} acknowledgement(s) in the ${target.description}`);
          for (const row of acknowledgementTable(rows, campaign.timeZone)) context.out(row);
          return 0;
        }
        case 'remove': {
          const ack = await service.withdraw(campaignId, id as string, context.actor);
          context.out(`withdrew ${ack.id} (unit ${ack.unitId}) in the ${target.description}`);
          return 0;
        }
      }
    };
  },
);

/** The acknowledgements as a table, their times in the campaign's time zone. */
export function acknowledgementTable(acks: readonly Acknowledgement[], timeZone: string): string[] {
  const header = ['ID', 'UNIT', 'BY', 'AT', 'UNTIL', 'WITHDRAWN', 'NOTE'];
  const at = (instant: string) => localDateTime(instant, timeZone);
  const rows = acks.map((a) => [
    a.id,
    a.unitId,
    a.createdBy,
    at(a.createdAt),
    at(a.until),
    a.deletedAt ? at(a.deletedAt) : '',
    a.note ?? '',
  ]);
  return textTable(header, rows);
}

await runWhenExecuted(import.meta.url, (args) => runAcknowledgementsCli(args));
