import { describe, expect, it } from 'vitest';
import {
  fieldErrors,
  newRecipientId,
  normalisePhoneNumber,
  RecipientId,
  RecipientInput,
  type RecipientInputRaw,
  SilenceInput,
} from '../../../../shared/schemas/recipients.js';

const aRecipientInput = (overrides: Partial<RecipientInputRaw> = {}): RecipientInputRaw => ({
  unitId: '12001',
  name: 'Nguyễn Thị Lan',
  sms: '+84912345678',
  ...overrides,
});

const errorsOf = (raw: unknown) => {
  const parsed = RecipientInput.safeParse(raw);
  return parsed.success ? [] : fieldErrors(parsed.error.issues);
};

describe('RecipientInput', () => {
  it('applies the defaults: lang vi, minSeverity at_risk', () => {
    // Act
    const input = RecipientInput.parse(aRecipientInput());
    // Assert
    expect(input).toEqual({
      unitId: '12001',
      name: 'Nguyễn Thị Lan',
      sms: '+84912345678',
      lang: 'vi',
      minSeverity: 'at_risk',
    });
  });

  describe.each([
    ['+84912345678', '+84912345678'],
    ['0912345678', '+84912345678'],
    ['091 234 5678', '+84912345678'],
    ['091-234-5678', '+84912345678'],
    ['0084912345678', '+84912345678'],
    ['02213123456', '+842213123456'], // an 11-digit Vietnamese landline
    ['+14155550123', '+14155550123'],
    ['+44 20 7946 0958', '+442079460958'],
  ])('accepts the phone number %s', (given, stored) => {
    it(`stores it as ${stored}`, () => {
      expect(RecipientInput.parse(aRecipientInput({ sms: given })).sms).toBe(stored);
    });
  });

  it.each([
    ['no plus and no leading 0', '84912345678'],
    ['too short', '+8491234'],
    ['too long', '+849123456789012345'],
    ['a country code starting with 0', '+0912345678'],
    ['letters', '+84 91 CALL ME'],
    ['a VN number with a digit missing', '091234567'],
    ['a 0-prefixed number with a digit too many', '091234567890'],
    ['empty', ''],
  ])('refuses a phone number that is %s', (_, sms) => {
    expect(errorsOf(aRecipientInput({ sms }))).toEqual([
      {
        path: 'sms',
        message:
          'must be a phone number in E.164 form such as +84912345678 (a Vietnamese number may be written 0912345678)',
      },
    ]);
  });

  it('normalises only the Vietnamese national form and the 00 prefix', () => {
    expect(normalisePhoneNumber(' 0912 345 678 ')).toBe('+84912345678');
    expect(normalisePhoneNumber('(+84) 912.345.678')).toBe('+84912345678');
    expect(normalisePhoneNumber('0044 20 7946 0958')).toBe('+442079460958');
    expect(normalisePhoneNumber('84912345678')).toBe('84912345678');
  });

  it('accepts an e-mail address (trimmed) and refuses what is not one', () => {
    expect(
      RecipientInput.parse(aRecipientInput({ sms: undefined, email: ' lan@hungyen.gov.vn ' })).email,
    ).toBe('lan@hungyen.gov.vn');
    expect(errorsOf(aRecipientInput({ email: 'lan@' }))).toEqual([
      { path: 'email', message: 'must be an e-mail address such as lan.nguyen@hungyen.gov.vn' },
    ]);
  });

  it('needs at least one channel', () => {
    expect(errorsOf({ unitId: '12001', name: 'Lan' })).toEqual([
      {
        path: 'sms',
        message: 'a recipient needs at least one channel: an sms number, an email address, or both',
      },
    ]);
  });

  it('says what is wrong with each field, and names unknown fields', () => {
    // Act
    const errors = errorsOf({
      unitId: '12 001',
      name: '',
      sms: '+84912345678',
      lang: 'fr',
      minSeverity: 'warning',
      phone: '0912345678',
    });
    // Assert
    expect(errors).toEqual(
      expect.arrayContaining([
        { path: 'unitId', message: expect.stringContaining('must be 1 to 64 characters') },
        { path: 'name', message: 'must not be empty' },
        { path: 'lang', message: 'must be "vi" or "en"' },
        { path: 'minSeverity', message: 'must be "at_risk" or "critical"' },
        { path: 'phone', message: 'is not a known field' },
      ]),
    );
  });
});

describe('newRecipientId()', () => {
  it('makes short, distinct, valid ids', () => {
    const ids = Array.from({ length: 200 }, newRecipientId);
    expect(new Set(ids).size).toBe(200);
    for (const id of ids) expect(RecipientId.safeParse(id).success).toBe(true);
    expect(ids[0]).toMatch(/^r-[a-z0-9]{10}$/);
  });
});

describe('SilenceInput', () => {
  it('takes a unit, an ISO end with an offset and a reason', () => {
    expect(
      SilenceInput.parse({ unitId: '323', until: '2021-03-20T18:00:00+07:00', reason: ' Tết holiday ' }),
    ).toEqual({ unitId: '323', until: '2021-03-20T18:00:00+07:00', reason: 'Tết holiday' });
  });

  it('refuses an end without an offset and an empty reason', () => {
    const parsed = SilenceInput.safeParse({ unitId: '323', until: '2021-03-20 18:00', reason: '' });
    expect(parsed.success).toBe(false);
    expect(fieldErrors(parsed.error?.issues ?? []).map((e) => e.path)).toEqual(['until', 'reason']);
  });
});
