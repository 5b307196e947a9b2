/**
 * The command lines of the local tools (npm start, token, job, campaign import, simulate): options
 * named by kind, checked strictly by node:util's parseArgs; a wrong one answered with the parser's
 * message and the usage on stderr.
 */
import { parseArgs } from 'node:util';

export interface OptionNames<S extends string, B extends string> {
  /** Options taking a value. */
  readonly strings?: readonly S[];
  /** Options taking none (true when given). */
  readonly flags?: readonly B[];
  /** One-letter aliases: `{ help: 'h' }`. */
  readonly short?: Readonly<Partial<Record<S | B, string>>>;
  /** Whether arguments other than options are allowed (default no). */
  readonly positionals?: boolean;
}

export interface Arguments<S extends string, B extends string> {
  readonly values: { readonly [K in S]?: string } & { readonly [K in B]?: boolean };
  readonly positionals: readonly string[];
}

/**
 * The command line, checked; when it is wrong (an unknown option, a missing value, an argument where
 * none is allowed): the parser's message and the usage on stderr, after `<tool>: ` when a tool is
 * named, and null.
 */
export function parseArguments<const S extends string = never, const B extends string = never>(
  argv: readonly string[],
  names: OptionNames<S, B>,
  usage: string,
  tool?: string,
): Arguments<S, B> | null {
  const option = (name: S | B, type: 'string' | 'boolean') => {
    const short = names.short?.[name];
    return [name, short === undefined ? { type } : { type, short }] as const;
  };
  const options = Object.fromEntries([
    ...(names.strings ?? []).map((name) => option(name, 'string')),
    ...(names.flags ?? []).map((name) => option(name, 'boolean')),
  ]);
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options,
      allowPositionals: names.positionals === true,
      strict: true,
    });
    return { values: values as Arguments<S, B>['values'], positionals };
  } catch (error) {
    console.error(`${tool === undefined ? '' : `${tool}: `}${(error as Error).message}\n${usage}`);
    return null;
  }
}

/** A command line of options and exactly one argument (a file, a job); otherwise the usage on stderr and null. */
export function parseOneArgument<const S extends string = never, const B extends string = never>(
  argv: readonly string[],
  names: Omit<OptionNames<S, B>, 'positionals'>,
  usage: string,
): { readonly values: Arguments<S, B>['values']; readonly argument: string } | null {
  const parsed = parseArguments(argv, { ...names, positionals: true }, usage);
  if (!parsed) return null;
  const [argument, ...extra] = parsed.positionals;
  if (!argument || extra.length > 0) {
    console.error(usage);
    return null;
  }
  return { values: parsed.values, argument };
}

/**
 * What a failed answer of the local system says: the first of `fields` present in its JSON body
 * (problem+json's `detail`, the gateway's own `message`, …), or the body as is.
 */
export function answerDetail(text: string, fields: readonly string[]): string {
  try {
    const answer = JSON.parse(text) as Record<string, unknown>;
    for (const field of fields) {
      const value = answer[field];
      if (value !== undefined && value !== null) return String(value);
    }
  } catch {
    // not JSON: as is
  }
  return text;
}
