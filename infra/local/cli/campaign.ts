/**
 * `npm run campaign -- <command>`: check, load and generate campaign files.
 * validate and generate work offline on files; import talks to the running system and
 * lives in campaign-import.ts, loaded only when asked for so the others start fast.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  campaignToCsv,
  formatFromFileName,
  formatProblem,
  parseCampaignText,
} from '../../../shared/catalog/parse.js';
import { countProblems } from '../../../shared/domain/catalog.js';
import { generateNational } from '../../../shared/domain/generate.js';
import { CampaignFile } from '../../../shared/schemas/campaign.js';

const USAGE = `usage: npm run campaign -- <command>

  validate <file.json|file.csv>
      Check a campaign file. Prints each problem as "file:line: severity: path: message"
      on stderr, then a summary line on stdout. Exit 1 when there is an error.
  import <file.json|file.csv> [--stage <name>]
      Load a campaign file into the running local system, or into a deployed stage.
  generate --scale national [--seed <n>] [--format json|csv]
      Print a synthetic national campaign (63 provinces, 705 districts, 10,599 communes)
      on stdout. The same seed (default 1) always gives the same file. To save it, keep
      npm's banner out: npm run -s campaign -- generate --scale national > national.json
`;

/** Exit codes: 0 done, 1 the file or the system said no, 2 the command line is wrong. */
export async function runCampaignCli(args: readonly string[]): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case 'validate':
      return validate(rest);
    case 'generate':
      return generate(rest);
    case 'import': {
      const { runImport } = await import('./campaign-import.js');
      return runImport(rest);
    }
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return 0;
    default:
      return usageError(command === undefined ? undefined : `unknown command "${command}"`, { full: true });
  }
}

async function validate(args: string[]): Promise<number> {
  const parsed = parseCommandLine(args, {});
  if (!parsed) return 2;
  const [fileName, ...extra] = parsed.positionals;
  if (fileName === undefined || extra.length > 0) return usageError('validate takes exactly one file');

  let format: ReturnType<typeof formatFromFileName>;
  try {
    format = formatFromFileName(fileName);
  } catch (error) {
    return usageError((error as Error).message);
  }
  let text: string;
  try {
    text = await readFile(fileName, 'utf8');
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    console.error(`${fileName}: cannot read the file (${code ?? message})`);
    return 1;
  }

  const { problems, unitCount } = parseCampaignText(text, format);
  for (const p of problems) console.error(formatProblem(fileName, p));
  const { errors, warnings } = countProblems(problems);
  console.log(
    `${fileName}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${plural(unitCount, 'unit')}`,
  );
  return errors > 0 ? 1 : 0;
}

function generate(args: string[]): number {
  const parsed = parseCommandLine(args, {
    scale: { type: 'string' },
    seed: { type: 'string', default: '1' },
    format: { type: 'string', default: 'json' },
  });
  if (!parsed) return 2;
  const { scale, seed, format } = parsed.values;
  if (parsed.positionals.length > 0) return usageError(`unexpected argument "${parsed.positionals[0]}"`);
  if (scale !== 'national') {
    return usageError(
      scale === undefined ? '--scale is required (national)' : `unknown scale "${scale}" (known: national)`,
    );
  }
  if (typeof seed !== 'string' || !/^-?\d+$/.test(seed) || !Number.isSafeInteger(Number(seed))) {
    return usageError(`--seed must be a whole number (got "${seed}")`);
  }
  if (format !== 'json' && format !== 'csv') return usageError(`unknown format "${format}" (json or csv)`);

  const file = generateNational({ seed: Number(seed) });
  process.stdout.write(
    format === 'json' ? `${JSON.stringify(file, null, 2)}\n` : campaignToCsv(CampaignFile.parse(file)),
  );
  return 0;
}

type Options = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

function parseCommandLine<O extends Options>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    usageError((error as Error).message);
    return undefined;
  }
}

/** A wrong command line: the message and a pointer to help, or the whole usage when no command was understood. */
function usageError(message: string | undefined, { full = false } = {}): 2 {
  if (message) console.error(`campaign: ${message}`);
  if (full || !message) process.stderr.write(USAGE);
  else console.error('usage: npm run campaign -- help');
  return 2;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

// Run only when executed (tsx infra/local/cli/campaign.ts …), not when imported by a test.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await runCampaignCli(process.argv.slice(2));
}
