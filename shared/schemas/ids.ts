/**
 * The ids that appear in paths, as plain rules (no zod): the id schemas of campaign.ts, recipients.ts,
 * alerts.ts and identity.ts are built from these rules, and shared/http/params.ts checks a path
 * parameter with them, so an HTTP function starts without evaluating zod and loads it only for the
 * routes that parse a body or a query (bench: the coldstart rows). A rule's check gives exactly the
 * messages its schema gives (test/unit/shared/schemas/ids.test.ts).
 */
import type * as z from 'zod';

/**
 * Names of JavaScript objects' built-in members (`constructor`, `toString`…). As a code or unit id
 * they would be read from an object's prototype wherever counts are kept by key, so they are
 * refused: only `constructor` and `valueOf`-like mixed-case names fit the patterns at all.
 */
const RESERVED_WORDS: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));
export const isReservedWord = (s: string): boolean => RESERVED_WORDS.has(s);
export const reservedMessage = (input: unknown) =>
  `"${String(input)}" is reserved (a built-in name of JavaScript objects); choose another code`;

export interface IdRule {
  readonly pattern: RegExp;
  readonly message: string;
  /** Also refuse JavaScript's built-in member names (checked only once the pattern matched). */
  readonly notReserved?: true;
}

export const ID_RULES = {
  /** Identifiers that become parts of storage keys: no '#', no spaces. */
  campaignId: {
    pattern: /^[a-z0-9][a-z0-9-]{2,63}$/,
    message: 'must be 3 to 64 characters: lowercase letters, digits and "-"',
  },
  unitId: {
    pattern: /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
    message: 'must be 1 to 64 characters: letters, digits, ".", "_" or "-"',
    notReserved: true,
  },
  recipientId: { pattern: /^r-[a-z0-9]{4,32}$/, message: 'must be a recipient id such as r-7k2m9q4x1b' },
  silenceId: { pattern: /^s-[a-z0-9]{4,32}$/, message: 'must be a silence id such as s-4n8p2r6t0v' },
  acknowledgementId: {
    pattern: /^a-[a-z0-9]{4,32}$/,
    message: 'must be an acknowledgement id such as a-4n8p2r6t0v',
  },
  clientId: { pattern: /^[A-Za-z0-9_-]{1,128}$/, message: 'must be a client id' },
} as const satisfies Record<string, IdRule>;
export type IdName = keyof typeof ID_RULES;

/**
 * A code (kinds, groups, levels): not a path id, but plain too, so that the roll-up reads a stored
 * event without zod (shared/rollup/image.ts); Code of campaign.ts is built from it.
 */
export const CODE_PATTERN = /^[a-z][a-z0-9_-]{0,31}$/;

/** What the rule says of `value`: no message when it is valid. */
export function idProblems(rule: IdRule, value: string): string[] {
  if (!rule.pattern.test(value)) return [rule.message];
  if (rule.notReserved && isReservedWord(value)) return [reservedMessage(value)];
  return [];
}

/**
 * Path ids with no plain rule (a report id names a week that must exist; an e-mail address is
 * zod's to judge): their schema module registers the schema when it loads (reports.ts, identity.ts),
 * and the functions with such a route import that module.
 */
export type SchemaIdName = 'reportId' | 'email';
type StringSchema = z.ZodType<string>;
const ID_SCHEMAS = new Map<SchemaIdName, StringSchema>();

export function registerIdSchema(name: SchemaIdName, schema: StringSchema): void {
  ID_SCHEMAS.set(name, schema);
}

/** The registered schema of `name`; a function that serves such a route without loading it is a wiring mistake. */
export function idSchema(name: SchemaIdName): StringSchema {
  const schema = ID_SCHEMAS.get(name);
  if (!schema) throw new Error(`No schema registered for the path id ${name} (import its schema module)`);
  return schema;
}
