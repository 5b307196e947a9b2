import { expect, it } from 'vitest';
import { isGsm7, shortenName, stripDiacritics } from '../../../../../shared/domain/alert-text/gsm7.js';

it('stripDiacritics() writes Vietnamese without diacritics, đ → d and Đ → D', () => {
  // Arrange
  const names = ['Hưng Yên, Đông Anh', 'Thọ Xuân, Thanh Hóa', 'ỨNG HÒA đường Ðình'];

  // Act
  const stripped = names.map(stripDiacritics);

  // Assert
  expect(stripped).toEqual(['Hung Yen, Dong Anh', 'Tho Xuan, Thanh Hoa', 'UNG HOA duong Dinh']);
});

it('isGsm7() accepts the GSM-7 basic table only', () => {
  // Arrange
  const yes = ['Hung Yen: NGUY CAP 1,26%', '@£$¥èé!"#%&\'()*+,-./:;<=>?§¿Ää', ''];
  const no = ['Hưng Yên', 'curly ’quote’', 'ellipsis…', 'brackets [1]', 'tilde ~', 'euro €', 'emoji 😀'];

  // Act
  const answers = [...yes, ...no].map(isGsm7);

  // Assert
  expect(answers).toEqual([...yes.map(() => true), ...no.map(() => false)]);
});

it('shortenName() abbreviates the administrative prefix first, then cuts', () => {
  // Arrange
  const name = 'Huyen Van Lam';

  // Act
  const forms = [20, 10, 7].map((max) => shortenName(name, max));

  // Assert
  expect(forms).toEqual(['Huyen Van Lam', 'H.Van Lam', 'H.Van']);
  expect(shortenName('Thi tran Nhu Quynh', 12)).toBe('TT.Nhu Quynh');
});

it('shortenName() keeps whole words when they fill half the room, with no separator or open parenthesis left', () => {
  // Arrange: the local demo's campaign, as an e-mail subject (30) and an SMS (40) shorten it
  const campaign = 'Thu nhan ho so CCCD 2021 - Hung Yen (mo phong)';

  // Act
  const forms = [40, 30, 26, 12].map((max) => shortenName(campaign, max));

  // Assert
  expect(forms).toEqual([
    'Thu nhan ho so CCCD 2021 - Hung Yen',
    'Thu nhan ho so CCCD 2021',
    'Thu nhan ho so CCCD 2021',
    'Thu nhan ho',
  ]);
  // No word boundary in the first half: the word is cut inside, marked with a full stop.
  expect(shortenName('Xa Nghiadanphuong', 10)).toBe('X.Nghiada.');
});
