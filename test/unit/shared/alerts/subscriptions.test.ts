import {
  InvalidParameterException,
  NotFoundException,
  SetSubscriptionAttributesCommand,
  SNSClient,
  SubscribeCommand,
  UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  endpointKey,
  removeSubscriptions,
  SubscriptionSyncError,
  syncSubscriptions,
} from '../../../../shared/alerts/subscriptions.js';
import type { Recipient } from '../../../../shared/schemas/recipients.js';
import { aRecipient } from '../../../support/builders.js';

const TOPIC = 'arn:aws:sns:ap-southeast-1:123456789012:quota-alerts-dev';
const SMS_ARN = `${TOPIC}:0a1b2c3d-sms`;
const EMAIL_ARN = `${TOPIC}:4e5f6a7b-email`;

/** Lan, a district leader with an SMS number. */
const lan = (overrides: Partial<Recipient> = {}): Recipient =>
  aRecipient({ name: 'Nguyễn Thị Lan', sms: '+84912345678', ...overrides });

/** Lan by e-mail only, subscribed. */
const lanByEmail = () =>
  lan({ sms: undefined, email: 'lan@hungyen.gov.vn', subscriptions: { email: EMAIL_ARN } });
/** Lan by SMS and e-mail, both subscribed. */
const lanBySmsAndEmail = () =>
  lan({ email: 'lan@hungyen.gov.vn', subscriptions: { sms: SMS_ARN, email: EMAIL_ARN } });

const policyOf = (overrides: Record<string, string[]> = {}) =>
  JSON.stringify({
    campaignId: ['cccd-2021-test'],
    scope: ['323'],
    lang: ['vi'],
    channel: ['sms'],
    severity: ['at_risk', 'critical', 'resolved', 'info'],
    ...overrides,
  });

const snsError = <T>(Type: new (o: { message: string; $metadata: object }) => T, message: string) =>
  new Type({ message, $metadata: {} });

