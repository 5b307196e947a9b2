import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DeliveredAlert, LocalSnsOutbox } from '../../../../shared/alerts/local-outbox.js';
import type { AlertAttributes, AlertMessage } from '../../../../shared/alerts/publisher.js';
import type { Recipient } from '../../../../shared/schemas/recipients.js';
import { anAlertAttributes, aRecipient } from '../../../support/builders.js';

const aMessage = (attributes: Partial<AlertAttributes> = {}): AlertMessage => ({
  subject: 'Huyen Van Lam: at risk',
  sms: 'Huyen Van Lam: 12%, can 1.200/ngay',
  email: 'Huyện Văn Lâm: 12 % chỉ tiêu, cần 1.200/ngày',
  attributes: anAlertAttributes(attributes),
});

describe('LocalSnsOutbox', () => {
  let dir: string;
  let file: string;
  let logged: string[];
  const registry: Recipient[] = [
    aRecipient({ id: 'r-smsvi', sms: '+84912345678' }),
    aRecipient({ id: 'r-mailvi', email: 'lan@hungyen.gov.vn' }),
    aRecipient({ id: 'r-both', sms: '+84912000001', email: 'both@hungyen.gov.vn' }),
    aRecipient({ id: 'r-critical', sms: '+84912000002', minSeverity: 'critical' }),
    aRecipient({ id: 'r-english', sms: '+84912000003', lang: 'en' }),
    aRecipient({ id: 'r-child', unitId: '12001', sms: '+84912000004' }),
    aRecipient({ id: 'r-other-campaign', campaignId: 'cccd-2021-other', sms: '+84912000005' }),
    // One address in two campaigns, at different units: one subscription, the $or of both policies.
    aRecipient({ id: 'r-twice-a', campaignId: 'campaign-a', unitId: '11977', email: 'twice@gov.vn' }),
    aRecipient({ id: 'r-twice-b', campaignId: 'campaign-b', unitId: '323', email: 'twice@gov.vn' }),
  ];
  const reads: string[] = [];
  const outbox = () =>
    new LocalSnsOutbox({
      recipients: {
        listByUnit: async (campaignId, unitId) => {
          reads.push(`${campaignId}/${unitId}`);
          return registry.filter((r) => r.campaignId === campaignId && r.unitId === unitId);
        },
      },
      file,
      log: (line) => logged.push(line),
      clock: () => new Date('2021-03-13T15:30:00.000Z'),
      newMessageId: () => 'local-1',
    });
  const lines = (): DeliveredAlert[] =>
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => JSON.parse(l) as DeliveredAlert);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'quota-outbox-'));
    file = join(dir, 'nested', 'alerts.jsonl');
    logged = [];
    reads.length = 0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('delivers an at_risk SMS in Vietnamese to the matching SMS subscribers of the unit only', async () => {
    // Act
    const result = await outbox().publish(aMessage());
    // Assert: not the e-mail-only leader, not the critical-only one, not the English one,
    // not the child unit's, not another campaign's
    expect(result).toEqual({ messageId: 'local-1' });
    expect(lines().map((l) => l.recipient.id)).toEqual(['r-smsvi', 'r-both']);
    expect(lines()[0]).toEqual({
      at: '2021-03-13T15:30:00.000Z',
      campaignId: 'cccd-2021-test',
      recipient: { id: 'r-smsvi', name: 'Leader r-smsvi', endpoint: '+84912345678' },
      protocol: 'sms',
      body: 'Huyen Van Lam: 12%, can 1.200/ngay',
      attributes: aMessage().attributes,
    });
    expect(reads).toEqual(['cccd-2021-test/323']);
    expect(logged).toHaveLength(2);
    expect(logged[0]).toContain('sms → Leader r-smsvi <+84912345678>');
  });

  it('delivers the e-mail publish to e-mail subscribers, with the subject and the full body', async () => {
    // Act
    await outbox().publish(aMessage({ channel: 'email' }));
    // Assert
    expect(lines().map((l) => [l.recipient.id, l.protocol, l.recipient.endpoint])).toEqual([
      ['r-mailvi', 'email', 'lan@hungyen.gov.vn'],
      ['r-both', 'email', 'both@hungyen.gov.vn'],
    ]);
    expect(lines()[0]).toMatchObject({
      subject: 'Huyen Van Lam: at risk',
      body: 'Huyện Văn Lâm: 12 % chỉ tiêu, cần 1.200/ngày',
    });
  });

  it('gives a critical alert to the critical-only leader too, and an English one only to the English leader', async () => {
    await outbox().publish(aMessage({ severity: 'critical' }));
    await outbox().publish(aMessage({ severity: 'critical', lang: 'en' }));
    expect(lines().map((l) => l.recipient.id)).toEqual(['r-smsvi', 'r-both', 'r-critical', 'r-english']);
  });

  it('writes nothing when nobody matches, and says so on the console', async () => {
    await outbox().publish(aMessage({ scope: '324' }));
    expect(() => readFileSync(file, 'utf8')).toThrow();
    expect(logged).toEqual([expect.stringContaining('no matching recipient')]);
  });

  it("delivers an address registered in two campaigns each campaign's message for its own unit, not the other's unit", async () => {
    const sent = async (campaignId: string, scope: string) => {
      rmSync(file, { force: true });
      await outbox().publish(aMessage({ campaignId, scope, channel: 'email' }));
      let text = '';
      try {
        text = readFileSync(file, 'utf8');
      } catch {}
      return text
        .split('\n')
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as DeliveredAlert).recipient.id);
    };
    expect(await sent('campaign-a', '11977')).toEqual(['r-twice-a']);
    expect(await sent('campaign-b', '323')).toEqual(['r-twice-b']);
    expect(await sent('campaign-b', '11977')).toEqual([]);
    expect(await sent('campaign-a', '323')).toEqual([]);
  });
});
