import { describe, expect, it } from 'vitest';
import type { AlertMessage } from '../../../../shared/alerts/publisher.js';
import { buildAlertsFeed, maskEndpoint } from '../../../../shared/domain/alerts-feed.js';
import type { Recipient } from '../../../../shared/schemas/recipients.js';
import type { SentEntry } from '../../../../shared/store/outbox-store.js';
import { anAlertAttributes, aRecipient } from '../../../support/builders.js';

const FROM = '2021-03-01T00:00:00.000Z';
const TO = '2021-03-15T00:00:00.000Z';

/** A leader of campaign c1 (the feed's campaign). */
const aLeader = (overrides: Partial<Recipient> & Pick<Recipient, 'id' | 'unitId'>): Recipient =>
  aRecipient({ campaignId: 'c1', createdAt: FROM, updatedAt: FROM, createdBy: 'admin', ...overrides });

const aSent = (
  scope: string,
  at: string,
  overrides: Partial<SentEntry> & { attributes?: Partial<AlertMessage['attributes']> } = {},
): SentEntry => {
  const { attributes, ...rest } = overrides;
  return {
    key: `${at}#${scope}#vi#${attributes?.channel ?? 'sms'}`,
    campaignId: 'c1',
    releaseAt: at,
    status: 'sent',
    sentAt: at,
    message: {
      subject: `Subject ${scope}`,
      sms: `SMS ${scope}`,
      email: `E-mail ${scope}`,
      attributes: anAlertAttributes({ campaignId: 'c1', scope, severity: 'critical', ...attributes }),
    },
    ...rest,
  };
};

describe('buildAlertsFeed()', () => {
  const district = aLeader({
    id: 'r-d',
    unitId: '323',
    sms: '+84912345678',
    email: 'chutich@vanlam.gov.vn',
  });
  const province = aLeader({ id: 'r-p', unitId: '33', email: 'ct@hungyen.gov.vn' });
  const smsOnly = aLeader({ id: 'r-s', unitId: '323', sms: '+84987654321', minSeverity: 'critical' });

  it("lists deliveries to the unit's leaders and the parent's messages that name it, newest first, masked", () => {
    // Arrange
    const entries = [
      aSent('323', '2021-03-03T13:00:00.000Z'),
      aSent('323', '2021-03-03T13:00:00.000Z', { attributes: { channel: 'email' } }),
      aSent('33', '2021-03-05T13:00:00.000Z', { about: ['33', '323'], attributes: { channel: 'email' } }),
      aSent('33', '2021-03-06T13:00:00.000Z', { about: ['33', '324'], attributes: { channel: 'email' } }),
      aSent('323', '2021-03-07T13:00:00.000Z', {
        status: 'pending',
        sentAt: undefined,
      } as Partial<SentEntry>),
      aSent('323', '2021-03-20T13:00:00.000Z'),
    ];

    // Act
    const feed = buildAlertsFeed({
      unitId: '323',
      from: FROM,
      to: TO,
      entries,
      recipients: [district, province, smsOnly],
      acknowledgements: [],
      silences: [],
      budget: [],
      admin: false,
      parentVisible: true,
    });

    // Assert
    expect(feed.map((a) => `${a.at.slice(0, 10)} ${a.channel} ${a.recipient?.endpoint}`)).toEqual([
      '2021-03-05 email c***@hungyen.gov.vn',
      '2021-03-03 sms +8491****678',
      '2021-03-03 sms +8498****321',
      '2021-03-03 email c***@vanlam.gov.vn',
    ]);
    expect(feed[3]).toMatchObject({
      kind: 'alert',
      severity: 'critical',
      subject: 'Subject 323',
      body: 'E-mail 323',
    });
    expect(maskEndpoint('+84912345678')).toBe('+8491****678');
    expect(feed[0]).toMatchObject({ body: 'E-mail 33' });
  });

  it("leaves out the text of the parent's messages when the caller cannot read the parent (it names the siblings)", () => {
    // Arrange: a district leader's feed holds the province digest that names 323 (and others)
    const entries = [
      aSent('33', '2021-03-05T13:00:00.000Z', { about: ['33', '323'], attributes: { channel: 'email' } }),
      aSent('323', '2021-03-03T13:00:00.000Z', { attributes: { channel: 'email' } }),
    ];
    // Act
    const feed = buildAlertsFeed({
      unitId: '323',
      from: FROM,
      to: TO,
      entries,
      recipients: [district, province],
      acknowledgements: [],
      silences: [],
      budget: [],
      admin: false,
      parentVisible: false,
    });
    // Assert: the delivery is listed, its text is not; the unit's own message keeps its text
    const parents = feed.filter((a) => a.recipient?.id === 'r-p');
    expect(parents).toHaveLength(1);
    expect(parents[0]).not.toHaveProperty('body');
    expect(parents[0]).not.toHaveProperty('subject');
    expect(parents[0]?.note).toMatch(/names other units/);
    expect(feed.find((a) => a.recipient?.id === 'r-d')).toMatchObject({ body: 'E-mail 323' });
  });

  it('sends sms_only to SMS-only leaders alone and says why; shows acknowledgements, silences and budget marks', () => {
    // Arrange
    const capped = aSent('323', '2021-03-08T13:00:00.000Z', { attributes: { channel: 'sms_only' } });

    // Act
    const feed = buildAlertsFeed({
      unitId: '323',
      from: FROM,
      to: TO,
      entries: [capped],
      recipients: [district, smsOnly],
      acknowledgements: [
        {
          id: 'a-1',
          campaignId: 'c1',
          unitId: '323',
          createdAt: '2021-03-09T01:00:00.000Z',
          createdBy: 'leader-323',
          note: 'đã biết',
          until: '2021-03-12T01:00:00.000Z',
          deletedAt: '2021-03-10T01:00:00.000Z',
          deletedBy: 'admin',
        },
        { id: 'a-2', campaignId: 'c1', unitId: '324', createdAt: FROM, createdBy: 'x', until: TO },
      ],
      silences: [
        {
          id: 's-1',
          campaignId: 'c1',
          unitId: '33',
          until: '2021-03-04T00:00:00.000Z',
          reason: 'mất điện',
          createdBy: 'admin',
          createdAt: '2021-03-02T00:00:00.000Z',
        },
      ],
      budget: [
        {
          month: '2021-03',
          cap: 10,
          count: 11,
          noticeAt: '2021-03-07T13:00:00.000Z',
          cappedAt: '2021-03-08T13:00:00.000Z',
        },
      ],
      admin: true,
      parentVisible: true,
    });

    // Assert
    expect(feed.map((a) => `${a.kind} ${a.recipient?.endpoint ?? a.by ?? ''}`)).toEqual([
      'acknowledgement_withdrawn admin',
      'acknowledgement leader-323',
      'alert +84987654321',
      'sms_budget ',
      'sms_budget ',
      'silence admin',
    ]);
    expect(feed.find((a) => a.kind === 'alert')?.note).toContain('SMS cap reached');
    expect(feed.find((a) => a.kind === 'silence')?.note).toBe('mất điện (unit 33)');
    expect(feed.find((a) => a.kind === 'acknowledgement')).toMatchObject({
      note: 'đã biết',
      until: '2021-03-12T01:00:00.000Z',
    });
  });
});
