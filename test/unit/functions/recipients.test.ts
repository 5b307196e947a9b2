/**
 * The leaders' registry: the HTTP handler (functions/recipients.ts), the registry service it shares
 * with the CLI, and the CLI (infra/local/cli/recipients.ts), over in-memory stores and a recording
 * subscription manager.
 */
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { makeHandler, subscriptionsFromEnv } from '../../../functions/recipients.js';
import { alertsTopicArn, runRecipientsCli } from '../../../infra/local/cli/recipients.js';
import {
  localSubscriptions,
  SnsSubscriptions,
  type SubscriptionManager,
  SubscriptionSyncError,
} from '../../../shared/alerts/subscriptions.js';
import { importCampaign } from '../../../shared/catalog/import.js';
import { CampaignFile } from '../../../shared/schemas/campaign.js';
import type { Recipient } from '../../../shared/schemas/recipients.js';
import { type RecipientStore, RegistryError } from '../../../shared/store/recipient-store.js';
import { aCampaignFile, anHttpEvent, type EventOptions } from '../../support/builders.js';
import { MemoryCampaignStore } from '../../support/memory-campaign-store.js';
import { inProcessCli } from '../../support/registry-cli.js';

const CAMPAIGN = 'cccd-2021-test';

/** The DynamoDB adapter's rules in memory: endpoint claims per campaign, optimistic replace. */
class MemoryRecipientStore implements RecipientStore {
  readonly items = new Map<string, Recipient>();
  readonly claims = new Map<string, string>();
  private claimKeys(r: Recipient) {
    return [r.sms && `sms#${r.sms}`, r.email && `email#${r.email.toLowerCase()}`]
      .filter((k): k is string => typeof k === 'string')
      .map((k) => `${r.campaignId}|${k}`);
  }
  async registrationsOf(protocol: 'sms' | 'email', endpoint: string) {
    const key = (e: string) => (protocol === 'email' ? e.toLowerCase() : e);
    return [...this.items.values()]
      .filter((r) => r[protocol] !== undefined && key(r[protocol] ?? '') === key(endpoint))
      .map((r) => structuredClone(r));
  }
  async get(campaignId: string, id: string) {
    const r = this.items.get(id);
    return r && r.campaignId === campaignId ? structuredClone(r) : null;
  }
  async list(campaignId: string) {
    return [...this.items.values()]
      .filter((r) => r.campaignId === campaignId)
      .sort((a, b) => `${a.unitId}#${a.id}`.localeCompare(`${b.unitId}#${b.id}`));
  }
  async listByUnit(campaignId: string, unitId: string) {
    return (await this.list(campaignId)).filter((r) => r.unitId === unitId);
  }
  private claim(r: Recipient, keys: string[]) {
    for (const key of keys) {
      const holder = this.claims.get(key);
      if (holder !== undefined && holder !== r.id) {
        throw new RegistryError('conflict', `${key} is already registered by recipient ${holder}`);
      }
    }
  }
  async create(r: Recipient) {
    if (this.items.has(r.id)) throw new RegistryError('conflict', `recipient ${r.id} already exists`);
    const keys = this.claimKeys(r);
    this.claim(r, keys);
    for (const key of keys) this.claims.set(key, r.id);
    this.items.set(r.id, structuredClone(r));
  }
  async replace(next: Recipient, previous: Recipient) {
    if (this.items.get(previous.id)?.updatedAt !== previous.updatedAt) {
      throw new RegistryError('conflict', 'changed meanwhile');
    }
    const keys = this.claimKeys(next);
    this.claim(next, keys);
    for (const key of this.claimKeys(previous)) this.claims.delete(key);
    for (const key of keys) this.claims.set(key, next.id);
    this.items.set(next.id, structuredClone(next));
  }
  async delete(r: Recipient) {
    if (!this.items.delete(r.id)) throw new RegistryError('not_found', `No recipient ${r.id}`);
    for (const key of this.claimKeys(r)) this.claims.delete(key);
  }
}

/** Records what would be done in SNS; `fail` makes the next sync fail like SNS part-way. */
class RecordingSubscriptions implements SubscriptionManager {
  readonly calls: string[] = [];
  fail: Error | null = null;
  async sync(recipient: Recipient, previous?: Recipient) {
    this.calls.push(
      `sync ${recipient.id}${previous ? ` from ${previous.unitId}/${previous.sms ?? ''}` : ''}`,
    );
    if (this.fail) {
      const cause = this.fail;
      this.fail = null;
      throw new SubscriptionSyncError(`SNS failed: ${cause.message}`, { sms: 'arn:partial' }, [], cause);
    }
    return {
      subscriptions: {
        ...(recipient.sms && { sms: `arn:sms:${recipient.sms}` }),
        ...(recipient.email && { email: `arn:email:${recipient.email}` }),
      },
      notes: recipient.email ? [`email ${recipient.email}: SNS sent a confirmation e-mail`] : [],
    };
  }
  async remove(recipient: Recipient) {
    this.calls.push(`remove ${recipient.id} ${JSON.stringify(recipient.subscriptions)}`);
    return { notes: [] };
  }
}

