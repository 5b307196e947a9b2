import { describe, expect, it } from 'vitest';
import {
  filterPolicyFor,
  filterPolicyJson,
  matches,
  PolicyLimitError,
  type PolicySubject,
  policyCombinations,
  severitiesFor,
  unionPolicy,
} from '../../../../shared/domain/filter-policy.js';
import { anAlertAttributes } from '../../../support/builders.js';

const aLeader = (overrides: Partial<PolicySubject> = {}): PolicySubject => ({
  campaignId: 'cccd-2021-test',
  unitId: '323',
  lang: 'vi',
  minSeverity: 'at_risk',
  ...overrides,
});

describe('filterPolicyFor()', () => {
  it('selects the campaign, the unit, the language, the channel and the severities', () => {
    expect(filterPolicyFor(aLeader({ email: 'lan@hungyen.gov.vn' }), 'sms')).toEqual({
      campaignId: ['cccd-2021-test'],
      scope: ['323'],
      lang: ['vi'],
      channel: ['sms'],
      severity: ['at_risk', 'critical', 'resolved', 'info'],
    });
  });

  it('lets an SMS-only leader receive sms_only messages (SMS cap reached), and a leader with e-mail not', () => {
    // Arrange
    const smsOnly = filterPolicyFor(aLeader(), 'sms');
    const withEmail = filterPolicyFor(aLeader({ email: 'lan@hungyen.gov.vn' }), 'sms');
    const capped = anAlertAttributes({ channel: 'sms_only', severity: 'critical' });

    // Act / Assert
    expect(smsOnly.channel).toEqual(['sms', 'sms_only']);
    expect(matches(smsOnly, capped)).toBe(true);
    expect(matches(withEmail, capped)).toBe(false);
    expect(matches(filterPolicyFor(aLeader({ email: 'lan@hungyen.gov.vn' }), 'email'), capped)).toBe(false);
  });

  it('leaves at_risk out for a leader who wants critical alerts only, but keeps resolved and info', () => {
    expect(severitiesFor('critical')).toEqual(['critical', 'resolved', 'info']);
    expect(filterPolicyFor(aLeader({ minSeverity: 'critical', lang: 'en' }), 'email')).toMatchObject({
      lang: ['en'],
      channel: ['email'],
      severity: ['critical', 'resolved', 'info'],
    });
  });

  it('stays within SNS limits: at most 5 keys and 150 value combinations', () => {
    const policy = JSON.parse(filterPolicyJson(filterPolicyFor(aLeader(), 'sms'))) as Record<
      string,
      string[]
    >;
    expect(Object.keys(policy)).toHaveLength(5);
    expect(Object.values(policy).reduce((n, values) => n * values.length, 1)).toBeLessThanOrEqual(150);
  });
});

describe('matches()', () => {
  const policy = filterPolicyFor(aLeader(), 'sms');

  it('matches a message whose every policy key has one of the allowed values', () => {
    expect(matches(policy, anAlertAttributes())).toBe(true);
    expect(matches(policy, anAlertAttributes({ severity: 'resolved', kind: 'report' }))).toBe(true);
  });

  it.each([
    ['another campaign', { campaignId: 'cccd-2021-other' }],
    ['another unit (even a child)', { scope: '12001' }],
    ['another language', { lang: 'en' as const }],
    ['the other channel', { channel: 'email' as const }],
  ])('does not match %s', (_, change) => {
    expect(matches(policy, anAlertAttributes(change))).toBe(false);
  });

  it('does not give at_risk to a critical-only leader', () => {
    const criticalOnly = filterPolicyFor(aLeader({ minSeverity: 'critical' }), 'sms');
    expect(matches(criticalOnly, anAlertAttributes({ severity: 'at_risk' }))).toBe(false);
    expect(matches(criticalOnly, anAlertAttributes({ severity: 'critical' }))).toBe(true);
  });

  it('needs every policy key among the attributes (SNS: a missing attribute never matches)', () => {
    expect(matches({ scope: ['323'], lang: ['vi'] }, { scope: '323' })).toBe(false);
  });

  it('ignores attributes the policy does not name, and compares case-sensitively', () => {
    expect(matches({ scope: ['323'] }, { scope: '323', extra: 'x' })).toBe(true);
    expect(matches({ lang: ['vi'] }, { lang: 'VI' })).toBe(false);
  });
});

describe('unionPolicy(): one endpoint registered in several campaigns', () => {
  const inA = aLeader({ campaignId: 'campaign-a', unitId: '11977', email: 'lan@hungyen.gov.vn' });
  const inB = aLeader({ campaignId: 'campaign-b', unitId: '323', email: 'lan@hungyen.gov.vn' });
  const alert = (campaignId: string, scope: string) => ({
    campaignId,
    scope,
    lang: inA.lang,
    channel: 'email',
    severity: 'critical',
    kind: 'alert',
  });

  it("delivers each campaign's messages for its own unit only, never a cross product", () => {
    const policy = unionPolicy([filterPolicyFor(inA, 'email'), filterPolicyFor(inB, 'email')]);
    expect(matches(policy, alert('campaign-a', '11977'))).toBe(true);
    expect(matches(policy, alert('campaign-b', '323'))).toBe(true);
    expect(matches(policy, alert('campaign-a', '323'))).toBe(false);
    expect(matches(policy, alert('campaign-b', '11977'))).toBe(false);
    expect(JSON.parse(filterPolicyJson(policy))).toHaveProperty('$or');
    expect(policyCombinations(policy)).toBe(8);
  });

  it('is the single policy itself when there is one registration', () => {
    const one = filterPolicyFor(inA, 'email');
    expect(unionPolicy([one, one])).toEqual(one);
  });

  it('refuses past 150 value combinations', () => {
    const many = (n: number) =>
      Array.from({ length: n }, (_, i) => filterPolicyFor(aLeader({ campaignId: `campaign-${i}` }), 'sms'));
    // Without e-mail an SMS branch is 2 channels × 4 severities = 8 combinations: 18 fit, 19 do not.
    expect(policyCombinations(unionPolicy(many(18)))).toBe(144);
    expect(() => unionPolicy(many(19))).toThrow(PolicyLimitError);
  });
});
