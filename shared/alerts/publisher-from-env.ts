/**
 * The alerts publisher a job uses, chosen by its environment: the SNS topic in AWS
 * (ALERTS_TOPIC_ARN, set by the stack together with the publish grant), the local SNS stand-in under
 * `npm start` (LOCAL_ALERTS_FILE), and otherwise (outside Lambda) one that refuses, naming what is
 * missing.
 */
import { SNSClient } from '@aws-sdk/client-sns';
import { awsOrLocal, readEnv } from '../config/env-rules.js';
import type { RecipientStore } from '../store/recipient-store.js';
import { LocalSnsOutbox } from './local-outbox.js';
import type { AlertPublisher } from './publisher.js';
import { SnsAlertPublisher } from './sns-publisher.js';

export function publisherFromEnv(
  recipients: Pick<RecipientStore, 'listByUnit'>,
  raw: Readonly<Record<string, unknown>>,
): AlertPublisher {
  // Inside Lambda a missing topic fails the cold start, naming ALERTS_TOPIC_ARN.
  const { aws: topicArn, local: file } = awsOrLocal(readEnv(raw), 'ALERTS_TOPIC_ARN', 'LOCAL_ALERTS_FILE');
  if (topicArn) return new SnsAlertPublisher(new SNSClient({}), topicArn);
  if (file) {
    return new LocalSnsOutbox({
      recipients,
      file,
      log: (line: string) => console.log(line),
    });
  }
  return {
    publish: async () => {
      throw new Error('Set ALERTS_TOPIC_ARN (AWS) or LOCAL_ALERTS_FILE (local)');
    },
  };
}
