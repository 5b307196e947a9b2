/**
 * The leaders' registry and silences on the local runtime: over HTTP with admin tokens, with the CLIs
 * (`npm run recipients`, `npm run silences`) against the running system, and the local SNS stand-in
 * delivering to what the registry holds.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type DeliveredAlert, LocalSnsOutbox } from '../../shared/alerts/local-outbox.js';
import type { Recipient, SilenceRecord } from '../../shared/schemas/recipients.js';
import { createDocumentClient, localClientConfig } from '../../shared/store/client.js';
import { DynamoRecipientStore } from '../../shared/store/recipient-store.js';
import { useLocalRuntime } from '../support/local-runtime.js';
import { runCli } from '../support/local-system.js';

const CAMPAIGN = 'cccd-2021-hung-yen';
// From scenarios/hung-yen-2021.json: a district, one of its communes, and another district.
const DISTRICT = '323';
const COMMUNE = '11977';
const OTHER_DISTRICT = '325';

describe('recipients and silences on the local runtime', () => {
  const token = async (units: string[], scope = 'admin') =>
    local.token({ sub: `admin-${units.join('-')}`, units, scope });
  const call = async (method: string, path: string, bearer: string, body?: unknown) =>
    fetch(`${local.system.url}/v1/campaigns/${CAMPAIGN}${path}`, {
      method,
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
  const getJson = async <T>(path: string, bearer: string) =>
    (await (await call('GET', path, bearer)).json()) as T;
  const postRecipient = (bearer: string, body: { unitId: string; name: string; sms: string }) =>
    call('POST', '/recipients', bearer, body);
  const postSilence = (bearer: string, body: { unitId: string; until: string; reason: string }) =>
    call('POST', '/silences', bearer, body);
  const recipientsCli = (...args: string[]) => runCli(local.dir, 'infra/local/cli/recipients.ts', args);
  /** `npm run recipients -- add` for a leader of the district, with these options. */
  const addToDistrict = (...options: string[]) =>
    recipientsCli('add', '--campaign', CAMPAIGN, '--unit', DISTRICT, ...options);
  const silencesCli = (...args: string[]) => runCli(local.dir, 'infra/local/cli/silences.ts', args);

  const local = useLocalRuntime('quota-recipients-', { schedules: false });

  it('registers, lists and removes a leader over HTTP, refusing a sibling district', async () => {
    // Arrange
    const district = await token([DISTRICT]);
    // Act
    const created = await postRecipient(district, {
      unitId: COMMUNE,
      name: 'Chủ tịch xã',
      sms: '0912345001',
    });
    const sibling = await postRecipient(district, {
      unitId: OTHER_DISTRICT,
      name: 'Huyện khác',
      sms: '0912345002',
    });
    const recipient = (await created.json()) as Recipient;
    const listed = await getJson<{ recipients: Recipient[] }>(`/recipients?unitId=${COMMUNE}`, district);
    const removed = await call('DELETE', `/recipients/${recipient.id}`, district);
    const again = await call('DELETE', `/recipients/${recipient.id}`, district);
    // Assert
    expect(created.status).toBe(201);
    expect(recipient).toMatchObject({ unitId: COMMUNE, sms: '+84912345001', lang: 'vi', subscriptions: {} });
    expect(sibling.status).toBe(403);
    expect(sibling.headers.get('content-type')).toBe('application/problem+json');
    expect(listed.recipients.map((r) => r.id)).toEqual([recipient.id]);
    expect(removed.status).toBe(204);
    expect(again.status).toBe(404);
  });

  it('adds and lists leaders with the CLI, and the local SNS stand-in delivers to them', async () => {
    // Act
    const add = addToDistrict('--name', 'Trần Văn Bình', '--sms', '0912345003', '--min-severity', 'critical');
    const addEmail = addToDistrict('--name', 'Lê Thị Cúc', '--email', 'cuc@hungyen.gov.vn', '--lang', 'en');
    const list = recipientsCli('list', '--campaign', CAMPAIGN, '--unit', DISTRICT);
    // Assert
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout.trim()).toMatch(/^r-[a-z0-9]{10}$/);
    expect(add.stderr).toContain('added to the registry of the local system at http://127.0.0.1:');
    expect(addEmail.code, addEmail.stderr).toBe(0);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout.split('\n')[0]).toMatch(/^ID +UNIT +NAME +SMS +EMAIL +LANG +MIN SEVERITY$/);
    expect(list.stdout).toContain('Trần Văn Bình');
    expect(list.stdout).toContain('cuc@hungyen.gov.vn');

    // Arrange: the stand-in over the running system's store, as the risk job uses it
    const db = createDocumentClient(localClientConfig(local.system.descriptor.dynamoEndpoint));
    const outbox = new LocalSnsOutbox({
      recipients: new DynamoRecipientStore(db, local.system.descriptor.tables.campaign),
      file: local.paths.alerts,
    });
    const message = (severity: 'at_risk' | 'critical', lang: 'vi' | 'en', channel: 'sms' | 'email') => ({
      subject: 'Huyen Van Lam',
      sms: `sms ${severity}`,
      email: `email ${severity}`,
      attributes: { campaignId: CAMPAIGN, scope: DISTRICT, severity, kind: 'alert' as const, lang, channel },
    });
    // Act
    await outbox.publish(message('at_risk', 'vi', 'sms')); // nobody: Bình wants critical only
    await outbox.publish(message('critical', 'vi', 'sms')); // Bình
    await outbox.publish(message('critical', 'vi', 'email')); // nobody: Cúc reads English
    await outbox.publish(message('at_risk', 'en', 'email')); // Cúc
    // Assert
    const lines = readFileSync(local.paths.alerts, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as DeliveredAlert);
    expect(lines.map((l) => [l.recipient.name, l.protocol, l.body])).toEqual([
      ['Trần Văn Bình', 'sms', 'sms critical'],
      ['Lê Thị Cúc', 'email', 'email at_risk'],
    ]);
    db.destroy();
  });

  it('refuses bad input from the CLI in one line (exit 1), and a wrong command line with usage (exit 2)', () => {
    const bad = addToDistrict('--name', 'X', '--sms', '12345');
    expect(bad.code).toBe(1);
    // The last line: on Node 20 the AWS SDK also prints its NodeVersionSupportWarning on stderr.
    expect(bad.stderr.trim().split('\n').at(-1)).toMatch(/^recipients: --sms must be a phone number/);
    expect(bad.stdout).toBe('');
    const usage = recipientsCli('add', '--campaign', CAMPAIGN);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('usage: npm run recipients -- help');
  });

  it('silences a unit over HTTP and with the CLI, lists the active ones and ends them', async () => {
    // Arrange
    const admin = await token(['*']);
    // Act
    const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
    const created = await postSilence(admin, { unitId: DISTRICT, until: inAnHour, reason: 'Flooding' });
    const past = await postSilence(admin, {
      unitId: DISTRICT,
      until: '2021-03-01T00:00:00+07:00',
      reason: 'too late',
    });
    const silence = (await created.json()) as SilenceRecord;
    const added = silencesCli(
      'add',
      '--campaign',
      CAMPAIGN,
      '--unit',
      COMMUNE,
      '--for',
      '2h',
      '--reason',
      'Tết',
    );
    const listed = await getJson<{ silences: SilenceRecord[] }>('/silences', admin);
    const cliList = silencesCli('list', '--campaign', CAMPAIGN);
    const removed = await call('DELETE', `/silences/${silence.id}`, admin);
    const cliRemove = silencesCli('remove', added.stdout.trim());
    // Assert
    expect(created.status).toBe(201);
    expect(past.status).toBe(400);
    expect(added.code, added.stderr).toBe(0);
    expect(listed.silences.map((s) => s.unitId)).toEqual([DISTRICT, COMMUNE]);
    expect(cliList.stdout).toContain('Flooding');
    expect(removed.status).toBe(204);
    expect(cliRemove.code, cliRemove.stderr).toBe(0);
    expect((await getJson<{ silences: unknown[] }>('/silences', admin)).silences).toEqual([]);
  });
});

describe('the recipients CLI without a running system', () => {
  it('says so clearly and exits 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'quota-recipients-off-'));
    try {
      const result = runCli(dir, 'infra/local/cli/recipients.ts', ['list']);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('The local system is not running: start it with `npm start`');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
