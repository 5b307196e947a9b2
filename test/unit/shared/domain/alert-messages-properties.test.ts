import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatNumberVi,
  formatPercentVi,
  isGsm7,
  renderNotification,
  stripDiacritics,
  worstFirst,
} from '../../../../shared/domain/alert-messages.js';
import type { Notification, UnitChange } from '../../../../shared/domain/alert-policy.js';
import {
  anyName,
  changeOf,
  notificationOf,
  renderOptions,
  vietnameseName,
} from '../../../support/alert-arbitraries.js';
import { hungYen, TZ } from '../../../support/alert-notifications.js';

const SUBJECT_CHARS = /^[\x20-\x7e]+$/;

/** Integers of 4+ digits not written the vi-VN way, once names and dates are taken out. */
function ungroupedNumbers(email: string, names: readonly string[]): string[] {
  let text = email.replace(/\b\d{1,2}\/\d{1,2}\/\d{4}\b/g, ' ');
  for (const name of [...names].sort((a, b) => b.length - a.length)) text = text.split(name).join(' ');
  return text.match(/(?<![\d.,])\d{4,}/g) ?? [];
}

function namesIn(n: Notification, campaignName: string): string[] {
  const changes = [n.own, ...n.children, ...n.escalations].filter((c): c is UnitChange => c !== null);
  return [
    campaignName,
    n.scopeUnitId,
    ...(n.scope ? [n.scope.name] : []),
    ...changes.map((c) => c.evaluation.name),
  ];
}

describe('renderNotification()', () => {
  it('keeps every SMS within 160 GSM-7 characters and every subject ASCII within 100, whatever the input', () => {
    fc.assert(
      fc.property(notificationOf(anyName), renderOptions, (n, options) => {
        // Act
        const { subject, sms, email } = renderNotification(n, options);

        // Assert
        expect(sms.length).toBeGreaterThan(0);
        expect(sms.length).toBeLessThanOrEqual(160);
        expect(isGsm7(sms)).toBe(true);
        expect(sms).not.toMatch(/[\n\r]/);
        expect(subject.length).toBeLessThanOrEqual(100);
        expect(subject).toMatch(SUBJECT_CHARS);
        expect(email.length).toBeGreaterThan(0);
      }),
      { numRuns: 400 },
    );
  });

  it('keeps every SMS with a brand prefix, sub-targets, summaries and a link within 160 GSM-7 characters', () => {
    const withGroups = fc
      .tuple(
        notificationOf(anyName),
        fc.array(changeOf(anyName, ['alert', 'repeat', 'resolved', 'summary']), { maxLength: 3 }),
        fc.constantFrom('official', 'student', 'x'),
      )
      .map(([n, groups, code]) => ({
        ...n,
        groups: groups.map((g) => ({ ...g, group: { code, deadline: '2021-04-30' } })),
      }));
    const brand = fc.constantFrom('UBND HY', 'CA-HUNGYEN', 'X', 'BCA.CCCD');
    const link = fc.constantFrom(
      'http://127.0.0.1:3000/c/cccd-2021-hung-yen/u/33',
      'https://d111111abcdef8.cloudfront.net/c/cccd-2021-hung-yen/u/12001',
      'https://dashboard.example.gov.vn/c/cccd-2021-national-lagging-run/u/VN-01.001.00001',
    );
    fc.assert(
      fc.property(withGroups, renderOptions, brand, link, (n, options, smsBrand, url) => {
        // Act
        const { sms, email } = renderNotification(n, { ...options, smsBrand, link: url, smsLinks: true });

        // Assert
        expect(sms.startsWith(`${smsBrand}: `)).toBe(true);
        expect(sms.length).toBeLessThanOrEqual(160);
        expect(isGsm7(sms)).toBe(true);
        expect(email).toContain(url);
      }),
      { numRuns: 300 },
    );
  });

  it('puts the link in a short SMS when smsLinks is on, and never when it is off', () => {
    // Arrange
    const n: Notification = {
      scopeUnitId: '33',
      scope: null,
      severity: 'critical',
      own: {
        // Hưng Yên, without a projected completion
        evaluation: { ...hungYen, figures: { ...hungYen.figures, projectedCompletion: null } },
        from: null,
        to: 'critical',
        kind: 'alert',
        criticalSince: null,
      },
      children: [],
      escalations: [],
      childCount: 10,
      childLevelCounts: { critical: 3, at_risk: 2, on_track: 5 },
      childUnitLevel: 'district',
    };
    const options = {
      lang: 'vi' as const,
      campaignName: 'CCCD 2021',
      timeZone: TZ,
      asOf: new Date('2021-03-13T15:30:00Z'),
    };
    const link = 'https://d111111abcdef8.cloudfront.net/c/cccd-2021-hung-yen/u/33';

    // Act
    const on = renderNotification(n, { ...options, smsBrand: 'UBND HY', link, smsLinks: true }).sms;
    const off = renderNotification(n, { ...options, smsBrand: 'UBND HY', link, smsLinks: false }).sms;

    // Assert
    expect(on).toMatch(
      /^UBND HY: .*NGUY CAP 1,26%.* https:\/\/d111111abcdef8\.cloudfront\.net\/c\/cccd-2021-hung-yen\/u\/33$/,
    );
    expect(on.length).toBeLessThanOrEqual(160);
    expect(off).not.toContain('https://');
    expect(off.startsWith('UBND HY: ')).toBe(true);
  });

  it('says in every SMS the unit, level, percent and counts; writes every e-mail number the vi-VN way', () => {
    fc.assert(
      fc.property(notificationOf(vietnameseName), renderOptions, (n, options) => {
        // Arrange
        const headline = n.own ?? worstFirst([...n.escalations, ...n.children])[0];

        // Act
        const { sms, email } = renderNotification(n, options);

        // Assert
        expect(sms.length).toBeLessThanOrEqual(160);
        expect(isGsm7(sms)).toBe(true);
        expect(sms).toContain(formatPercentVi(headline?.evaluation.percent ?? Number.NaN));
        if (n.childCount > 0 && (n.children.length > 0 || n.escalations.length > 0)) {
          expect(sms).toContain(`/${n.childCount} `);
        }
        expect(ungroupedNumbers(email, namesIn(n, options.campaignName))).toEqual([]);
        expect(email).toContain(formatNumberVi(headline?.evaluation.target ?? Number.NaN));
        if (options.lang === 'vi') {
          expect(email).toContain('Chiến dịch:');
          expect(stripDiacritics(email)).not.toBe(email);
        } else {
          expect(email).toContain('Campaign:');
        }
      }),
      { numRuns: 300 },
    );
  });
});
