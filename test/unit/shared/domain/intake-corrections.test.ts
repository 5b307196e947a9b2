import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { makeHandler } from '../../../../functions/intake.js';
import { authorizeImport } from '../../../../shared/domain/campaign-authority.js';
import { buildHierarchy } from '../../../../shared/domain/hierarchy.js';
import { placeUnits, planImport } from '../../../../shared/domain/import-plan.js';
import { payloadHash } from '../../../../shared/domain/intake.js';
import { CampaignFile } from '../../../../shared/schemas/campaign.js';
import { intakeItem } from '../../../../shared/store/intake-store.js';
import { aCampaignFile, anHttpEvent, anIntakeEvent, type EventOptions } from '../../../support/builders.js';
import { aCatalogView, fixedCatalog } from '../../../support/catalog.js';
import { MemoryIntakeStore } from '../../../support/memory-intake-store.js';

const NOW = new Date('2021-04-20T10:00:00Z');
const post = (
  body: unknown,
  claims: EventOptions['claims'] = { sub: 'officer-12001', scope: 'intake:write', units: ['12001'] },
) => anHttpEvent({ method: 'POST', path: '/v1/intake-events', body, claims });
type Result = { eventId: string | null; status: string; error?: string };
const results = (body: string | undefined) => (JSON.parse(body ?? 'null') as { results: Result[] }).results;

const ORIGINAL = anIntakeEvent({
  eventId: 'tally-370-001',
  unitId: '12001',
  count: 370,
  kind: 'renewal',
  channel: 'mobile',
  group: 'official',
  occurredAt: '2021-03-13T09:30:00+07:00',
});
const correction = (overrides: Record<string, unknown> = {}) => ({
  eventId: 'fix-370-to-37',
  campaignId: 'cccd-2021-test',
  unitId: '12001',
  occurredAt: '2021-03-20T16:00:00+07:00',
  corrects: 'tally-370-001',
  count: 37,
  reason: 'typed 370 for 37',
  ...overrides,
});

describe('POST /v1/intake-events: corrections', () => {
  let store: MemoryIntakeStore;
  let handler: ReturnType<typeof makeHandler>;
  const make = (windowDays?: number) =>
    makeHandler({
      catalog: fixedCatalog(
        aCatalogView(
          aCampaignFile(windowDays === undefined ? {} : { campaign: { correctionWindowDays: windowDays } }),
        ),
      ),
      events: store,
      clock: () => NOW,
    });
  beforeEach(async () => {
    store = new MemoryIntakeStore();
    handler = make();
    expect(results((await handler(post(ORIGINAL))).body)[0]?.status).toBe('accepted');
  });

  it("stores a correction with the original's day, kind, channel, group, count and occurredAt, and who sent it why", async () => {
    const response = await handler(post(correction()));
    expect(results(response.body)).toEqual([{ eventId: 'fix-370-to-37', status: 'accepted' }]);
    const stored = store.items.get('cccd-2021-test#fix-370-to-37');
    expect(stored).toMatchObject({
      unitId: '12001',
      count: 37,
      corrects: 'tally-370-001',
      reason: 'typed 370 for 37',
      day: '2021-03-13',
      kind: 'renewal',
      channel: 'mobile',
      group: 'official',
      originalCount: 370,
      originalOccurredAt: '2021-03-13T02:30:00.000Z',
      occurredAt: '2021-03-20T09:00:00.000Z',
      path: ['33', '323'],
      sub: 'officer-12001',
    });
    // Only corrections carry the audit index's key
    expect(stored && intakeItem(stored)).toMatchObject({ correctionCampaignId: 'cccd-2021-test' });
    const original = store.items.get('cccd-2021-test#tally-370-001');
    expect(original && 'correctionCampaignId' in intakeItem(original)).toBe(false);
  });

  it('is idempotent by its own eventId: the same correction is a duplicate, another reason or count a conflict', async () => {
    await handler(post(correction()));
    const again = await handler(
      post({
        events: [
          correction(),
          correction({ reason: 'another reason' }),
          correction({ count: 38 }),
          // Kind, channel and group sent equal to the original's change nothing
          correction({ kind: 'renewal', channel: 'mobile', group: 'official' }),
        ],
      }),
    );
    expect(results(again.body).map((r) => r.status)).toEqual([
      'duplicate',
      'conflict',
      'conflict',
      'duplicate',
    ]);
  });

  it('voids with count 0, and takes a count up to 1000', async () => {
    const response = await handler(
      post({
        events: [
          correction({ eventId: 'fix-void-0001', count: 0 }),
          correction({ eventId: 'fix-max-00001', count: 1000 }),
        ],
      }),
    );
    expect(results(response.body).map((r) => r.status)).toEqual(['accepted', 'accepted']);
  });

  it('rejects, with the reason, what a correction may not be', async () => {
    await handler(post(correction()));
    await handler(
      post(anIntakeEvent({ eventId: 'other-unit-01', unitId: '12101' }), {
        sub: 'officer-12101',
        scope: 'intake:write',
        units: ['12101'],
      }),
    );
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ corrects: 'no-such-event' }, /^unknown original: no event "no-such-event"/],
      [{ corrects: 'other-unit-01' }, /^event "other-unit-01" is outside the units this token may post for$/],
      [
        { corrects: 'other-unit-01', unitId: '12101' },
        /^unit "12101" is outside the units this token may post for$/,
      ],
      [{ corrects: 'fix-370-to-37' }, /itself a correction \(of "tally-370-001"\)/],
      [{ occurredAt: '2021-04-12T09:30:01+07:00' }, /out of the correction window: .* more than 30 days/],
      [{ kind: 'new' }, /kind must be the corrected event's \(renewal\)/],
      [{ group: 'student' }, /group must be the corrected event's \(official\)/],
      [{ count: 1001 }, /count: must be at most 1000/],
      [{ count: -1 }, /count: must be at least 0/],
      [{ count: undefined }, /count: must be the corrected count/],
      [{ reason: '   ' }, /reason: must say why/],
      [{ reason: 'x'.repeat(201) }, /reason: must be at most 200/],
      [{ corrects: 'fix-370-to-37', eventId: 'fix-370-to-37' }, /another event than the correction itself/],
    ];
    const response = await handler(
      post(
        {
          events: cases.map(([o], i) =>
            correction({ eventId: `fix-case-${String(i).padStart(3, '0')}`, ...o }),
          ),
        },
        { sub: 'officer-12001', scope: 'intake:write', units: ['12001'] },
      ),
    );
    const got = results(response.body);
    cases.forEach(([, reason], i) => {
      expect(got[i]?.status, String(reason)).toBe('rejected');
      expect(got[i]?.error, String(reason)).toMatch(reason);
    });
    expect(store.items.size).toBe(3);
  });

  it("rejects a correction of an event of another unit than the correction's, inside the caller's units", async () => {
    const response = await handler(
      post(correction({ unitId: '12002' }), { sub: 'district-323', scope: 'intake:write', units: ['323'] }),
    );
    expect(results(response.body)[0]).toMatchObject({
      status: 'rejected',
      error: 'unitId must be the corrected event\'s unit "12001"',
    });
  });

  it('rejects a correction in the same request as its original ("original not stored yet"), storing the original', async () => {
    const original = anIntakeEvent({ eventId: 'tally-new-0001', count: 9 });
    const response = await handler(
      post({
        events: [original, correction({ eventId: 'fix-new-00001', corrects: 'tally-new-0001', count: 8 })],
      }),
    );
    expect(results(response.body)).toEqual([
      { eventId: 'tally-new-0001', status: 'accepted' },
      expect.objectContaining({
        status: 'rejected',
        error: expect.stringMatching(/^original not stored yet/),
      }),
    ]);
    // Sent again in the next request, it is accepted
    const next = await handler(
      post(correction({ eventId: 'fix-new-00001', corrects: 'tally-new-0001', count: 8 })),
    );
    expect(results(next.body)[0]?.status).toBe('accepted');
  });

  it("follows the campaign's correctionWindowDays", async () => {
    handler = make(3);
    const late = await handler(post(correction({ occurredAt: '2021-03-16T09:30:01+07:00' })));
    expect(results(late.body)[0]?.error).toMatch(
      /more than 3 days after the corrected event's \(2021-03-13T02:30:00.000Z\)/,
    );
    const inTime = await handler(post(correction({ occurredAt: '2021-03-16T09:30:00+07:00' })));
    expect(results(inTime.body)[0]?.status).toBe('accepted');
  });

  it('answers 503 with `failed` for corrections when the originals cannot be read, and still stores the other events', async () => {
    store.failGet = () => new Error('throttled');
    const response = await handler(
      post({ events: [anIntakeEvent({ eventId: 'plain-evt-001' }), correction()] }),
    );
    expect(response.statusCode).toBe(503);
    expect(JSON.parse(response.body ?? '{}').results.map((r: Result) => r.status)).toEqual([
      'accepted',
      'failed',
    ]);
  });
});

