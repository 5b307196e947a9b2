/**
 * Path ids are checked by plain rules (shared/schemas/ids.ts) in shared/http/params.ts and by zod
 * schemas everywhere else: both must accept the same ids and refuse the others with the same messages.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AcknowledgementId, AlertsFeedQuery } from '../../../../shared/schemas/alerts.js';
import { CampaignId, UnitId } from '../../../../shared/schemas/campaign.js';
import { ClientId } from '../../../../shared/schemas/identity.js';
import { ID_RULES, type IdName, idProblems } from '../../../../shared/schemas/ids.js';
import { RecipientId, RecipientListQuery, SilenceId } from '../../../../shared/schemas/recipients.js';

const SCHEMAS = {
  campaignId: CampaignId,
  unitId: UnitId,
  recipientId: RecipientId,
  silenceId: SilenceId,
  acknowledgementId: AcknowledgementId,
  clientId: ClientId,
} as const;

const zodMessages = (name: IdName, value: string): string[] => {
  const parsed = SCHEMAS[name].safeParse(value);
  return parsed.success ? [] : parsed.error.issues.map((i) => i.message);
};

describe('path id rules', () => {
  it('cover every id schema', () => {
    expect(Object.keys(ID_RULES).sort()).toEqual(Object.keys(SCHEMAS).sort());
  });

  it('give exactly the messages of the zod schemas', () => {
    const samples = [
      'cccd-2021-hung-yen',
      '12.01',
      'constructor',
      'toString',
      'r-7k2m9q4x1b',
      's-4n8p2r6t0v',
      'a-4n8p2r6t0v',
      'client_1',
      '',
      'x'.repeat(65),
      'CCCD',
      '11977 *',
    ];
    const value = fc.oneof(
      fc.constantFrom(...samples),
      fc.string({ maxLength: 70 }),
      fc.stringMatching(/^[a-z0-9.-]{0,8}$/),
      fc.constantFrom(...Object.getOwnPropertyNames(Object.prototype)),
    );
    fc.assert(
      fc.property(fc.constantFrom(...(Object.keys(ID_RULES) as IdName[])), value, (name, v) => {
        expect(idProblems(ID_RULES[name], v)).toEqual(zodMessages(name, v));
      }),
      { numRuns: 2000 },
    );
  });

  it('the optional query schemas read no parameters as {} (optionalQueryParameters relies on it)', () => {
    expect(RecipientListQuery.parse({})).toEqual({});
    expect(AlertsFeedQuery.parse({})).toEqual({});
  });
});
