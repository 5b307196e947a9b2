/**
 * Intake end to end: the local runtime (DynamoDB Local, gateway, JWT) over real HTTP, as a
 * client app on a bad connection meets it.
 */
import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { IntakeClient, isStored, newEventId } from '../../shared/client/index.js';
import type { IntakeEventInput } from '../../shared/schemas/intake.js';
import { createDocumentClient, localClientConfig } from '../../shared/store/client.js';
import { intakeEventKey } from '../../shared/store/intake-store.js';
import { useLocalRuntime } from '../support/local-runtime.js';

const CAMPAIGN = 'cccd-2021-hung-yen';
// From scenarios/hung-yen-2021.json: two communes of one district, and that district.
const COMMUNE_A = '11977';
const COMMUNE_B = '11980';
const DISTRICT = '323';

describe('POST /v1/intake-events on the local runtime', () => {
  let dropNext = 0;
  const token = async (units: string[], scope = 'intake:write') =>
    local.token({ sub: `post-${units.join('-')}`, units, scope });
  const db = () => createDocumentClient(localClientConfig(local.system.descriptor.dynamoEndpoint));
  const storedCount = async () => {
    const { Count } = await db().send(
      new ScanCommand({
        TableName: local.system.descriptor.tables.intakeEvents,
        Select: 'COUNT',
        ConsistentRead: true,
      }),
    );
    return Count ?? 0;
  };
  const post = async (body: unknown, bearer?: string) =>
    fetch(`${local.system.url}/v1/intake-events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(bearer && { authorization: `Bearer ${bearer}` }) },
      body: JSON.stringify(body),
    });
  const events = (n: number, unitId: string, prefix: string): IntakeEventInput[] =>
    Array.from({ length: n }, (_, i) => ({
      eventId: `${prefix}-${String(i).padStart(4, '0')}`,
      campaignId: CAMPAIGN,
      unitId,
      occurredAt: '2021-03-13T09:30:00+07:00',
      kind: i % 3 === 0 ? 'renewal' : 'new',
    }));

  const local = useLocalRuntime('quota-intake-', {
    dropResponse: (routeKey) => routeKey === 'POST /v1/intake-events' && dropNext-- > 0,
  });

  it('stores 100 events once when the same batch is posted three times; a changed count is one conflict', async () => {
    // Arrange
    const bearer = await token([DISTRICT]);
    const batch = events(100, COMMUNE_A, 'thrice');
    // Act
    const answers = [];
    for (let i = 0; i < 3; i++)
      answers.push(
        (await (await post({ events: batch }, bearer)).json()) as { results: { status: string }[] },
      );
    // Assert
    expect(answers.map((a) => a.results.map((r) => r.status))).toEqual([
      Array(100).fill('accepted'),
      Array(100).fill('duplicate'),
      Array(100).fill('duplicate'),
    ]);
    expect(await storedCount()).toBe(100);

    // Act: the same eventId with another count
    const changed = batch.map((e, i) => (i === 42 ? { ...e, count: 5 } : e));
    const fourth = (await (await post({ events: changed }, bearer)).json()) as {
      results: { status: string }[];
    };
    // Assert: exactly one conflict, nothing changed
    expect(fourth.results.filter((r) => r.status === 'conflict')).toHaveLength(1);
    expect(fourth.results[42]?.status).toBe('conflict');
    expect(await storedCount()).toBe(100);
    const { Item } = await db().send(
      new GetCommand({
        TableName: local.system.descriptor.tables.intakeEvents,
        Key: intakeEventKey(CAMPAIGN, 'thrice-0042'),
      }),
    );
    expect(Item?.count).toBe(1);
    expect(Item?.path).toEqual(['33', DISTRICT]);
  });

  it("rejects a commune token posting for its sibling, stores nothing for it, and lets the district's token post", async () => {
    const [forB] = events(1, COMMUNE_B, 'sibling');
    const before = await storedCount();
    const asA = (await (await post(forB, await token([COMMUNE_A]))).json()) as {
      results: { status: string; error: string }[];
    };
    expect(asA.results[0]).toMatchObject({
      status: 'rejected',
      error: expect.stringContaining('outside the units'),
    });
    expect(await storedCount()).toBe(before);
    const asDistrict = (await (await post(forB, await token([DISTRICT]))).json()) as {
      results: { status: string }[];
    };
    expect(asDistrict.results[0]?.status).toBe('accepted');
    expect(await storedCount()).toBe(before + 1);
  });

  it('answers 401 without a token and 403 without intake:write', async () => {
    const [event] = events(1, COMMUNE_A, 'auth');
    const none = await post(event);
    const readOnly = await post(event, await token([COMMUNE_A], 'progress:read'));
    expect([none.status, readOnly.status]).toEqual([401, 403]);
    // Both answered by the gateway's JWT authorizer, as API Gateway does, before the function runs.
    expect(readOnly.headers.get('content-type')).toBe('application/json');
    expect(await readOnly.json()).toEqual({ message: 'Forbidden' });
  });

  it('the typed client stores every event once although the gateway drops its first two responses', async () => {
    // Arrange: 250 events made once, each with its eventId
    const queue = events(250, COMMUNE_A, 'flaky').map((e) => ({ ...e, eventId: newEventId() }));
    const client = new IntakeClient({
      baseUrl: local.system.url,
      token: await token([COMMUNE_A]),
      baseDelayMs: 10,
      sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 20))),
    });
    const before = await storedCount();
    dropNext = 2;
    // Act
    const outcomes = await client.post(queue);
    // Assert
    expect(dropNext).toBeLessThanOrEqual(0);
    expect(outcomes.map((o) => o.eventId)).toEqual(queue.map((e) => e.eventId));
    expect(outcomes.every(isStored)).toBe(true);
    expect(outcomes.filter((o) => o.status === 'duplicate').length).toBeGreaterThan(0);
    expect(await storedCount()).toBe(before + 250);
  });
});