const json = (body: string | undefined) => JSON.parse(body ?? 'null');

interface World {
  recipients: MemoryRecipientStore;
  campaigns: MemoryCampaignStore;
  subscriptions: RecordingSubscriptions;
}

async function aWorld(): Promise<World> {
  const campaigns = new MemoryCampaignStore();
  await importCampaign(campaigns, CampaignFile.parse(aCampaignFile()));
  return { recipients: new MemoryRecipientStore(), campaigns, subscriptions: new RecordingSubscriptions() };
}

describe('recipients handler', () => {
  let world: World;
  let handler: ReturnType<typeof makeHandler>;
  let ids: number;
  beforeEach(async () => {
    world = await aWorld();
    ids = 0;
    handler = makeHandler({
      ...world,
      clock: () => new Date('2021-03-13T08:00:00.000Z'),
      newId: () => `r-test${String(++ids).padStart(4, '0')}`,
    });
  });

  const request = (method: string, suffix: string, options: Partial<EventOptions> = {}) => {
    const recipientId = suffix.match(/^\/([^/?]+)/)?.[1];
    return handler(
      anHttpEvent({
        method,
        path: `/v1/campaigns/${CAMPAIGN}/recipients${suffix}`,
        routeKey: `${method} /v1/campaigns/{campaignId}/recipients${recipientId ? '/{recipientId}' : ''}`,
        pathParameters: { campaignId: CAMPAIGN, ...(recipientId && { recipientId }) },
        ...options,
      }),
    );
  };
  const post = (body: unknown, claims?: EventOptions['claims']) =>
    request('POST', '', { body, ...(claims !== undefined && { claims }) });
  const district = (units: string) => ({
    sub: 'district-admin',
    scope: 'admin',
    units: units.slice(1, -1).split(' '),
  });

  describe('POST /v1/campaigns/{campaignId}/recipients', () => {
    it('creates a recipient (201) with a generated id, defaults and normalised number, subscribed', async () => {
      // Act
      const response = await post({ unitId: '323', name: 'Nguyễn Văn An', sms: '0912345678' });
      // Assert
      expect(response.statusCode).toBe(201);
      const body = json(response.body);
      expect(body).toEqual({
        id: 'r-test0001',
        campaignId: CAMPAIGN,
        unitId: '323',
        name: 'Nguyễn Văn An',
        sms: '+84912345678',
        lang: 'vi',
        minSeverity: 'at_risk',
        subscriptions: { sms: 'arn:sms:+84912345678' },
        createdAt: '2021-03-13T08:00:00.000Z',
        updatedAt: '2021-03-13T08:00:00.000Z',
        createdBy: 'admin-1',
      });
      expect(await world.recipients.get(CAMPAIGN, 'r-test0001')).toEqual(body);
      expect(world.subscriptions.calls).toEqual(['sync r-test0001']);
    });

    it('passes on what an administrator must know (e-mail confirmation)', async () => {
      const response = await post({ unitId: '323', name: 'An', email: 'an@hungyen.gov.vn', lang: 'en' });
      expect(response.statusCode).toBe(201);
      expect(json(response.body).notes).toEqual(['email an@hungyen.gov.vn: SNS sent a confirmation e-mail']);
    });

    it('answers 401 without a token subject and 403 without the admin scope', async () => {
      const body = { unitId: '323', name: 'An', sms: '0912345678' };
      expect((await post(body, null)).statusCode).toBe(401);
      const forbidden = await post(body, { sub: 'u', scope: 'progress:read', units: ['*'] });
      expect(forbidden.statusCode).toBe(403);
      expect(forbidden.headers?.['content-type']).toBe('application/problem+json');
      expect(world.recipients.items.size).toBe(0);
    });

    it('lets a district administrator register leaders in the district subtree, not in a sibling district', async () => {
      // Act
      const own = await post({ unitId: '12001', name: 'Xã Một', sms: '0912000001' }, district('[323]'));
      const sibling = await post({ unitId: '12101', name: 'Xã Ba', sms: '0912000002' }, district('[323]'));
      // Assert
      expect(own.statusCode).toBe(201);
      expect(sibling.statusCode).toBe(403);
      expect(json(sibling.body).detail).toBe('Unit "12101" is outside the units this token grants');
      expect([...world.recipients.items.values()].map((r) => r.unitId)).toEqual(['12001']);
    });

    it.each([
      ['a bad number', { unitId: '323', name: 'An', sms: '12345' }, ['sms']],
      ['no channel', { unitId: '323', name: 'An' }, ['sms']],
      [
        'a bad e-mail and an unknown field',
        { unitId: '323', name: 'An', email: 'an@', phone: 'x' },
        ['email', 'phone'],
      ],
      ['a unit the campaign does not have', { unitId: '99999', name: 'An', sms: '0912345678' }, ['unitId']],
    ])('answers 400 problem+json for %s, and stores nothing', async (_, body, paths) => {
      // Act
      const response = await post(body);
      // Assert
      expect(response.statusCode).toBe(400);
      expect(
        json(response.body)
          .errors.map((e: { path: string }) => e.path)
          .sort(),
      ).toEqual(paths);
      expect(world.recipients.items.size).toBe(0);
      expect(world.subscriptions.calls).toEqual([]);
    });

    it('answers 400 for a body that is not JSON', async () => {
      expect((await post('{"unitId":')).statusCode).toBe(400);
    });

    it('answers 404 for an unknown campaign', async () => {
      const response = await handler(
        anHttpEvent({
          method: 'POST',
          routeKey: 'POST /v1/campaigns/{campaignId}/recipients',
          pathParameters: { campaignId: 'no-such-campaign' },
          body: { unitId: '323', name: 'An', sms: '0912345678' },
        }),
      );
      expect(response.statusCode).toBe(404);
    });

    it('answers 409 when the number already belongs to a recipient', async () => {
      await post({ unitId: '323', name: 'An', sms: '0912345678' });
      const again = await post({ unitId: '324', name: 'An', sms: '+84912345678' });
      expect(again.statusCode).toBe(409);
      expect(world.recipients.items.size).toBe(1);
    });

    it('leaves nothing behind when SNS refuses the subscription', async () => {
      // Arrange
      world.subscriptions.fail = Object.assign(new Error('Invalid parameter: PhoneNumber'), {
        name: 'InvalidParameterException',
      });
      // Act
      const response = await post({ unitId: '323', name: 'An', sms: '0912345678' });
      // Assert
      expect(response.statusCode).toBe(400);
      expect(json(response.body).detail).toContain('Invalid parameter: PhoneNumber');
      expect(world.recipients.items.size).toBe(0);
      expect(world.recipients.claims.size).toBe(0);
      expect(world.subscriptions.calls).toEqual([
        'sync r-test0001',
        'remove r-test0001 {"sms":"arn:partial"}',
      ]);
    });
  });

  describe('GET /v1/campaigns/{campaignId}/recipients', () => {
    beforeEach(async () => {
      await post({ unitId: '323', name: 'Huyện Văn Lâm', sms: '0912000001' });
      await post({ unitId: '12001', name: 'Xã Một', sms: '0912000002' });
      await post({ unitId: '324', name: 'Huyện Văn Giang', email: 'vg@hungyen.gov.vn' });
    });

    it('lists the campaign, or one unit', async () => {
      const all = json((await request('GET', '')).body);
      expect(all.recipients.map((r: Recipient) => r.unitId)).toEqual(['12001', '323', '324']);
      const one = await request('GET', '?unitId=323', { queryStringParameters: { unitId: '323' } });
      expect(json(one.body).recipients.map((r: Recipient) => r.name)).toEqual(['Huyện Văn Lâm']);
    });

    it('shows a district administrator only the district subtree, and refuses a sibling unit', async () => {
      const mine = json((await request('GET', '', { claims: district('[323]') })).body);
      expect(mine.recipients.map((r: Recipient) => r.unitId)).toEqual(['12001', '323']);
      const sibling = await request('GET', '?unitId=324', {
        claims: district('[323]'),
        queryStringParameters: { unitId: '324' },
      });
      expect(sibling.statusCode).toBe(403);
    });

    it('answers 400 for an unknown query parameter and 404 for an unknown unit', async () => {
      expect((await request('GET', '?unit=323', { queryStringParameters: { unit: '323' } })).statusCode).toBe(
        400,
      );
      expect(
        (await request('GET', '?unitId=999', { queryStringParameters: { unitId: '999' } })).statusCode,
      ).toBe(404);
    });
  });

  describe('PUT /v1/campaigns/{campaignId}/recipients/{recipientId}', () => {
    it('replaces a recipient, moving it to another unit and changing its number', async () => {
      // Arrange
      await post({ unitId: '323', name: 'An', sms: '0912345678' });
      // Act
      const response = await request('PUT', '/r-test0001', {
        body: { unitId: '324', name: 'An', sms: '0987654321', minSeverity: 'critical' },
      });
      // Assert
      expect(response.statusCode).toBe(200);
      expect(json(response.body)).toMatchObject({
        id: 'r-test0001',
        unitId: '324',
        sms: '+84987654321',
        minSeverity: 'critical',
        subscriptions: { sms: 'arn:sms:+84987654321' },
      });
      expect(world.subscriptions.calls).toEqual(['sync r-test0001', 'sync r-test0001 from 323/+84912345678']);
      expect(world.recipients.claims).toEqual(new Map([['cccd-2021-test|sms#+84987654321', 'r-test0001']]));
    });

    it("refuses to move a recipient out of, or into, a unit outside the caller's units", async () => {
      await post({ unitId: '12001', name: 'An', sms: '0912345678' });
      const response = await request('PUT', '/r-test0001', {
        claims: district('[323]'),
        body: { unitId: '12101', name: 'An', sms: '0912345678' },
      });
      expect(response.statusCode).toBe(403);
      expect((await world.recipients.get(CAMPAIGN, 'r-test0001'))?.unitId).toBe('12001');
    });

    it('answers 404 for an unknown recipient', async () => {
      const response = await request('PUT', '/r-nobody', {
        body: { unitId: '323', name: 'An', sms: '0912345678' },
      });
      expect(response.statusCode).toBe(404);
    });
  });

  describe('DELETE /v1/campaigns/{campaignId}/recipients/{recipientId}', () => {
    it('unsubscribes and deletes (204), then answers 404', async () => {
      // Arrange
      await post({ unitId: '323', name: 'An', sms: '0912345678' });
      // Act
      const first = await request('DELETE', '/r-test0001');
      const second = await request('DELETE', '/r-test0001');
      // Assert
      expect(first.statusCode).toBe(204);
      expect(first.body).toBeUndefined();
      expect(second.statusCode).toBe(404);
      expect(world.recipients.items.size).toBe(0);
      expect(world.subscriptions.calls.at(-1)).toBe('remove r-test0001 {"sms":"arn:sms:+84912345678"}');
    });

    it("refuses a sibling district's recipient", async () => {
      await post({ unitId: '12101', name: 'Xã Ba', sms: '0912345678' });
      const response = await request('DELETE', '/r-test0001', { claims: district('[323]') });
      expect(response.statusCode).toBe(403);
      expect(world.recipients.items.size).toBe(1);
    });
  });
});

