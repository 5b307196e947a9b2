/**
 * The leaders' registry and silences against DynamoDB Local: round trips, a campaign's and a unit's
 * recipients in one Query, endpoint claims, moving a recipient, active and expired silences, and the
 * local SNS stand-in reading the registry.
 */

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type DeliveredAlert, LocalSnsOutbox } from '../../shared/alerts/local-outbox.js';
import { localSubscriptions } from '../../shared/alerts/subscriptions.js';
import { CatalogCache } from '../../shared/catalog/catalog-cache.js';
import { importCampaign } from '../../shared/catalog/import.js';
import { CampaignFile } from '../../shared/schemas/campaign.js';
import { type Recipient, RecipientInput, type RecipientInputRaw } from '../../shared/schemas/recipients.js';
import { RecipientRegistry } from '../../shared/services/recipients.js';
import { SilenceService } from '../../shared/services/silences.js';
import { DynamoCampaignStore } from '../../shared/store/campaign-store.js';
import { DynamoRecipientStore, RegistryError } from '../../shared/store/recipient-store.js';
import { DynamoSilenceStore } from '../../shared/store/silence-store.js';
import { campaignTable } from '../../shared/store/tables.js';
import { aCampaignFile, aRecipient } from '../support/builders.js';
import {
  countRequests,
  createTestTable,
  type RequestCounter,
  type TestTable,
  useTestTable,
} from '../support/dynamo.js';

const CAMPAIGN = 'cccd-2021-test';
const OTHER = 'cccd-2021-other';

/** A recipient of the test campaign (the builder's own campaign id). */
const aRecipientOf = (overrides: Partial<Recipient> & Pick<Recipient, 'id'>): Recipient =>
  aRecipient({ campaignId: CAMPAIGN, ...overrides });

describe('DynamoRecipientStore', () => {
  let store: DynamoRecipientStore;
  let requests: RequestCounter;

  useTestTable(campaignTable, async (t) => {
    store = new DynamoRecipientStore(t.db, t.name);
    requests = countRequests(t.db);
  });

  it('stores a recipient and reads it back by id', async () => {
    // Arrange
    const recipient = aRecipientOf({
      id: 'r-roundtrip1',
      sms: '+84912345678',
      email: 'lan@hungyen.gov.vn',
      subscriptions: { sms: 'arn:aws:sns:x:1:t:1' },
    });
    // Act
    await store.create(recipient);
    // Assert
    expect(await store.get(CAMPAIGN, 'r-roundtrip1')).toEqual(recipient);
    expect(await store.get(CAMPAIGN, 'r-nobody')).toBeNull();
    expect(await store.get(OTHER, 'r-roundtrip1')).toBeNull();
  });

  it("lists a campaign's recipients in one Query, and a unit's by prefix (not a unit whose id extends it)", async () => {
    // Arrange
    await store.create(aRecipientOf({ id: 'r-unit3230001', unitId: '3230', sms: '+84912000001' }));
    await store.create(aRecipientOf({ id: 'r-unit12001', unitId: '12001', sms: '+84912000002' }));
    await store.create(aRecipientOf({ id: 'r-othercamp', campaignId: OTHER, sms: '+84912000003' }));
    requests.reset();
    // Act
    const all = await store.list(CAMPAIGN);
    const queries = requests.get('QueryCommand');
    const unit = await store.listByUnit(CAMPAIGN, '323');
    // Assert
    expect(all.map((r) => r.id)).toEqual(['r-unit12001', 'r-roundtrip1', 'r-unit3230001']);
    expect(queries).toBe(1);
    expect(requests.total()).toBe(2);
    expect(unit.map((r) => r.id)).toEqual(['r-roundtrip1']);
    expect((await store.list(OTHER)).map((r) => r.id)).toEqual(['r-othercamp']);
  });

  it('refuses a number or address already registered in the campaign; another campaign may register it too', async () => {
    // Act
    const taken = await store
      .create(aRecipientOf({ id: 'r-dupe', unitId: '324', email: 'LAN@hungyen.gov.vn' }))
      .catch((e: unknown) => e);
    // Assert
    expect(taken).toBeInstanceOf(RegistryError);
    expect((taken as RegistryError).kind).toBe('conflict');
    expect((taken as Error).message).toContain(
      'is already registered in this campaign by recipient r-roundtrip1:',
    );
    expect(await store.get(CAMPAIGN, 'r-dupe')).toBeNull();
    // Two campaigns register the same number: both are stored, one Query finds both.
    await store.create(aRecipientOf({ id: 'r-dupe2', campaignId: OTHER, sms: '+84912345678' }));
    const both = await store.registrationsOf('sms', '+84912345678');
    expect(both.map((r) => `${r.campaignId}/${r.id}`).sort()).toEqual(
      [`${CAMPAIGN}/r-roundtrip1`, `${OTHER}/r-dupe2`].sort(),
    );
    // Removing one campaign's registration keeps the other's.
    await store.delete((await store.get(OTHER, 'r-dupe2')) as Recipient);
    expect((await store.registrationsOf('sms', '+84912345678')).map((r) => r.id)).toEqual(['r-roundtrip1']);
  });

  it('moves a recipient to another unit and another number, releasing the old number', async () => {
    // Arrange
    const previous = (await store.get(CAMPAIGN, 'r-roundtrip1')) as Recipient;
    const next = { ...previous, unitId: '324', sms: '+84987654321', updatedAt: '2021-03-02T00:00:00.000Z' };
    // Act
    await store.replace(next, previous);
    // Assert
    expect(await store.get(CAMPAIGN, 'r-roundtrip1')).toEqual(next);
    expect((await store.listByUnit(CAMPAIGN, '323')).map((r) => r.id)).toEqual([]);
    expect((await store.listByUnit(CAMPAIGN, '324')).map((r) => r.id)).toEqual(['r-roundtrip1']);
    await store.create(aRecipientOf({ id: 'r-takesold', sms: '+84912345678' })); // the old number is free again
  });

  it('refuses a replace based on a stale read (someone changed it meanwhile)', async () => {
    const current = (await store.get(CAMPAIGN, 'r-roundtrip1')) as Recipient;
    const stale = { ...current, updatedAt: '2021-03-01T00:00:00.000Z' };
    const error = await store.replace({ ...current, name: 'Changed' }, stale).catch((e: unknown) => e);
    expect((error as RegistryError).kind).toBe('conflict');
    expect((await store.get(CAMPAIGN, 'r-roundtrip1'))?.name).toBe(current.name);
  });

  it('deletes a recipient with its pointer and claims; a second delete is not_found', async () => {
    // Arrange
    const recipient = (await store.get(CAMPAIGN, 'r-roundtrip1')) as Recipient;
    // Act
    await store.delete(recipient);
    const again = await store.delete(recipient).catch((e: unknown) => e);
    // Assert
    expect(await store.get(CAMPAIGN, 'r-roundtrip1')).toBeNull();
    expect((again as RegistryError).kind).toBe('not_found');
    await store.create(aRecipientOf({ id: 'r-reuse', email: 'lan@hungyen.gov.vn', sms: '+84987654321' }));
  });
});