describe('syncSubscriptions()', () => {
  const sns = mockClient(SNSClient);
  const client = new SNSClient({ region: 'ap-southeast-1' });
  beforeEach(() => {
    sns.reset();
    sns.on(SubscribeCommand, { Protocol: 'sms' }).resolves({ SubscriptionArn: SMS_ARN });
    sns.on(SubscribeCommand, { Protocol: 'email' }).resolves({ SubscriptionArn: EMAIL_ARN });
  });

  it('subscribes each channel with its filter policy, scoped to message attributes, asking for the ARN', async () => {
    // Arrange
    const recipient = lan({ email: 'lan@hungyen.gov.vn', lang: 'en' });
    // Act
    const result = await syncSubscriptions(recipient, undefined, client, TOPIC);
    // Assert
    expect(sns.commandCalls(SubscribeCommand).map((c) => c.args[0].input)).toEqual([
      {
        TopicArn: TOPIC,
        Protocol: 'sms',
        Endpoint: '+84912345678',
        Attributes: {
          FilterPolicy: policyOf({ lang: ['en'] }),
          FilterPolicyScope: 'MessageAttributes',
        },
        ReturnSubscriptionArn: true,
      },
      {
        TopicArn: TOPIC,
        Protocol: 'email',
        Endpoint: 'lan@hungyen.gov.vn',
        Attributes: {
          FilterPolicy: policyOf({ lang: ['en'], channel: ['email'] }),
          FilterPolicyScope: 'MessageAttributes',
        },
        ReturnSubscriptionArn: true,
      },
    ]);
    expect(result.subscriptions).toEqual({ sms: SMS_ARN, email: EMAIL_ARN });
    expect(result.notes).toEqual([
      expect.stringContaining('email lan@hungyen.gov.vn: SNS sent a confirmation'),
    ]);
  });

  it('changes nothing when called again with its own result as the previous state', async () => {
    // Arrange
    const first = await syncSubscriptions(lan(), undefined, client, TOPIC);
    const stored = lan({ subscriptions: first.subscriptions });
    sns.resetHistory();
    // Act
    const again = await syncSubscriptions(stored, stored, client, TOPIC);
    // Assert
    expect(sns.calls()).toHaveLength(0);
    expect(again.subscriptions).toEqual({ sms: SMS_ARN });
  });

  it('updates only the filter policy when the unit or the minimum severity changes', async () => {
    // Arrange
    const previous = lan({ subscriptions: { sms: SMS_ARN } });
    const next = lan({ unitId: '324', minSeverity: 'critical', subscriptions: { sms: SMS_ARN } });
    sns.on(SetSubscriptionAttributesCommand).resolves({});
    // Act
    const result = await syncSubscriptions(next, previous, client, TOPIC);
    // Assert
    expect(sns.commandCalls(SubscribeCommand)).toHaveLength(0);
    expect(sns.commandCalls(UnsubscribeCommand)).toHaveLength(0);
    expect(sns.commandCalls(SetSubscriptionAttributesCommand).map((c) => c.args[0].input)).toEqual([
      {
        SubscriptionArn: SMS_ARN,
        AttributeName: 'FilterPolicy',
        // an SMS-only leader also takes sms_only messages (the campaign's SMS cap reached)
        AttributeValue: policyOf({
          scope: ['324'],
          channel: ['sms', 'sms_only'],
          severity: ['critical', 'resolved', 'info'],
        }),
      },
    ]);
    expect(result.subscriptions).toEqual({ sms: SMS_ARN });
  });

  it('unsubscribes the old number and subscribes the new one when the number changes', async () => {
    // Arrange
    const previous = lan({
      subscriptions: { sms: 'arn:aws:sns:ap-southeast-1:123456789012:quota-alerts-dev:old' },
    });
    const next = lan({ sms: '+84987654321', subscriptions: previous.subscriptions });
    sns.on(UnsubscribeCommand).resolves({});
    // Act
    const result = await syncSubscriptions(next, previous, client, TOPIC);
    // Assert
    expect(sns.commandCalls(UnsubscribeCommand).map((c) => c.args[0].input)).toEqual([
      { SubscriptionArn: 'arn:aws:sns:ap-southeast-1:123456789012:quota-alerts-dev:old' },
    ]);
    expect(sns.commandCalls(SubscribeCommand).map((c) => c.args[0].input.Endpoint)).toEqual(['+84987654321']);
    expect(result.subscriptions).toEqual({ sms: SMS_ARN });
  });

  it('unsubscribes a channel the recipient no longer has', async () => {
    // Arrange
    const previous = lanBySmsAndEmail();
    const next = lan({ subscriptions: previous.subscriptions });
    sns.on(UnsubscribeCommand).resolves({});
    // Act
    const result = await syncSubscriptions(next, previous, client, TOPIC);
    // Assert
    expect(sns.commandCalls(UnsubscribeCommand).map((c) => c.args[0].input.SubscriptionArn)).toEqual([
      EMAIL_ARN,
    ]);
    expect(result.subscriptions).toEqual({ sms: SMS_ARN });
  });

  it('subscribes again when the old subscription is gone (the leader unsubscribed by the e-mail link)', async () => {
    // Arrange
    const previous = lanByEmail();
    const next = { ...previous, lang: 'en' as const };
    sns
      .on(SetSubscriptionAttributesCommand)
      .rejects(snsError(NotFoundException, 'Subscription does not exist'));
    // Act
    const result = await syncSubscriptions(next, previous, client, TOPIC);
    // Assert
    expect(sns.commandCalls(SubscribeCommand)).toHaveLength(1);
    expect(result.subscriptions).toEqual({ email: EMAIL_ARN });
    expect(result.notes[0]).toContain('no longer existed');
  });

  it('replaces a subscription pending confirmation whose policy cannot be changed', async () => {
    // Arrange
    const previous = lanByEmail();
    const next = { ...previous, minSeverity: 'critical' as const };
    sns
      .on(SetSubscriptionAttributesCommand)
      .rejects(snsError(InvalidParameterException, 'Invalid parameter: pending'));
    sns.on(UnsubscribeCommand).rejects(snsError(InvalidParameterException, 'Invalid parameter: pending'));
    // Act
    const result = await syncSubscriptions(next, previous, client, TOPIC);
    // Assert
    expect(sns.commandCalls(UnsubscribeCommand)).toHaveLength(1);
    expect(sns.commandCalls(SubscribeCommand)[0]?.args[0].input.Attributes?.FilterPolicy).toBe(
      policyOf({ channel: ['email'], severity: ['critical', 'resolved', 'info'] }),
    );
    expect(result.notes.join('\n')).toContain('deletes it by itself 48 hours');
  });

  it('reports what exists when SNS fails part-way, so the registry can record it', async () => {
    // Arrange
    sns
      .on(SubscribeCommand, { Protocol: 'email' })
      .rejects(snsError(InvalidParameterException, 'Invalid parameter: Email address'));
    // Act
    const failure = await syncSubscriptions(
      lan({ email: 'lan@hungyen.gov.vn' }),
      undefined,
      client,
      TOPIC,
    ).catch((e: unknown) => e);
    // Assert
    expect(failure).toBeInstanceOf(SubscriptionSyncError);
    expect((failure as SubscriptionSyncError).subscriptions).toEqual({ sms: SMS_ARN });
    expect((failure as Error).message).toContain('Invalid parameter: Email address');
  });
});