describe('npm run recipients (in-process, over the same stores)', () => {
  let world: World;
  let { cli, out, err, clear } = inProcessCli(runRecipientsCli, (stage) => ({
    description: stage ? `stage ${stage}` : 'local system at test',
    ...world,
  }));
  beforeEach(async () => {
    world = await aWorld();
    clear();
  });

  it('adds a recipient and prints its id alone on stdout', async () => {
    // Act
    const code = await cli(
      'add',
      '--campaign',
      CAMPAIGN,
      '--unit',
      '323',
      '--name',
      'Nguyễn Văn An',
      '--sms',
      '0912345678',
    );
    // Assert
    expect(code).toBe(0);
    expect(out).toEqual([expect.stringMatching(/^r-[a-z0-9]{10}$/)]);
    const stored = await world.recipients.get(CAMPAIGN, out[0] as string);
    expect(stored).toMatchObject({ sms: '+84912345678', createdBy: 'cli:tester', lang: 'vi' });
  });

  it('lists the registry as a table', async () => {
    await cli('add', '--campaign', CAMPAIGN, '--unit', '323', '--name', 'An', '--sms', '0912345678');
    await cli(
      'add',
      '--campaign',
      CAMPAIGN,
      '--unit',
      '324',
      '--name',
      'Bình',
      '--email',
      'binh@hungyen.gov.vn',
      '--lang',
      'en',
      '--min-severity',
      'critical',
    );
    out.length = 0;
    // Act
    const code = await cli('list', '--campaign', CAMPAIGN);
    // Assert
    expect(code).toBe(0);
    expect(out[0]).toMatch(/^ID +UNIT +NAME +SMS +EMAIL +LANG +MIN SEVERITY +SNS$/);
    expect(out.slice(1).map((l) => l.split(/ {2,}/))).toEqual([
      [expect.any(String), '323', 'An', '+84912345678', '-', 'vi', 'at_risk', 'sms'],
      [expect.any(String), '324', 'Bình', '-', 'binh@hungyen.gov.vn', 'en', 'critical', 'email'],
    ]);
  });

  it('updates and removes a recipient by id, finding its campaign', async () => {
    await cli('add', '--campaign', CAMPAIGN, '--unit', '323', '--name', 'An', '--sms', '0912345678');
    const id = out[0] as string;
    expect(await cli('update', id, '--email', 'an@hungyen.gov.vn', '--sms', 'none')).toBe(0);
    expect(await world.recipients.get(CAMPAIGN, id)).toMatchObject({ email: 'an@hungyen.gov.vn' });
    expect((await world.recipients.get(CAMPAIGN, id))?.sms).toBeUndefined();
    expect(await cli('remove', id)).toBe(0);
    expect(out.at(-1)).toBe(`removed ${id} (An, unit 323) from the local system at test`);
    expect(world.recipients.items.size).toBe(0);
  });

  it.each([
    [
      ['add', '--campaign', CAMPAIGN, '--unit', '323', '--name', 'An', '--sms', '12345'],
      /^recipients: --sms must be a phone number/,
    ],
    [
      ['add', '--campaign', CAMPAIGN, '--unit', '99999', '--name', 'An', '--sms', '0912345678'],
      /^recipients: Campaign "cccd-2021-test" has no unit "99999"$/,
    ],
    [
      ['add', '--campaign', 'nope', '--unit', '323', '--name', 'An', '--sms', '0912345678'],
      /^recipients: No campaign "nope"$/,
    ],
    [
      ['remove', 'r-nobody'],
      /^recipients: no recipient r-nobody in any campaign of the local system at test$/,
    ],
  ])('says what is wrong in one line and exits 1: %j', async (args, message) => {
    expect(await cli(...args)).toBe(1);
    expect(err).toEqual([expect.stringMatching(message)]);
    expect(world.recipients.items.size).toBe(0);
  });

  it.each([
    [[]],
    [['frobnicate']],
    [['add', '--campaign', CAMPAIGN, '--unit', '323', '--name', 'An']],
    [['add', '--campaign', CAMPAIGN, '--name', 'An', '--sms', '0912345678']],
    [['list', '--sms', '0912345678']],
    [['remove']],
    [['add', '--bogus']],
  ])('answers a wrong command line with usage and exit 2: %j', async (args) => {
    expect(await cli(...args)).toBe(2);
    expect(err.join('\n')).toMatch(/usage: npm run recipients -- /);
  });
});

