/**
 * What the registry CLIs (acknowledgements, silences, recipients) share: their command lines
 * (`<command> [<id>] --option value …`, each command taking its own options), their answers
 * (exit 0 done, 1 the system said no or is not running, 2 the command line is wrong, with one line
 * naming the tool), who they act as, and running only when executed, not when a test imports them.
 */
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { z } from 'zod';
import { CatalogCache } from '../../../shared/catalog/catalog-cache.js';
import { fieldErrors } from '../../../shared/schemas/issues.js';
import { type CampaignStore, DynamoCampaignStore } from '../../../shared/store/campaign-store.js';
import { RegistryError } from '../../../shared/store/recipient-store.js';
import { CliError, resolveTarget } from './target.js';

/** Where a CLI writes: results on `out`, messages on `err`. */
export interface CliIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

export const consoleIo: CliIo = {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
};

/** What a registry CLI runs with: where it acts (`resolve`), where it writes, as whom, and when. */
export interface RegistryCliContext<T> extends CliIo {
  resolve(stage: string | undefined): Promise<T>;
  /** Who the registry records as the author: cli:<os user>. */
  readonly actor: string;
  readonly clock?: () => Date;
}

/** Who the registry records as the author: cli:<os user>. */
export function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli:unknown';
  }
}

/** A registry CLI's default context: the console, its `resolve`, the OS user as author. */
export function registryCliContext<T>(
  resolve: (stage: string | undefined) => Promise<T>,
): RegistryCliContext<T> {
  return { ...consoleIo, resolve, actor: cliActor() };
}

/** The default context of a CLI of one registry store (`name`) of the Campaign table: `resolveRegistryStores`. */
export function registryStoreContext<K extends string, S>(
  name: K,
  storeOf: (db: DynamoDBDocumentClient, table: string) => S,
): RegistryCliContext<RegistryStores<K, S>> {
  return registryCliContext((stage) => resolveRegistryStores(stage, name, storeOf));
}

/** Where a registry CLI acts: the target's description, its campaigns and one store (under `name`) of its Campaign table. */
export type RegistryStores<K extends string, S> = {
  readonly description: string;
  readonly campaigns: CampaignStore;
} & { readonly [P in K]: S };

/** The local system or the stage (`resolveTarget`), with the campaigns and the registry's store on its Campaign table. */
export async function resolveRegistryStores<K extends string, S>(
  stage: string | undefined,
  name: K,
  storeOf: (db: DynamoDBDocumentClient, table: string) => S,
): Promise<RegistryStores<K, S>> {
  const target = await resolveTarget(stage);
  return {
    description: target.description,
    [name]: storeOf(target.db, target.tables.campaign),
    campaigns: new DynamoCampaignStore(target.db, target.tables.campaign),
  } as RegistryStores<K, S>;
}

/** The catalogue a registry CLI's service checks units against (one command: cached for its run). */
export const cliCatalog = (campaigns: CampaignStore) => new CatalogCache(campaigns, 600_000);

export interface CommandLineSpec<C extends string, K extends string> {
  /** The tool's name, first on each message: `silences: …`. */
  readonly tool: string;
  readonly usage: string;
  /** Every option (all take a string value). */
  readonly options: Readonly<Record<K, { readonly type: 'string' }>>;
  /** Each command with the options it takes and, when it takes one, the name of its one positional id. */
  readonly commands: Readonly<Record<C, { readonly options: readonly K[]; readonly id?: string }>>;
}

/** The options of a command line, all taking a string value: `stringOptions('stage', 'campaign')`. */
export function stringOptions<K extends string>(
  ...names: readonly K[]
): Readonly<Record<K, { readonly type: 'string' }>> {
  return Object.fromEntries(names.map((name) => [name, { type: 'string' } as const])) as Record<
    K,
    { readonly type: 'string' }
  >;
}

/** A command line whose options (all taking a string value) are those its commands take. */
export function commandLineSpec<const C extends string, const K extends string>(
  tool: string,
  usage: string,
  commands: Readonly<Record<C, { readonly options: readonly K[]; readonly id?: string }>>,
): CommandLineSpec<C, K> {
  const names = new Set(
    Object.values<{ readonly options: readonly K[] }>(commands).flatMap((c) => c.options),
  );
  return { tool, usage, options: stringOptions(...names), commands };
}

export interface CommandLine<C extends string, K extends string> {
  readonly command: C;
  readonly values: { readonly [O in K]?: string };
  /** The positional id, for a command that takes one. */
  readonly id: string | undefined;
}

/** Exit code 2 with the message and where to read the usage. */
export function usageError(io: CliIo, tool: string, message: string): 2 {
  io.err(`${tool}: ${message}`);
  io.err(`usage: npm run ${tool} -- help`);
  return 2;
}

/** `add needs --campaign, --unit` when any of the required options is missing; null otherwise. */
export function missingOptions<K extends string>(
  command: string,
  values: { readonly [O in K]?: string },
  required: readonly K[],
): string | null {
  const missing = required.filter((k) => values[k] === undefined);
  return missing.length > 0 ? `${command} needs ${missing.map((k) => `--${k}`).join(', ')}` : null;
}

/**
 * A refusal naming the options at fault (`--until must be …; --reason …`) from the schema's issues;
 * `optionOf` names the option of a field (default `--<field>`).
 */
export function invalidOptions(
  issues: readonly z.core.$ZodIssue[],
  optionOf: (field: string) => string = (field) => `--${field}`,
): RegistryError {
  const errors = fieldErrors(issues).map((e) => ({ ...e, path: optionOf(e.path) }));
  return new RegistryError('invalid', errors.map((e) => `${e.path} ${e.message}`).join('; '), errors);
}

