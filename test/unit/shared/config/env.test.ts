/**
 * shared/config/env.ts: every environment variable the code reads is in the schema and read only
 * through it, so a missing or bad one fails at load with its name. Checked over the tree: no
 * `process.env` in functions/ or shared/ outside env.ts, and every variable the stack or the local
 * runtime gives a function is declared.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALERTS_TOPIC_ENV } from '../../../../infra/constructs/alerts-topic.js';
import { failureQueueEnvVar } from '../../../../infra/constructs/stream-consumer.js';
import { functions, tables } from '../../../../infra/topology.js';
import { awsOrLocal, ENV_NAMES, parseEnv, requireVar } from '../../../../shared/config/env.js';
import { withoutComments } from '../../../support/import-rules.js';

const ROOT = join(import.meta.dirname, '..', '..', '..', '..');
const ENV_MODULE = 'shared/config/env.ts';
/** The plain rules' module (no zod): the schema's companion, the one other reader. */
const ENV_RULES_MODULE = 'shared/config/env-rules.ts';

function sourcesUnder(folder: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(join(ROOT, folder), { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) found.push(...sourcesUnder(path));
    else if (entry.isFile() && entry.name.endsWith('.ts')) found.push(path.split(sep).join('/'));
  }
  return found;
}

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** Each `process.env` read in the source (any form: `.X`, `['X']`, the whole object), as `file:line X`. */
function environmentReads(file: string, source: string): string[] {
  const code = withoutComments(source);
  return [...code.matchAll(/\bprocess\s*\.\s*env\b(?:\s*\.\s*(\w+)|\s*\[\s*['"`]?([\w$]+))?/g)].map(
    (m) => `${file}:${code.slice(0, m.index).split('\n').length} ${m[1] ?? m[2] ?? '(whole environment)'}`,
  );
}

describe('the environment schema', () => {
  it('is the only reader of process.env in functions/ and shared/', () => {
    const files = [...sourcesUnder('functions'), ...sourcesUnder('shared')];
    expect(files).toContain(ENV_MODULE);
    const reads = files.flatMap((file) => environmentReads(file, read(file)));
    // The scan sees env.ts's own reads (an empty scan would pass vacuously).
    expect(reads.filter((r) => r.startsWith(`${ENV_MODULE}:`)).length).toBeGreaterThan(0);
    expect(
      reads.filter((r) => !r.startsWith(`${ENV_MODULE}:`) && !r.startsWith(`${ENV_RULES_MODULE}:`)),
    ).toEqual([]);
  });

  it('finds every form of read, outside comments only', () => {
    const source = [
      '// process.env.IN_A_COMMENT',
      'const a = process.env.ALERTS_TOPIC_ARN;',
      "const b = process.env['DASHBOARD_URL'];",
      'const { X } = process.env;',
      '/* process.env.NOPE */ const c = process .env. ROLLUP_FAILURE_FILE;',
    ].join('\n');
    expect(environmentReads('f.ts', source)).toEqual([
      'f.ts:2 ALERTS_TOPIC_ARN',
      'f.ts:3 DASHBOARD_URL',
      'f.ts:4 (whole environment)',
      'f.ts:5 ROLLUP_FAILURE_FILE',
    ]);
  });

  it('declares every variable the stack and the local runtime give a function', () => {
    const given = new Set<string>();
    for (const table of Object.values(tables)) given.add(table.envVar);
    for (const fn of functions) if (fn.stream) given.add(failureQueueEnvVar(fn.name));
    given.add(ALERTS_TOPIC_ENV);
    for (const file of sourcesUnder('infra').filter((f) => !f.startsWith('infra/local/cli/'))) {
      const code = withoutComments(read(file));
      for (const m of code.matchAll(/addEnvironment\(\s*'(\w+)'/g)) given.add(m[1] as string);
    }
    // The keys of the stack's common environment and of the local runtime's.
    for (const [file, anchor] of [
      ['infra/constructs/quota-function.ts', 'environment: {'],
      ['infra/local/runtime/environment.ts', 'Object.assign(process.env, {'],
    ] as const) {
      const code = withoutComments(read(file));
      const start = code.indexOf(anchor);
      expect(start, `${file} ${anchor}`).toBeGreaterThan(-1);
      const block = code.slice(start, code.indexOf('}', start));
      for (const m of block.matchAll(/^\s*([A-Z][A-Z0-9_]+):/gm)) given.add(m[1] as string);
    }
    // The SDK's own variables, set by the runtime for DynamoDB Local, are the SDK's business.
    for (const sdk of ['AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']) given.delete(sdk);
    expect(given.size).toBeGreaterThan(8);
    expect([...given].filter((name) => !(ENV_NAMES as string[]).includes(name)).sort()).toEqual([]);
  });

  it('fails at load naming a bad variable, and names a missing required one', () => {
    expect(() => parseEnv({ CAMPAIGN_TABLE: 'x' })).toThrow(/CAMPAIGN_TABLE/);
    expect(() => parseEnv({ CATALOG_CACHE_SECONDS: 'soon' })).toThrow(/CATALOG_CACHE_SECONDS/);
    expect(() => parseEnv({ ALERTS_TOPIC_ARN: 'alerts' })).toThrow(
      /ALERTS_TOPIC_ARN: must be an SNS topic ARN/,
    );
    expect(() => requireVar(parseEnv({}), 'INTAKE_EVENTS_TABLE')).toThrow(
      'Missing environment variable INTAKE_EVENTS_TABLE',
    );
    expect(parseEnv({}).POWERTOOLS_METRICS_NAMESPACE).toBe('QuotaCampaign');
  });

  it('requires an AWS-only setting inside Lambda, unless its local stand-in is set', () => {
    const inLambda = { AWS_LAMBDA_FUNCTION_NAME: 'Rollup' };
    expect(() => awsOrLocal(parseEnv(inLambda), 'ROLLUP_FAILURE_QUEUE_URL', 'ROLLUP_FAILURE_FILE')).toThrow(
      'Missing environment variable ROLLUP_FAILURE_QUEUE_URL',
    );
    expect(
      awsOrLocal(
        parseEnv({ ...inLambda, ROLLUP_FAILURE_FILE: '/tmp/f' }),
        'ROLLUP_FAILURE_QUEUE_URL',
        'ROLLUP_FAILURE_FILE',
      ),
    ).toEqual({ aws: undefined, local: '/tmp/f' });
    expect(awsOrLocal(parseEnv({}), 'ALERTS_TOPIC_ARN')).toEqual({ aws: undefined, local: undefined });
  });
});
