import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AlertMessage } from '../../../../shared/alerts/publisher.js';
import { SnsAlertPublisher, snsSubject } from '../../../../shared/alerts/sns-publisher.js';

const TOPIC = 'arn:aws:sns:ap-southeast-1:123456789012:quota-alerts-dev';

const anAlertMessage = (overrides: Partial<AlertMessage> = {}): AlertMessage => ({
  subject: 'Huyen Van Lam: critical',
  sms: 'Huyen Van Lam: 12% (muc tieu 90.000), can 1.200/ngay, dang 800/ngay. NGUY CO CAO.',
  email: 'Huyện Văn Lâm đang ở mức nguy cơ cao: 12 % chỉ tiêu…',
  attributes: {
    campaignId: 'cccd-2021-test',
    scope: '323',
    severity: 'critical',
    kind: 'alert',
    lang: 'vi',
    channel: 'sms',
  },
  ...overrides,
});

describe('SnsAlertPublisher', () => {
  const sns = mockClient(SNSClient);
  beforeEach(() => {
    sns.reset();
    sns.on(PublishCommand).resolves({ MessageId: 'msg-1' });
  });

  it('publishes one JSON-structured message with a body per protocol and every attribute as a String', async () => {
    // Arrange
    const publisher = new SnsAlertPublisher(new SNSClient({ region: 'ap-southeast-1' }), TOPIC);
    const message = anAlertMessage();
    // Act
    const result = await publisher.publish(message);
    // Assert
    expect(result).toEqual({ messageId: 'msg-1' });
    const calls = sns.commandCalls(PublishCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toEqual({
      TopicArn: TOPIC,
      MessageStructure: 'json',
      Message: JSON.stringify({ default: message.email, email: message.email, sms: message.sms }),
      Subject: 'Huyen Van Lam: critical',
      MessageAttributes: {
        campaignId: { DataType: 'String', StringValue: 'cccd-2021-test' },
        scope: { DataType: 'String', StringValue: '323' },
        severity: { DataType: 'String', StringValue: 'critical' },
        kind: { DataType: 'String', StringValue: 'alert' },
        lang: { DataType: 'String', StringValue: 'vi' },
        channel: { DataType: 'String', StringValue: 'sms' },
      },
    });
  });

  it('fails when SNS fails (the caller decides whether to retry)', async () => {
    sns.on(PublishCommand).rejects(new Error('Topic does not exist'));
    const publisher = new SnsAlertPublisher(new SNSClient({ region: 'ap-southeast-1' }), TOPIC);
    await expect(publisher.publish(anAlertMessage())).rejects.toThrow('Topic does not exist');
  });
});

describe('snsSubject()', () => {
  it('keeps a subject SNS accepts: no line breaks, fewer than 100 characters', () => {
    expect(snsSubject('Tuần 11:\nbáo cáo')).toBe('Tuần 11: báo cáo');
    const long = snsSubject('x'.repeat(150));
    expect(long).toHaveLength(99);
    expect(long.endsWith('…')).toBe(true);
  });
});
