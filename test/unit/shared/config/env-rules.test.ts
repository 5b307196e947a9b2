/**
 * The environment is read at load by plain rules (no zod at cold start) and by the zod schema for
 * anything they do not clearly accept: both must give the same value, or the same refusal.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ENV_RULES,
  FunctionEnvSchema,
  loadEnv,
  parseEnv,
  plainEnv,
  readEnv,
} from '../../../../shared/config/env.js';

const CANDIDATES: Record<string, readonly string[]> = {
  CAMPAIGN_TABLE: ['Campaign-dev', 'abc', 'ab', '', ' x ', 'Quota-Campaign-prod-1234'],
  INTAKE_EVENTS_TABLE: ['IntakeEvents', 'xyz', 'xy', ''],
  DYNAMODB_ENDPOINT: [
    'http://127.0.0.1:8000',
    'http://localhost:8000/',
    'https://dynamodb.us-east-1.amazonaws.com',
    'not a url',
    'http://',
    ' http://127.0.0.1:8000 ',
    'ftp://example.com',
    '',
  ],
  CATALOG_CACHE_SECONDS: ['0', '60', '3600', '3601', '-1', '1.5', '', ' 5', 'abc', '007', '1e3'],
  POWERTOOLS_METRICS_NAMESPACE: ['QuotaCampaign', 'Other', ''],
  POWERTOOLS_METRICS_DISABLED: ['true', 'false', ''],
  ALERTS_TOPIC_ARN: ['arn:aws:sns:us-east-1:123456789012:alerts', 'arn:', 'sns-topic', ''],
  ROLLUP_FAILURE_FILE: ['/tmp/poison.jsonl', ''],
  DASHBOARD_URL: ['http://127.0.0.1:3000', ''],
};

/** The schema's answer: the value, or the refusal (as parseEnv words it). */
function bySchema(env: Record<string, string>): { value: unknown } | { refused: true } {
  const result = FunctionEnvSchema.safeParse(env);
  return result.success ? { value: result.data } : { refused: true };
}

describe('parseEnv()', () => {
  it('has a plain rule for every variable of the schema, and none for anything else', () => {
    expect(Object.keys(ENV_RULES).sort()).toEqual(Object.keys(FunctionEnvSchema.shape).sort());
  });

  it('agrees with the zod schema on every environment: same value, or a refusal', () => {
    const value = (name: string) =>
      fc.option(fc.oneof(fc.constantFrom(...(CANDIDATES[name] ?? [])), fc.string({ maxLength: 12 })), {
        nil: undefined,
      });
    const envs = fc.record(
      Object.fromEntries(Object.keys(CANDIDATES).map((name) => [name, value(name)])) as Record<
        string,
        fc.Arbitrary<string | undefined>
      >,
    );
    fc.assert(
      fc.property(
        envs,
        fc.constantFrom<Record<string, string>>({}, { PATH: '/usr/bin', AWS_REGION: 'us-east-1' }),
        (picked, extra) => {
          const env: Record<string, string> = { ...extra };
          for (const [k, v] of Object.entries(picked)) if (v !== undefined) env[k] = v;
          const expected = bySchema(env);
          const plain = plainEnv(env);
          if (plain !== undefined) expect(expected).toEqual({ value: plain });
          if ('value' in expected) expect(parseEnv(env)).toEqual(expected.value);
          else expect(() => parseEnv(env)).toThrow(/^Invalid function environment: /);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('reads an environment it parsed before by the rules alone, to the same value', () => {
    const parsed = parseEnv({ CAMPAIGN_TABLE: 'Campaign-dev', CATALOG_CACHE_SECONDS: '120' });
    expect(plainEnv(parsed)).toEqual(parsed);
    expect(plainEnv(parseEnv({}))).toEqual(parseEnv({}));
  });

  it('agrees with the zod schema on integers already parsed to numbers', () => {
    const number = fc.oneof(
      fc.integer({ min: -10, max: 4000 }),
      fc.double({ noNaN: false }),
      fc.constantFrom(0, 60, 3600, 3601, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY),
    );
    fc.assert(
      fc.property(number, number, (cache, settle) => {
        const env = {
          CAMPAIGN_TABLE: 'Campaign-dev',
          CATALOG_CACHE_SECONDS: cache,
          REORGANISE_SETTLE_SECONDS: settle,
        };
        const result = FunctionEnvSchema.safeParse(env);
        const plain = plainEnv(env);
        if (plain !== undefined) expect(result.success && result.data).toEqual(plain);
        if (result.success) expect(parseEnv(env)).toEqual(result.data);
        else expect(() => parseEnv(env)).toThrow(/^Invalid function environment: /);
      }),
      { numRuns: 300 },
    );
  });

  it('loads and reads at use as parseEnv does: same value, or the same refusal', async () => {
    for (const env of [
      { CAMPAIGN_TABLE: 'Campaign-dev' },
      { CATALOG_CACHE_SECONDS: '007' },
      { DYNAMODB_ENDPOINT: 'http://localhost:8000/x?y' },
    ]) {
      await expect(loadEnv(env)).resolves.toEqual(parseEnv(env));
      expect(readEnv(env)).toEqual(parseEnv(env));
    }
    await expect(loadEnv({ CAMPAIGN_TABLE: 'ab' })).rejects.toThrow(
      /^Invalid function environment: CAMPAIGN_TABLE/,
    );
    expect(() => readEnv({ CATALOG_CACHE_SECONDS: '3601' })).toThrow(/CATALOG_CACHE_SECONDS/);
  });

  it('reads the usual environment without the schema, and names a bad variable', () => {
    expect(plainEnv({ CAMPAIGN_TABLE: 'Campaign-dev', DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000' })).toEqual({
      CAMPAIGN_TABLE: 'Campaign-dev',
      DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000',
      CATALOG_CACHE_SECONDS: 60,
      POWERTOOLS_METRICS_NAMESPACE: 'QuotaCampaign',
      REORGANISE_SETTLE_SECONDS: 30,
    });
    expect(() => parseEnv({ CAMPAIGN_TABLE: 'ab' })).toThrow(/CAMPAIGN_TABLE/);
    expect(() => parseEnv({ CATALOG_CACHE_SECONDS: '3601' })).toThrow(/CATALOG_CACHE_SECONDS/);
  });
});