/**
 * The command line, checked: `help` prints the usage (0); an unknown command, an unknown option, an
 * option the command does not take, or a wrong number of positionals is a usage error (2).
 */
export function parseCommandLine<C extends string, K extends string>(
  spec: CommandLineSpec<C, K>,
  args: readonly string[],
  io: CliIo,
): CommandLine<C, K> | 0 | 2 {
  const [command, ...rest] = args;
  if (command === 'help' || command === '--help' || command === '-h') {
    io.out(spec.usage.trimEnd());
    return 0;
  }
  if (command === undefined || !Object.hasOwn(spec.commands, command)) {
    io.err(
      command === undefined
        ? spec.usage.trimEnd()
        : `${spec.tool}: unknown command "${command}"\n${spec.usage.trimEnd()}`,
    );
    return 2;
  }
  const known = spec.commands[command as C];
  let values: { [O in K]?: string };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...rest],
      options: spec.options,
      allowPositionals: true,
      strict: true,
    }) as { values: { [O in K]?: string }; positionals: string[] });
  } catch (error) {
    return usageError(io, spec.tool, (error as Error).message);
  }
  const extra = (Object.keys(values) as K[]).find((k) => !known.options.includes(k));
  if (extra) return usageError(io, spec.tool, `${command} does not take --${extra}`);
  if (known.id !== undefined ? positionals.length !== 1 : positionals.length !== 0) {
    return usageError(
      io,
      spec.tool,
      known.id !== undefined
        ? `${command} takes exactly one ${known.id}`
        : `unexpected argument "${positionals[0]}"`,
    );
  }
  return { command: command as C, values, id: positionals[0] };
}

/**
 * Parses the command line (help and usage errors answered here: 0, 2), then runs the command with
 * `usageError` bound to the tool.
 */
export async function runCommandLine<C extends string, K extends string>(
  spec: CommandLineSpec<C, K>,
  args: readonly string[],
  io: CliIo,
  run: (line: CommandLine<C, K>, usageError: (message: string) => 2) => Promise<number>,
): Promise<number> {
  const line = parseCommandLine(spec, args, io);
  if (typeof line === 'number') return line;
  return run(line, (message) => usageError(io, spec.tool, message));
}

/** What a registry command does once its command line is checked: its work on the target. */
export type RegistryWork<T> = (target: T, catalog: CatalogCache) => Promise<number>;

/**
 * A registry CLI: `(args, context?)` parses the command line (`runCommandLine`), lets `check` answer
 * a usage error (2) or give the command's work, then resolves the target (`--stage`) and does the work
 * with the catalogue its service checks units against, a refusal of the system reported (1).
 * The context is a test's or the default one; the clock the context's or the real one.
 */
export function registryCli<
  C extends string,
  K extends string,
  T extends { readonly campaigns: CampaignStore },
>(
  spec: CommandLineSpec<C, K>,
  defaultContext: RegistryCliContext<T>,
  check: (
    line: CommandLine<C, K>,
    usageError: (message: string) => 2,
    context: RegistryCliContext<T>,
    clock: () => Date,
  ) => 2 | RegistryWork<T>,
): (args: readonly string[], context?: RegistryCliContext<T>) => Promise<number> {
  return (args, context = defaultContext) =>
    runCommandLine(spec, args, context, async (line, usageError) => {
      const work = check(line, usageError, context, context.clock ?? (() => new Date()));
      if (work === 2) return 2;
      return reportingRefusals(context, spec.tool, async () => {
        const target = await context.resolve((line.values as { readonly stage?: string }).stage);
        return work(target, cliCatalog(target.campaigns));
      });
    });
}

/** Runs the work; a refusal of the system (CliError, RegistryError) is one line and exit code 1. */
export async function reportingRefusals(
  io: CliIo,
  tool: string,
  work: () => Promise<number>,
): Promise<number> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof CliError || error instanceof RegistryError) {
      io.err(`${tool}: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

/** The campaign named, or every campaign (sorted) when none is. */
export async function campaignIdsOf(
  campaigns: CampaignStore,
  campaignId: string | undefined,
): Promise<string[]> {
  return campaignId !== undefined ? [campaignId] : (await campaigns.listCampaigns()).map((c) => c.id).sort();
}

/** Runs the CLI when its module is executed (`tsx infra/local/cli/x.ts …`), not when a test imports it. */
export async function runWhenExecuted(
  moduleUrl: string,
  run: (args: readonly string[]) => Promise<number>,
): Promise<void> {
  if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(moduleUrl)) {
    process.exitCode = await run(process.argv.slice(2));
  }
}

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** "90m", "12h", "3d" → milliseconds; null when it is not such a duration. */
export function parseDuration(text: string): number | null {
  const match = /^(\d{1,5})([mhd])$/.exec(text.trim());
  if (!match) return null;
  const n = Number(match[1]);
  return n > 0 ? n * UNIT_MS[match[2] as keyof typeof UNIT_MS] : null;
}

/** An end time from `--until` (as given) or `--for` (from now); the usage error for a bad `--for`. */
export function untilOf(
  values: { readonly until?: string | undefined; readonly for?: string | undefined },
  now: Date,
): { readonly until: string | undefined } | { readonly error: string } {
  if (values.for === undefined) return { until: values.until };
  const ms = parseDuration(values.for);
  if (ms === null) return { error: `--for must be a duration such as 90m, 12h or 3d (got "${values.for}")` };
  return { until: new Date(now.getTime() + ms).toISOString() };
}
