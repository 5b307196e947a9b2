/**
 * `npm run acknowledgements -- <command>`: the CLI twin of POST/DELETE
 * /v1/campaigns/{campaignId}/units/{unitId}/acknowledgements, through the same service
 * (shared/store/acknowledgement-store.ts). Acts on the running local system, or on a deployed stage
 * with `--stage <name>`.
 */
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
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
import { parseDuration } from './silences.js';
import { CliError, resolveTarget } from './target.js';
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

export interface AcknowledgementsCliContext {
  resolve(stage: string | undefined): Promise<AcknowledgementTarget>;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly actor: string;
  readonly clock?: () => Date;
}

async function resolveAckTarget(stage: string | undefined): Promise<AcknowledgementTarget> {
  const target = await resolveTarget(stage);
  return {
    description: target.description,
    acknowledgements: new DynamoAcknowledgementStore(target.db, target.tables.campaign),
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

const defaultContext: AcknowledgementsCliContext = {
  resolve: resolveAckTarget,
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  actor: `cli:${safeUserName()}`,
};

const OPTIONS = {
  stage: { type: 'string' },
  campaign: { type: 'string' },
  unit: { type: 'string' },
  note: { type: 'string' },
  until: { type: 'string' },
  for: { type: 'string' },
} as const;
type Values = { [K in keyof typeof OPTIONS]?: string };

/** Exit codes: 0 done, 1 the system said no (or is not running), 2 the command line is wrong. */
export async function runAcknowledgementsCli(
  args: readonly string[],
  context: AcknowledgementsCliContext = defaultContext,
): Promise<number> {
  const [command, ...rest] = args;
  if (command === 'help' || command === '--help' || command === '-h') {
    context.out(USAGE.trimEnd());
    return 0;
  }
  if (command !== 'add' && command !== 'list' && command !== 'remove') {
    context.err(
      command === undefined
        ? USAGE.trimEnd()
        : `acknowledgements: unknown command "${command}"\n${USAGE.trimEnd()}`,
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
    add: ['stage', 'campaign', 'unit', 'note', 'until', 'for'],
    list: ['stage', 'campaign', 'unit'],
    remove: ['stage', 'campaign'],
  };
  const extra = (Object.keys(values) as (keyof Values)[]).find((k) => !allowed[command].includes(k));
  if (extra) return usageError(context, `${command} does not take --${extra}`);
  if (values.campaign === undefined) return usageError(context, `${command} needs --campaign`);
  if (command === 'remove' ? positionals.length !== 1 : positionals.length !== 0) {
    return usageError(
      context,
      command === 'remove'
        ? 'remove takes exactly one acknowledgement id'
        : `unexpected argument "${positionals[0]}"`,
    );
  }
  const clock = context.clock ?? (() => new Date());
  let until: string | undefined;
  if (command === 'add') {
    if (values.unit === undefined) return usageError(context, 'add needs --unit');
    if (values.until !== undefined && values.for !== undefined)
      return usageError(context, 'add takes at most one of --until and --for');
    if (values.for !== undefined) {
      const ms = parseDuration(values.for);
      if (ms === null)
        return usageError(context, `--for must be a duration such as 90m, 12h or 3d (got "${values.for}")`);
      until = new Date(clock().getTime() + ms).toISOString();
    } else until = values.until;
  }

  try {
    const target = await context.resolve(values.stage);
    const service = new AcknowledgementService({
      store: target.acknowledgements,
      catalog: new CatalogCache(target.campaigns, 600_000),
      clock,
    });
    const campaignId = values.campaign;
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
        const ack = await service.withdraw(campaignId, positionals[0] as string, context.actor);
        context.out(`withdrew ${ack.id} (unit ${ack.unitId}) in the ${target.description}`);
        return 0;
      }
    }
  } catch (error) {
    if (error instanceof CliError || error instanceof RegistryError) {
      context.err(`acknowledgements: ${error.message}`);
      return 1;
    }
    throw error;
  }
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

function usageError(context: AcknowledgementsCliContext, message: string): 2 {
  context.err(`acknowledgements: ${message}`);
  context.err('usage: npm run acknowledgements -- help');
  return 2;
}

// Run only when executed (tsx infra/local/cli/acknowledgements.ts …), not when imported by a test.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await runAcknowledgementsCli(process.argv.slice(2));
}
