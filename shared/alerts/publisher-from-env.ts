/**
 * The alerts publisher a job uses, chosen by its environment: the SNS topic in AWS
 * (ALERTS_TOPIC_ARN, set by the stack together with the publish grant), the local SNS stand-in under
 * `npm start` (LOCAL_ALERTS_FILE), and otherwise one that refuses, naming what is missing.
 */
import { SNSClient } from '@aws-sdk/client-sns';
import type { RecipientStore } from '../store/recipient-store.js';
import { LocalSnsOutbox } from './local-outbox.js';
import type { AlertPublisher } from './publisher.js';
import { SnsAlertPublisher } from './sns-publisher.js';

export function publisherFromEnv(
  recipients: Pick<RecipientStore, 'listByUnit'>,
  env: NodeJS.ProcessEnv = process.env,
): AlertPublisher {
  if (env.ALERTS_TOPIC_ARN) return new SnsAlertPublisher(new SNSClient({}), env.ALERTS_TOPIC_ARN);
  if (env.LOCAL_ALERTS_FILE) {
    return new LocalSnsOutbox({
      recipients,
      file: env.LOCAL_ALERTS_FILE,
      log: (line: string) => console.log(line),
    });
  }
  return {
    publish: async () => {
      throw new Error('Set ALERTS_TOPIC_ARN (AWS) or LOCAL_ALERTS_FILE (local)');
    },
  };
}
