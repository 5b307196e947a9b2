/**
 * `npm run silences -- <command>`: mute a unit and its subtree until a time, with a reason
 * (docs/ARCHITECTURE.md §4), through the same service as the HTTP API (shared/services/silences.ts). Acts on
 * the running local system, or on a deployed stage with `--stage <name>`.
 */

import { SilenceInput, type SilenceRecord } from '../../../shared/schemas/recipients.js';
import { SilenceService } from '../../../shared/services/silences.js';
import { RegistryError } from '../../../shared/store/recipient-store.js';
import { DynamoSilenceStore, type SilenceStore } from '../../../shared/store/silence-store.js';
import {
  campaignIdsOf,
  commandLineSpec,
  invalidOptions,
  missingOptions,
  registryCli,
  registryStoreContext,
  runWhenExecuted,
  untilOf,
} from './command-line.js';
import { campaignTimeZone, localDateTime } from './local-time.js';
import { textTable } from './text-table.js';

const USAGE = `usage: npm run silences -- <command> [--stage <name>]

  add --campaign <id> --unit <id> (--until <ISO 8601> | --for <n>m|h|d) --reason <text>
      Mute the unit and its whole subtree until then (e.g. --until 2021-03-20T18:00:00+07:00,
      or --for 12h). Prints the new silence's id.
  list [--campaign <id>]
      Print the active silences as a table, ends in each campaign's time zone (every campaign
      when --campaign is left out).
  remove <silenceId> [--campaign <id>]
      End a silence now.

  Without --stage the command acts on the running local system (npm start).
`;

const COMMAND_LINE = commandLineSpec('silences', USAGE, {
  add: { options: ['stage', 'campaign', 'unit', 'until', 'for', 'reason'] },
  list: { options: ['stage', 'campaign'] },
  remove: { options: ['stage', 'campaign'], id: 'silence id' },
});

export { parseDuration } from './command-line.js';

/** Exit codes: 0 done, 1 the system said no (or is not running), 2 the command line is wrong. */
export const runSilencesCli = registryCli(
  COMMAND_LINE,
  registryStoreContext('silences', (db, table): SilenceStore => new DynamoSilenceStore(db, table)),
  ({ command, values, id: positional }, usageError, context, clock) => {
    let until: string | undefined;
    if (command === 'add') {
      const missing = missingOptions(command, values, ['campaign', 'unit', 'reason']);
      if (missing) return usageError(missing);
      if ((values.until === undefined) === (values.for === undefined)) {
        return usageError('add needs exactly one of --until and --for');
      }
      const end = untilOf(values, clock());
      if ('error' in end) return usageError(end.error);
      until = end.until;
    }

    return async (target, catalog) => {
      const service = new SilenceService({ store: target.silences, catalog, clock });
      const campaignIds = () => campaignIdsOf(target.campaigns, values.campaign);
      switch (command) {
        case 'add': {
          const parsed = SilenceInput.safeParse({ unitId: values.unit, until, reason: values.reason });
          if (!parsed.success) {
            throw invalidOptions(parsed.error.issues, (field) => `--${field === 'unitId' ? 'unit' : field}`);
          }
          const silence = await service.add(values.campaign as string, parsed.data, context.actor);
          const timeZone = await campaignTimeZone(catalog, silence.campaignId);
          context.err(
            `unit ${silence.unitId} and its subtree silenced until ${localDateTime(silence.until, timeZone)} in the ${target.description}`,
          );
          context.out(silence.id);
          return 0;
        }
        case 'list': {
          const rows: SilenceRecord[] = [];
          const timeZones = new Map<string, string>();
          for (const campaignId of await campaignIds()) {
            const active = await service.listActive(campaignId);
            rows.push(...active);
            if (active.length > 0) timeZones.set(campaignId, await campaignTimeZone(catalog, campaignId));
          }
          context.err(`${rows.length} active silence(s) in the ${target.description}`);
          for (const row of silenceTable(rows, (campaignId) => timeZones.get(campaignId))) context.out(row);
          return 0;
        }
        case 'remove': {
          const id = positional as string;
          for (const campaignId of await campaignIds()) {
            const silence = await service.get(campaignId, id);
            if (!silence) continue;
            await service.remove(campaignId, id);
            const until = localDateTime(silence.until, await campaignTimeZone(catalog, campaignId));
            context.out(
              `removed ${id} (unit ${silence.unitId}, was until ${until}) from the ${target.description}`,
            );
            return 0;
          }
          throw new RegistryError(
            'not_found',
            `no silence ${id} ${values.campaign ? `in campaign ${values.campaign}` : 'in any campaign'} of the ${target.description}`,
          );
        }
      }
    };
  },
);

/** The silences as a table, their ends in each campaign's time zone (ISO where a zone is not known). */
export function silenceTable(
  silences: readonly SilenceRecord[],
  timeZoneOf: (campaignId: string) => string | undefined = () => undefined,
): string[] {
  const header = ['CAMPAIGN', 'ID', 'UNIT', 'UNTIL', 'BY', 'REASON'];
  const rows = silences.map((s) => {
    const timeZone = timeZoneOf(s.campaignId);
    const until = timeZone ? localDateTime(s.until, timeZone) : s.until;
    return [s.campaignId, s.id, s.unitId, until, s.createdBy, s.reason];
  });
  return textTable(header, rows);
}

await runWhenExecuted(import.meta.url, (args) => runSilencesCli(args));
