/** The campaigns npm start names in its ready lines (infra/local/runtime/campaigns.ts). */
import { describe, expect, it } from 'vitest';
import { campaignsNote } from '../../../../../infra/local/runtime/campaigns.js';

describe('campaignsNote()', () => {
  it('names the demo campaign on a first start, when it is created only after the note is printed', () => {
    expect(campaignsNote(['cccd-2021-hung-yen'], 'demo-hung-yen')).toBe(
      'campaigns: cccd-2021-hung-yen, demo-hung-yen (the demo, being created)',
    );
  });

  it('names it once when it is stored already (a restart)', () => {
    expect(campaignsNote(['cccd-2021-hung-yen', 'demo-hung-yen'], 'demo-hung-yen')).toBe(
      'campaigns: cccd-2021-hung-yen, demo-hung-yen',
    );
  });

  it('names only those stored without the demo (--no-demo), and says when there is none', () => {
    expect(campaignsNote(['cccd-2021-hung-yen'], null)).toBe('campaigns: cccd-2021-hung-yen');
    expect(campaignsNote([], null)).toBe('campaigns: (none)');
  });
});