describe('payloadHash()', () => {
  it("keeps ordinary events' hashes as before, and includes corrects and reason for a correction", () => {
    const fields = {
      campaignId: 'c',
      eventId: 'e',
      unitId: 'u',
      occurredAt: '2021-03-13T02:30:00.000Z',
      count: 1,
      kind: 'new',
      channel: 'fixed' as const,
    };
    const before = createHash('sha256')
      .update(JSON.stringify(['c', 'e', 'u', '2021-03-13T02:30:00.000Z', 1, 'new', 'fixed', null]))
      .digest('base64url');
    expect(payloadHash(fields)).toBe(before);
    const a = payloadHash({ ...fields, corrects: 'x', reason: 'r1' });
    expect(a).not.toBe(before);
    expect(payloadHash({ ...fields, corrects: 'x', reason: 'r2' })).not.toBe(a);
    expect(payloadHash({ ...fields, corrects: 'y', reason: 'r1' })).not.toBe(a);
  });
});

describe('correctionWindowDays, a campaign-wide setting', () => {
  const stored = CampaignFile.parse(aCampaignFile());
  const units = placeUnits(stored.units);
  const hierarchy = buildHierarchy(units);
  const holding = (id: string) => ({
    all: false,
    covers: (unitId: string) => hierarchy.has(unitId) && hierarchy.pathOf(unitId).includes(id),
  });

  it('defaults to 30 days, and changing it needs a grant covering the root', () => {
    expect(stored.campaign.correctionWindowDays).toBe(30);
    const file = CampaignFile.parse(aCampaignFile({ campaign: { correctionWindowDays: 7 } }));
    const plan = planImport({ campaign: stored.campaign, units }, file);
    expect(plan.campaignChanges).toEqual([{ field: 'correctionWindowDays', from: 30, to: 7 }]);
    expect(authorizeImport(plan, hierarchy, holding('323'))).toEqual({
      allowed: false,
      reasons: [
        expect.stringMatching(/correctionWindowDays needs a grant covering the campaign's root unit 33/),
      ],
    });
    expect(authorizeImport(plan, hierarchy, holding('33'))).toEqual({ allowed: true });
  });

  it('refuses a window that is not 0 to 366 whole days', () => {
    for (const bad of [-1, 1.5, 367]) {
      expect(CampaignFile.safeParse(aCampaignFile({ campaign: { correctionWindowDays: bad } })).success).toBe(
        false,
      );
    }
  });
});