describe('where subscriptions are made', () => {
  it('uses SNS when ALERTS_TOPIC_ARN is set, nothing locally, and refuses to start in Lambda without it', async () => {
    const topic = 'arn:aws:sns:ap-southeast-1:123456789012:alerts';
    expect(await subscriptionsFromEnv({ ALERTS_TOPIC_ARN: topic })).toBeInstanceOf(SnsSubscriptions);
    expect(await subscriptionsFromEnv({})).toBe(localSubscriptions);
    await expect(subscriptionsFromEnv({ AWS_LAMBDA_FUNCTION_NAME: 'Recipients' })).rejects.toThrow(
      'Missing environment variable ALERTS_TOPIC_ARN',
    );
    await expect(subscriptionsFromEnv({ ALERTS_TOPIC_ARN: 'alerts' })).rejects.toThrow(
      'must be an SNS topic ARN',
    );
  });

  it("reads a stage's alerts topic from its stack outputs, for the CLI's --stage", async () => {
    // Arrange
    const cloudFormation = mockClient(CloudFormationClient);
    cloudFormation.on(DescribeStacksCommand, { StackName: 'QuotaCampaign-dev' }).resolves({
      Stacks: [
        {
          StackName: 'QuotaCampaign-dev',
          CreationTime: new Date(),
          StackStatus: 'UPDATE_COMPLETE',
          Outputs: [{ OutputKey: 'AlertsTopicArn', OutputValue: 'arn:aws:sns:ap-southeast-1:1:alerts' }],
        },
      ],
    });
    const client = new CloudFormationClient({ region: 'ap-southeast-1' });
    // Act + Assert
    await expect(alertsTopicArn('dev', client)).resolves.toBe('arn:aws:sns:ap-southeast-1:1:alerts');
    cloudFormation.on(DescribeStacksCommand).resolves({ Stacks: [] });
    await expect(alertsTopicArn('dev', client)).rejects.toThrow(
      'Stack QuotaCampaign-dev has no output AlertsTopicArn; is it deployed?',
    );
    cloudFormation.restore();
  });
});