describe('RecipientRegistry and the local SNS stand-in, on DynamoDB Local', () => {
  let table: TestTable;
  let registry: RecipientRegistry;
  let dir: string;
  let file: string;
  let outbox: LocalSnsOutbox;
  const add = async (raw: RecipientInputRaw) =>
    (await registry.add(CAMPAIGN, RecipientInput.parse(raw), 'admin-1')).recipient;
  const lines = (): DeliveredAlert[] => {
    try {
      return readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l.length > 0)
        .map((l) => JSON.parse(l) as DeliveredAlert);
    } catch {
      return [];
    }
  };
  const publish = (attributes: {
    severity?: 'at_risk' | 'critical';
    lang?: 'vi' | 'en';
    channel?: 'sms' | 'email';
  }) =>
    outbox.publish({
      subject: 'Huyen Van Lam',
      sms: 'sms body',
      email: 'email body',
      attributes: {
        campaignId: CAMPAIGN,
        scope: '323',
        kind: 'alert',
        severity: attributes.severity ?? 'at_risk',
        lang: attributes.lang ?? 'vi',
        channel: attributes.channel ?? 'sms',
      },
    });

  beforeAll(async () => {
    table = await createTestTable(campaignTable);
    const campaigns = new DynamoCampaignStore(table.db, table.name);
    await importCampaign(campaigns, CampaignFile.parse(aCampaignFile()));
    const recipients = new DynamoRecipientStore(table.db, table.name);
    registry = new RecipientRegistry({
      store: recipients,
      catalog: new CatalogCache(campaigns, 60_000),
      subscriptions: localSubscriptions,
    });
    dir = mkdtempSync(join(tmpdir(), 'quota-outbox-it-'));
    file = join(dir, 'alerts.jsonl');
    outbox = new LocalSnsOutbox({ recipients, file });
  });
  afterAll(async () => {
    await table.drop();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => rmSync(file, { force: true }));

  it('refuses a unit the campaign does not have', async () => {
    const error = await add({ unitId: '99999', name: 'X', sms: '0912999999' }).catch((e: unknown) => e);
    expect((error as RegistryError).kind).toBe('invalid');
  });

  it('delivers only to matching recipients: severity, language and channel', async () => {
    // Arrange
    const atRisk = await add({ unitId: '323', name: 'An', sms: '0912000011', email: 'an@hungyen.gov.vn' });
    const critical = await add({ unitId: '323', name: 'Bình', sms: '0912000012', minSeverity: 'critical' });
    const english = await add({ unitId: '323', name: 'Chris', sms: '0912000013', lang: 'en' });
    await add({ unitId: '12001', name: 'Dũng', sms: '0912000014' });
    // Act + Assert: at_risk in Vietnamese by SMS
    await publish({});
    expect(lines().map((l) => [l.recipient.id, l.protocol, l.body])).toEqual([
      [atRisk.id, 'sms', 'sms body'],
    ]);
    // critical: the critical-only leader too
    rmSync(file);
    await publish({ severity: 'critical' });
    expect(
      lines()
        .map((l) => l.recipient.id)
        .sort(),
    ).toEqual([atRisk.id, critical.id].sort());
    // English: only the English leader
    rmSync(file);
    await publish({ lang: 'en' });
    expect(lines().map((l) => l.recipient.endpoint)).toEqual([english.sms]);
    // e-mail: only e-mail endpoints, with the subject
    rmSync(file);
    await publish({ channel: 'email' });
    expect(lines()).toEqual([
      expect.objectContaining({
        recipient: { id: atRisk.id, name: 'An', endpoint: 'an@hungyen.gov.vn' },
        protocol: 'email',
        subject: 'Huyen Van Lam',
        body: 'email body',
      }),
    ]);
  });

  it('serves a change of the registry at the next publish', async () => {
    // Arrange
    const [first] = await registry.list(CAMPAIGN, '323');
    const recipient = first as Recipient;
    // Act
    const { unitId: _unit, name, sms, email, lang, minSeverity } = recipient;
    await registry.update(
      CAMPAIGN,
      recipient.id,
      RecipientInput.parse({ unitId: '324', name, sms, email, lang, minSeverity }),
    );
    await publish({ severity: 'critical' });
    await registry.remove(CAMPAIGN, recipient.id);
    // Assert: moved away from 323, it no longer gets 323's alerts; the others still do
    expect(lines().length).toBeGreaterThan(0);
    expect(lines().map((l) => l.recipient.id)).not.toContain(recipient.id);
    expect(await registry.get(CAMPAIGN, recipient.id)).toBeNull();
  });
});

