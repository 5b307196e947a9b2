import { beforeAll, describe, expect, it } from 'vitest';
import { parseGrants } from '../../../../shared/domain/grants.js';
import { type CheckContext, checkEvent, loadIntakeSchemas } from '../../../../shared/domain/intake.js';
import { anIntakeEvent } from '../../../support/builders.js';
import { aCatalogView } from '../../../support/catalog.js';

const view = aCatalogView();
const context = (overrides: Partial<CheckContext> = {}): CheckContext => ({
  grants: parseGrants(['33']),
  catalogOf: (id) => (id === view.campaign.id ? view : null),
  now: new Date('2021-03-13T10:00:00Z'),
  ...overrides,
});

describe('checkEvent()', () => {
  // An event the plain rules refuse is rejected with the schema's issues: the schemas must be loaded
  // (the handler does so for its request's events, prepareChecks).
  beforeAll(loadIntakeSchemas);

  it('normalizes an accepted event: defaults, instant in UTC, local day, path', () => {
    // Arrange: 23:30 on the 12th in UTC is 06:30 on the 13th in Hà Nội
    const raw = {
      ...anIntakeEvent({ occurredAt: '2021-03-12T23:30:00Z' }),
      count: undefined,
      channel: undefined,
    };
    // Act
    const check = checkEvent(JSON.parse(JSON.stringify(raw)), context());
    // Assert
    expect(check).toMatchObject({
      ok: true,
      event: {
        occurredAt: '2021-03-12T23:30:00.000Z',
        day: '2021-03-13',
        count: 1,
        channel: 'fixed',
        path: ['33', '323'],
      },
    });
  });

  it('gives the same payload hash to the same moment written with different offsets, and another to another count', () => {
    const a = checkEvent(
      anIntakeEvent({ eventId: 'evt-same-0001', occurredAt: '2021-03-13T09:30:00+07:00' }),
      context(),
    );
    const b = checkEvent(
      anIntakeEvent({ eventId: 'evt-same-0001', occurredAt: '2021-03-13T02:30:00.000Z' }),
      context(),
    );
    const c = checkEvent(
      anIntakeEvent({ eventId: 'evt-same-0001', occurredAt: '2021-03-13T02:30:00Z', count: 2 }),
      context(),
    );
    if (!a.ok || !b.ok || !c.ok) throw new Error('all three are valid');
    expect(a.event.payloadHash).toBe(b.event.payloadHash);
    expect(c.event.payloadHash).not.toBe(a.event.payloadHash);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a short eventId', { eventId: 'abc' }, 'eventId: must be 8 to 64 characters'],
    ['a count of 0', { count: 0 }, 'count: must be at least 1'],
    ['a count of 1001', { count: 1001 }, 'count: must be at most 1000'],
    ['a fractional count', { count: 1.5 }, 'count: must be a whole number'],
    [
      'an occurredAt without offset',
      { occurredAt: '2021-03-13T09:30:00' },
      'occurredAt: must be an ISO 8601',
    ],
    ['an unknown channel', { channel: 'bus' }, 'channel'],
    ['an extra field', { note: 'x' }, 'note'],
    ['an unknown campaign', { campaignId: 'cccd-2099-none' }, 'unknown campaign "cccd-2099-none"'],
    // Scope before existence: a unit grant does not learn whether a unit exists outside its subtree.
    ['an unknown unit', { unitId: '99999' }, 'unit "99999" is outside the units this token may post for'],
    ['an unknown kind', { kind: 'lost' }, 'kind "lost" is not one of this campaign\'s kinds (new, renewal)'],
    [
      'an unknown group',
      { group: 'student' },
      'group "student" is not one of this campaign\'s population groups',
    ],
    [
      'a time more than 24 hours ahead',
      { occurredAt: '2021-03-14T10:00:01Z' },
      'more than 24 hours ahead of the server',
    ],
    [
      'a time before the start',
      { occurredAt: '2021-02-28T23:59:00+07:00' },
      'before the campaign started (2021-03-01)',
    ],
  ])('rejects %s with its reason', (_, fields, reason) => {
    const check = checkEvent({ ...anIntakeEvent(), ...fields }, context());
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.error).toContain(reason);
  });

  it("accepts a clock up to 24 h ahead on the server's local day, with a warning past 5 minutes", () => {
    // Arrange: the server is at 17:00 on 13/3 in Hà Nội (10:00Z); the tablet says 09:00 on 14/3
    const sixMinutes = checkEvent(anIntakeEvent({ occurredAt: '2021-03-13T10:06:00Z' }), context());
    const nextMorning = checkEvent(anIntakeEvent({ occurredAt: '2021-03-14T09:00:00+07:00' }), context());
    const fourMinutes = checkEvent(anIntakeEvent({ occurredAt: '2021-03-13T10:04:00Z' }), context());
    // Assert
    expect(sixMinutes).toMatchObject({ ok: true, event: { day: '2021-03-13' } });
    expect(nextMorning).toMatchObject({ ok: true, event: { day: '2021-03-13' } });
    if (!nextMorning.ok) throw new Error('accepted');
    expect(nextMorning.warning).toMatch(
      /960 minutes ahead of the server; counted on the server's day 2021-03-13/,
    );
    // The event keeps the occurredAt it was sent with (its idempotency hash does not move).
    expect(nextMorning.event.occurredAt).toBe('2021-03-14T02:00:00.000Z');
    expect(fourMinutes).toMatchObject({ ok: true, event: { day: '2021-03-13' } });
    expect(fourMinutes.ok && fourMinutes.warning).toBeFalsy();
  });

  it('accepts 4:59 ahead and the first minute of the start day (local time)', () => {
    expect(checkEvent(anIntakeEvent({ occurredAt: '2021-03-13T10:04:59Z' }), context()).ok).toBe(true);
    expect(checkEvent(anIntakeEvent({ occurredAt: '2021-03-01T00:00:00+07:00' }), context()).ok).toBe(true);
  });

  it('lets a token post inside its subtree only', () => {
    const commune = context({ grants: parseGrants(['12001']) });
    const district = context({ grants: parseGrants(['323']) });
    expect(checkEvent(anIntakeEvent({ unitId: '12001' }), commune).ok).toBe(true);
    expect(checkEvent(anIntakeEvent({ unitId: '12002' }), commune)).toMatchObject({
      ok: false,
      error: 'unit "12002" is outside the units this token may post for',
    });
    expect(checkEvent(anIntakeEvent({ unitId: '12002' }), district).ok).toBe(true);
    expect(checkEvent(anIntakeEvent({ unitId: '12101' }), district).ok).toBe(false);
    expect(checkEvent(anIntakeEvent({ unitId: '12101' }), context({ grants: parseGrants(['*']) })).ok).toBe(
      true,
    );
  });

  it('tells an unknown unit only to a grant of the whole campaign', () => {
    const campaignWide = context({ grants: parseGrants([`${view.campaign.id}:*`]) });
    expect(checkEvent(anIntakeEvent({ unitId: '99999' }), campaignWide)).toMatchObject({
      ok: false,
      error: `unknown unit "99999" in campaign "${view.campaign.id}"`,
    });
  });

  it('keeps a qualified grant to its own campaign, though another campaign has the same unit ids', () => {
    const otherCampaign = context({ grants: parseGrants(['cccd-2021-thanh-hoa:33']) });
    const ownCampaign = context({ grants: parseGrants([`${view.campaign.id}:323`]) });
    expect(checkEvent(anIntakeEvent({ unitId: '12001' }), otherCampaign)).toMatchObject({
      ok: false,
      error: 'unit "12001" is outside the units this token may post for',
    });
    expect(checkEvent(anIntakeEvent({ unitId: '12001' }), ownCampaign).ok).toBe(true);
    expect(checkEvent(anIntakeEvent({ unitId: '12101' }), ownCampaign).ok).toBe(false);
  });

  it('keeps the eventId of a rejected event when it has one', () => {
    expect(checkEvent({ eventId: 'evt-keep-0001' }, context())).toMatchObject({
      ok: false,
      eventId: 'evt-keep-0001',
    });
    expect(checkEvent('nonsense', context())).toMatchObject({ ok: false, eventId: null });
  });
});
