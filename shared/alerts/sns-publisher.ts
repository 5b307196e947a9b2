/**
 * The AlertPublisher of AWS: one Publish to the alerts topic per message. SNS hands it to every
 * subscription whose filter policy (shared/domain/filter-policy.ts) matches the message
 * attributes, with the body of the subscription's protocol (`MessageStructure: 'json'`): the short
 * text to SMS subscriptions, the full text (and the Subject) to e-mail ones.
 */
import { PublishCommand, type PublishCommandInput, type SNSClient } from '@aws-sdk/client-sns';
import type { AlertAttributes, AlertMessage, AlertPublisher } from './publisher.js';

/** SNS Subject: no line breaks or control characters, fewer than 100 characters. */
export const MAX_SUBJECT_LENGTH = 99;

export function snsSubject(subject: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  const clean = subject.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return clean.length > MAX_SUBJECT_LENGTH ? `${clean.slice(0, MAX_SUBJECT_LENGTH - 1)}…` : clean;
}

/** Every AlertAttributes field as an SNS String message attribute, the filter policies' input. */
export function messageAttributes(attributes: AlertAttributes): PublishCommandInput['MessageAttributes'] {
  return Object.fromEntries(
    Object.entries(attributes).map(([name, value]) => [
      name,
      { DataType: 'String', StringValue: String(value) },
    ]),
  );
}

export function publishInput(topicArn: string, message: AlertMessage): PublishCommandInput {
  return {
    TopicArn: topicArn,
    MessageStructure: 'json',
    // `default` is required with MessageStructure json, and is what any other protocol would get.
    Message: JSON.stringify({ default: message.email, email: message.email, sms: message.sms }),
    Subject: snsSubject(message.subject),
    MessageAttributes: messageAttributes(message.attributes),
  };
}

export class SnsAlertPublisher implements AlertPublisher {
  constructor(
    private readonly sns: Pick<SNSClient, 'send'>,
    private readonly topicArn: string,
  ) {}

  async publish(message: AlertMessage): Promise<{ readonly messageId: string }> {
    const { MessageId } = await this.sns.send(new PublishCommand(publishInput(this.topicArn, message)));
    if (!MessageId) throw new Error('SNS Publish returned no MessageId');
    return { messageId: MessageId };
  }
}
