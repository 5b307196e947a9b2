import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Logger } from '@aws-lambda-powertools/logger';
import { currentEnv } from '../config/env-rules.js';
import { lazyInstance } from '../util/lazy.js';

/**
 * One structured logger per function (Powertools). Never log tokens or whole bodies:
 * log ids, counts and outcomes.
 *
 * Cold start (bench: the coldstart rows): the logger is constructed at its first use, not when the
 * module loads (constructing a Powertools Logger takes 3–5 ms); it reads the environment then, which
 * in Lambda is the environment it had at load. Source maps are not enabled at start
 * (`--enable-source-maps` costs about a third of the start, see infra/constructs/quota-function.ts);
 * instead, on the error path only, a logged error's `stack` is mapped back to the
 * TypeScript sources with the `index.mjs.map` shipped beside the bundle, read the first time an
 * error is logged.
 */
export function createLogger(serviceName: string): Logger {
  return lazyInstance(
    () =>
      new Logger({
        serviceName: currentEnv().POWERTOOLS_SERVICE_NAME ?? serviceName,
        jsonReplacerFn: mapBundledPositions,
      }),
  );
}

/** The file this code runs from: the bundle in Lambda (index.mjs), this source file under tsx. */
const RUNNING_FILE = fileURLToPath(import.meta.url);
let runningMap: SourceMap | null | undefined;

/**
 * A log item's replacer: maps bundle positions in an error's `stack`, nothing else (Powertools'
 * `location` names only a line of the minified bundle: the stack beside it has the source line).
 */
export function mapBundledPositions(key: string, value: unknown): unknown {
  if (key !== 'stack' || typeof value !== 'string' || !value.includes(RUNNING_FILE)) {
    return value;
  }
  if (runningMap === undefined) runningMap = readSourceMap(`${RUNNING_FILE}.map`);
  return runningMap ? mapStack(value, RUNNING_FILE, runningMap) : value;
}

/** The source map at `path`, or null when there is none (not bundled, or shipped without it). */
export function readSourceMap(path: string): SourceMap | null {
  try {
    return new SourceMap(JSON.parse(readFileSync(path, 'utf8')));
  } catch {
    return null;
  }
}

/**
 * `stack` with every `file:line:column` of `file` (as a path or a file: URL) replaced by the original
 * source position `map` gives (`../../shared/store/x.ts:12:5`); positions it cannot map are kept.
 */
export function mapStack(stack: string, file: string, map: SourceMap): string {
  const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const position = new RegExp(`(?:file://)?${escaped}:(\\d+):(\\d+)`, 'g');
  return stack.replace(position, (whole, line: string, column: string) => {
    const entry = map.findEntry(Number(line) - 1, Number(column) - 1) as {
      originalSource?: string;
      originalLine?: number;
      originalColumn?: number;
    };
    if (!entry.originalSource || entry.originalLine === undefined || entry.originalColumn === undefined) {
      return whole;
    }
    return `${entry.originalSource}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  });
}
