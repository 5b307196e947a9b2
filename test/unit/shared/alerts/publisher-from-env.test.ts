import { describe, expect, it } from 'vitest';
import { LocalSnsOutbox } from '../../../../shared/alerts/local-outbox.js';
import { publisherFromEnv } from '../../../../shared/alerts/publisher-from-env.js';
import { SnsAlertPublisher } from '../../../../shared/alerts/sns-publisher.js';

const recipients = { listByUnit: async () => [] };

describe('publisherFromEnv()', () => {
  it('publishes to the SNS topic in AWS, to the local stand-in under npm start', () => {
    expect(
      publisherFromEnv(recipients, { ALERTS_TOPIC_ARN: 'arn:aws:sns:ap-southeast-1:1:alerts' }),
    ).toBeInstanceOf(SnsAlertPublisher);
    expect(publisherFromEnv(recipients, { LOCAL_ALERTS_FILE: '/tmp/alerts.jsonl' })).toBeInstanceOf(
      LocalSnsOutbox,
    );
  });

  it('refuses to publish, naming what is missing, when neither is set', async () => {
    const message = {
      subject: 's',
      sms: 's',
      email: 'e',
      attributes: {
        campaignId: 'c',
        scope: '33',
        severity: 'info',
        kind: 'report',
        lang: 'vi',
        channel: 'email',
      },
    } as const;
    await expect(publisherFromEnv(recipients, {}).publish(message)).rejects.toThrow('ALERTS_TOPIC_ARN');
  });
});