describe('DynamoSilenceStore', () => {
  let store: DynamoSilenceStore;
  let service: SilenceService;
  let requests: RequestCounter;
  let now = new Date('2021-03-13T08:00:00.000Z');

  useTestTable(campaignTable, async (t) => {
    const campaigns = new DynamoCampaignStore(t.db, t.name);
    await importCampaign(campaigns, CampaignFile.parse(aCampaignFile()));
    store = new DynamoSilenceStore(t.db, t.name);
    service = new SilenceService({ store, catalog: new CatalogCache(campaigns, 60_000), clock: () => now });
    requests = countRequests(t.db);
  });

  it('lists only active silences, soonest ending first, in one Query; expired ones drop out', async () => {
    // Arrange
    const long = await service.add(
      CAMPAIGN,
      { unitId: '33', until: '2021-03-20T00:00:00+07:00', reason: 'long' },
      'a',
    );
    const short = await service.add(
      CAMPAIGN,
      { unitId: '323', until: '2021-03-13T18:00:00+07:00', reason: 'short' },
      'a',
    );
    requests.reset();
    // Act
    const active = await store.listActive(CAMPAIGN, now);
    // Assert
    expect(active.map((s) => s.id)).toEqual([short.id, long.id]);
    expect(active[0]).toEqual(short);
    expect(requests.total()).toBe(1);
    expect(await store.listActive(CAMPAIGN, new Date('2021-03-13T11:00:00.000Z'))).toEqual([long]);
    expect(await store.listActive(CAMPAIGN, new Date('2021-03-19T17:00:00.000Z'))).toEqual([]);
    expect(await store.listActive('cccd-2021-other', now)).toEqual([]);
  });

  it('refuses an end in the past and an unknown unit, storing nothing', async () => {
    now = new Date('2021-03-13T08:00:00.000Z');
    await expect(
      service.add(CAMPAIGN, { unitId: '323', until: '2021-03-13T14:00:00+07:00', reason: 'x' }, 'a'),
    ).rejects.toThrow('is not in the future');
    await expect(
      service.add(CAMPAIGN, { unitId: '404', until: '2021-03-14T14:00:00+07:00', reason: 'x' }, 'a'),
    ).rejects.toThrow('has no unit "404"');
    expect(await store.listActive(CAMPAIGN, now)).toHaveLength(2);
  });

  it('deletes a silence by id; deleting it again says not found', async () => {
    const [first] = await store.listActive(CAMPAIGN, now);
    const id = first?.id as string;
    expect(await store.get(CAMPAIGN, id)).toEqual(first);
    await service.remove(CAMPAIGN, id);
    await expect(service.remove(CAMPAIGN, id)).rejects.toThrow(`No silence ${id}`);
    expect(await store.get(CAMPAIGN, id)).toBeNull();
    expect(await store.listActive(CAMPAIGN, now)).toHaveLength(1);
  });
});
