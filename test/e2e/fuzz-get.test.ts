/**
 * Fuzzing every GET route's path and query parameters over real HTTP on the local runtime: whatever
 * arrives, the answer is never a 5xx, every request completes (each has its own timeout, and the
 * test's timeout catches a hang), and the system still answers afterwards.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { functions } from '../../infra/topology.js';
import { useLocalRuntime } from '../support/local-runtime.js';

const CAMPAIGN = 'cccd-2021-hung-yen';
const RUNS = 2_000;

/** Path segment values: real ids, near misses, encodings good and bad, unicode, and very long ones. */
const segment = fc.oneof(
  fc.constantFrom(CAMPAIGN, '33', '323', '11977', 'r-abcd1234', 's-abcd1234', '33:2021-W10', '33:final'),
  fc.constantFrom('%ZZ', '%', '%00', '%2F', '..', '.', 'constructor', '__proto__', 'toString', '*', '%2A'),
  fc.string({ unit: 'binary', maxLength: 40 }).map(encodeURIComponent),
  fc.stringMatching(/^[A-Za-z0-9%._~:-]{1,30}$/),
  fc.nat({ max: 4000 }).map((n) => 'x'.repeat(n)),
);

/** Query values: days near and far, date-times, numbers, junk. */
const queryValue = fc.oneof(
  fc.constantFrom(
    '9999-12-31',
    '0000-01-01',
    '2021-02-30',
    '2021-03-13',
    '1999-12-31',
    '2100-12-31',
    '2101-01-01',
  ),
  fc
    .date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true })
    .map((d) => d.toISOString()),
  fc.constantFrom(
    '2021-03-13T22:30:00+07:00',
    '2021-03-13T22:30:00 07:00',
    '+275760-09-13T00:00:00Z',
    'now',
    '',
  ),
  fc.constantFrom('2021-W10', '2020-W53', 'final', 'vi', 'en', 'fr', 'true'),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.nat({ max: 3000 }).map((n) => '9'.repeat(n)),
);
const queryKey = fc.oneof(
  fc.constantFrom('from', 'to', 'asOf', 'unitId', 'period', 'lang', 'allowRemoval'),
  fc.string({ maxLength: 10 }),
);
const query = fc.array(fc.tuple(queryKey, queryValue), { maxLength: 4 });

const getRoutes = functions.flatMap((f) => f.routes.filter((r) => r.method === 'GET').map((r) => r.path));

describe('fuzzing the GET routes (local runtime, real HTTP)', () => {
  let bearer: string;
  let leader: string;

  const local = useLocalRuntime('quota-fuzz-', { schedules: false }, async (runtime) => {
    bearer = await runtime.token({ sub: 'fuzz-national', units: ['*'], scope: 'progress:read admin' });
    leader = await runtime.token({ sub: 'fuzz-district', units: ['323'], scope: 'progress:read' });
  });

  it(`never answers 5xx nor hangs, over ${RUNS} requests; the system answers afterwards`, async () => {
    expect(getRoutes.length).toBeGreaterThanOrEqual(6);
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...getRoutes),
        fc.array(segment, { minLength: 4, maxLength: 4 }),
        query,
        fc.boolean(),
        async (route, values, pairs, national) => {
          let i = 0;
          const path = route.replace(/\{\w+\}/g, () => values[i++] ?? 'x');
          const search = pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
          const response = await fetch(`${local.system.url}${path}${search ? `?${search}` : ''}`, {
            headers: { authorization: `Bearer ${national ? bearer : leader}` },
            signal: AbortSignal.timeout(15_000),
          });
          await response.arrayBuffer();
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          if (response.status >= 500) throw new Error(`${response.status} for GET ${path}?${search}`);
        },
      ),
      { numRuns: RUNS, seed: 20260410, endOnFailure: true },
    );
    // Both valid and refused requests were made (the generator reaches real data, not only 400s).
    expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(0);
    // Still answering.
    const after = await fetch(`${local.system.url}/v1/campaigns/${CAMPAIGN}/units/323/progress`, {
      headers: { authorization: `Bearer ${leader}` },
    });
    expect(after.status).toBe(200);
  }, 600_000);
});