describe('removeSubscriptions()', () => {
  const sns = mockClient(SNSClient);
  const client = new SNSClient({ region: 'ap-southeast-1' });
  beforeEach(() => sns.reset());

  it('unsubscribes every channel', async () => {
    // Arrange
    sns.on(UnsubscribeCommand).resolves({});
    const recipient = lanBySmsAndEmail();
    // Act
    const { notes } = await removeSubscriptions(recipient, client);
    // Assert
    expect(sns.commandCalls(UnsubscribeCommand).map((c) => c.args[0].input.SubscriptionArn)).toEqual([
      SMS_ARN,
      EMAIL_ARN,
    ]);
    expect(notes).toEqual([]);
  });

  it('cannot unsubscribe a "pending confirmation" e-mail subscription: skips it and says why', async () => {
    // Arrange: a subscription made without ReturnSubscriptionArn has no ARN, only this text
    const recipient = lan({
      sms: undefined,
      email: 'lan@hungyen.gov.vn',
      subscriptions: { email: 'pending confirmation' },
    });
    // Act
    const { notes } = await removeSubscriptions(recipient, client);
    // Assert
    expect(sns.calls()).toHaveLength(0);
    expect(notes).toEqual([
      expect.stringMatching(/^email lan@hungyen\.gov\.vn: the subscription was still waiting .* 48 hours/),
    ]);
  });

  it('treats a pending ARN that SNS refuses to delete, and one already gone, as removed', async () => {
    // Arrange
    sns
      .on(UnsubscribeCommand, { SubscriptionArn: SMS_ARN })
      .rejects(snsError(NotFoundException, 'Subscription does not exist'))
      .on(UnsubscribeCommand, { SubscriptionArn: EMAIL_ARN })
      .rejects(snsError(InvalidParameterException, 'Invalid parameter: SubscriptionArn'));
    const recipient = lanBySmsAndEmail();
    // Act
    const { notes } = await removeSubscriptions(recipient, client);
    // Assert
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain('SNS refused to unsubscribe it: Invalid parameter: SubscriptionArn');
  });

  it('fails on any other SNS error, so the registry keeps the recipient', async () => {
    sns.on(UnsubscribeCommand).rejects(new Error('throttled'));
    await expect(removeSubscriptions(lan({ subscriptions: { sms: SMS_ARN } }), client)).rejects.toThrow(
      'throttled',
    );
  });
});

describe('one number registered in two campaigns', () => {
  const SMS_ONLY = ['sms', 'sms_only']; // no e-mail: SMS also carries the sms_only messages
  const sns = mockClient(SNSClient);
  const client = new SNSClient({ region: 'ap-southeast-1' });
  const inA = lan({ subscriptions: { sms: SMS_ARN } });
  const inB = lan({ id: 'r-binh000001', campaignId: 'campaign-b', unitId: '11977' });
  const others = (r: Recipient) => new Map([[endpointKey('sms', '+84912345678'), [r]]]);
  beforeEach(() => {
    sns.reset();
    sns.on(SubscribeCommand).resolves({ SubscriptionArn: SMS_ARN });
  });

  it("adding campaign B sets the $or of both policies on A's subscription, subscribing nothing new", async () => {
    const { subscriptions } = await syncSubscriptions(inB, undefined, client, TOPIC, others(inA));
    expect(subscriptions).toEqual({ sms: SMS_ARN });
    expect(sns.commandCalls(SubscribeCommand)).toHaveLength(0);
    const [set] = sns.commandCalls(SetSubscriptionAttributesCommand);
    expect(JSON.parse(set?.args[0].input.AttributeValue ?? '{}')).toEqual({
      $or: [
        JSON.parse(policyOf({ campaignId: ['campaign-b'], scope: ['11977'], channel: SMS_ONLY })),
        JSON.parse(policyOf({ channel: SMS_ONLY })),
      ],
    });
  });

  it("removing B narrows the policy back to A's; removing the last one unsubscribes", async () => {
    await removeSubscriptions({ ...inB, subscriptions: { sms: SMS_ARN } }, client, TOPIC, others(inA));
    expect(sns.commandCalls(UnsubscribeCommand)).toHaveLength(0);
    expect(sns.commandCalls(SetSubscriptionAttributesCommand)[0]?.args[0].input.AttributeValue).toBe(
      policyOf({ channel: SMS_ONLY }),
    );
    await removeSubscriptions(inA, client, TOPIC);
    expect(sns.commandCalls(UnsubscribeCommand)[0]?.args[0].input).toEqual({ SubscriptionArn: SMS_ARN });
  });
});
