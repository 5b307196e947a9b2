/**
 * `npm run silences -- <command>`: mute a unit and its subtree until a time, with a reason
 * (docs/ARCHITECTURE.md §4), through the same service as the HTTP API (shared/services/silences.ts). Acts on
 * the running local system, or on a deployed stage with `--stage <name>`.
 */

import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CatalogCache } from '../../../shared/catalog/catalog-cache.js';
import { fieldErrors, SilenceInput, type SilenceRecord } from '../../../shared/schemas/recipients.js';
import { SilenceService } from '../../../shared/services/silences.js';
import { type CampaignStore, DynamoCampaignStore } from '../../../shared/store/campaign-store.js';
import { RegistryError } from '../../../shared/store/recipient-store.js';
import { DynamoSilenceStore, type SilenceStore } from '../../../shared/store/silence-store.js';
import { CliError, resolveTarget } from './target.js';
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

export interface SilencesCliContext {
  resolve(stage: string | undefined): Promise<SilenceTarget>;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly actor: string;
  readonly clock?: () => Date;
}

async function resolveSilenceTarget(stage: string | undefined): Promise<SilenceTarget> {
  const target = await resolveTarget(stage);
  return {
    description: target.description,
    silences: new DynamoSilenceStore(target.db, target.tables.campaign),
    campaigns: new DynamoCampaignStore(target.db, target.tables.campaign),
  };
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

const defaultContext: SilencesCliContext = {
  resolve: resolveSilenceTarget,
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  actor: `cli:${safeUserName()}`,
};

const OPTIONS = {
  stage: { type: 'string' },
  campaign: { type: 'string' },
  unit: { type: 'string' },
  until: { type: 'string' },
  for: { type: 'string' },
  reason: { type: 'string' },
} as const;

type Values = { [K in keyof typeof OPTIONS]?: string };

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** "90m", "12h", "3d" → milliseconds; null when it is not such a duration. */
export function parseDuration(text: string): number | null {
  const match = /^(\d{1,5})([mhd])$/.exec(text.trim());
  if (!match) return null;
  const n = Number(match[1]);
  return n > 0 ? n * UNIT_MS[match[2] as keyof typeof UNIT_MS] : null;
}

/** Exit codes: 0 done, 1 the system said no (or is not running), 2 the command line is wrong. */
export async function runSilencesCli(
  args: readonly string[],
  context: SilencesCliContext = defaultContext,
): Promise<number> {
  const [command, ...rest] = args;
  if (command === 'help' || command === '--help' || command === '-h') {
    context.out(USAGE.trimEnd());
    return 0;
  }
  if (command !== 'add' && command !== 'list' && command !== 'remove') {
    context.err(
      command === undefined ? USAGE.trimEnd() : `silences: unknown command "${command}"\n${USAGE.trimEnd()}`,
    );
    return 2;
  }
  let values: Values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: rest,
      options: OPTIONS,
      allowPositionals: true,
      strict: true,
    }));
  } catch (error) {
    return usageError(context, (error as Error).message);
  }
  const allowed: Record<typeof command, readonly (keyof Values)[]> = {
    add: ['stage', 'campaign', 'unit', 'until', 'for', 'reason'],
    list: ['stage', 'campaign'],
    remove: ['stage', 'campaign'],
  };
  const extra = (Object.keys(values) as (keyof Values)[]).find((k) => !allowed[command].includes(k));
  if (extra) return usageError(context, `${command} does not take --${extra}`);
  if (command === 'remove' ? positionals.length !== 1 : positionals.length !== 0) {
    return usageError(
      context,
      command === 'remove'
        ? 'remove takes exactly one silence id'
        : `unexpected argument "${positionals[0]}"`,
    );
  }
  const clock = context.clock ?? (() => new Date());
  let until: string | undefined;
  if (command === 'add') {
    const missing = (['campaign', 'unit', 'reason'] as const).filter((k) => values[k] === undefined);
    if (missing.length > 0)
      return usageError(context, `add needs ${missing.map((k) => `--${k}`).join(', ')}`);
    if ((values.until === undefined) === (values.for === undefined)) {
      return usageError(context, 'add needs exactly one of --until and --for');
    }
    if (values.for !== undefined) {
      const ms = parseDuration(values.for);
      if (ms === null)
        return usageError(context, `--for must be a duration such as 90m, 12h or 3d (got "${values.for}")`);
      until = new Date(clock().getTime() + ms).toISOString();
    } else {
      until = values.until;
    }
  }

  try {
    const target = await context.resolve(values.stage);
    const service = new SilenceService({
      store: target.silences,
      catalog: new CatalogCache(target.campaigns, 600_000),
      clock,
    });
    const campaignIds = async () =>
      values.campaign !== undefined
        ? [values.campaign]
        : (await target.campaigns.listCampaigns()).map((c) => c.id).sort();
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
        const id = positionals[0] as string;
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
  } catch (error) {
    if (error instanceof CliError || error instanceof RegistryError) {
      context.err(`silences: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

export function silenceTable(silences: readonly SilenceRecord[]): string[] {
  const header = ['CAMPAIGN', 'ID', 'UNIT', 'UNTIL', 'BY', 'REASON'];
  const rows = silences.map((s) => [s.campaignId, s.id, s.unitId, s.until, s.createdBy, s.reason]);
  return textTable(header, rows);
}

function usageError(context: SilencesCliContext, message: string): 2 {
  context.err(`silences: ${message}`);
  context.err('usage: npm run silences -- help');
  return 2;
}

// Run only when executed (tsx infra/local/cli/silences.ts …), not when imported by a test.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await runSilencesCli(process.argv.slice(2));
}
