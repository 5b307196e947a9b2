import { describe, expect, it } from 'vitest';
import { DEFAULT_ALERT_POLICY } from '../../../../shared/domain/alert-policy.js';
import { resolveAlertSettings, unitPageUrl } from '../../../../shared/domain/alert-settings.js';
import { placeUnits, planImport } from '../../../../shared/domain/import-plan.js';
import { CampaignFile } from '../../../../shared/schemas/campaign.js';
import { aCampaignFile } from '../../../support/builders.js';

describe('campaign alert settings', () => {
  it('fills every rule left out with its default', () => {
    // Act
    const none = resolveAlertSettings(undefined);
    const some = resolveAlertSettings({
      repeatBackoffDays: [2, 5],
      smsBrand: 'UBND HY',
      smsMonthlyCap: 20_000,
    });

    // Assert
    expect(none).toEqual({
      policy: DEFAULT_ALERT_POLICY,
      smsBrand: null,
      smsLinks: false,
      smsMonthlyCap: null,
    });
    expect(DEFAULT_ALERT_POLICY).toMatchObject({
      for: 2,
      repeatBackoffDays: [1, 2, 4, 7],
      escalateAfterDays: 3,
    });
    expect(some.policy).toEqual({ ...DEFAULT_ALERT_POLICY, repeatBackoffDays: [2, 5] });
    expect(some).toMatchObject({ smsBrand: 'UBND HY', smsMonthlyCap: 20_000 });
  });

  it('refuses bad rules in the campaign file, naming each', () => {
    // Arrange
    const file = aCampaignFile({
      campaign: {
        alerts: {
          for: 0,
          repeatBackoffDays: [],
          smsBrand: 'Ủy ban nhân dân tỉnh Hưng Yên',
          smsMonthlyCap: -5,
          quietHours: { start: '21h30', end: '06:30' },
        },
      },
    });

    // Act
    const result = CampaignFile.safeParse(file);

    // Assert
    expect(result.success).toBe(false);
    const paths = (result.error?.issues ?? []).map((i) => i.path.join('.')).sort();
    expect(paths).toEqual([
      'campaign.alerts.for',
      'campaign.alerts.quietHours.start',
      'campaign.alerts.repeatBackoffDays',
      'campaign.alerts.smsBrand',
      'campaign.alerts.smsMonthlyCap',
    ]);
    const unknown = CampaignFile.safeParse(
      aCampaignFile({ campaign: { alerts: { repeatIntervalHours: 24 } as never } }),
    );
    expect(unknown.success).toBe(false);
  });

  it('is a campaign setting an import compares (a re-import of the same file changes nothing)', () => {
    // Arrange
    const before = CampaignFile.parse(aCampaignFile());
    const after = CampaignFile.parse(aCampaignFile({ campaign: { alerts: { smsMonthlyCap: 10 } } }));
    const stored = { campaign: before.campaign, units: placeUnits(before.units) };

    // Act
    const same = planImport(stored, before);
    const changed = planImport(stored, after);

    // Assert
    expect(same.campaignStatus).toBe('unchanged');
    expect(changed.campaignChanges).toEqual([
      { field: 'alerts', from: undefined, to: { smsMonthlyCap: 10 } },
    ]);
  });

  it('links to the unit page under the dashboard URL', () => {
    expect(unitPageUrl('https://d1.cloudfront.net/', 'cccd-2021-hung-yen', '33')).toBe(
      'https://d1.cloudfront.net/c/cccd-2021-hung-yen/u/33',
    );
    expect(unitPageUrl(undefined, 'cccd-2021-hung-yen', '33')).toBeNull();
  });
});
