import { expect, it } from 'vitest';
import {
  formatDateVi,
  formatNumberVi,
  formatPercentVi,
} from '../../../../../shared/domain/alert-text/format.js';

it('formatNumberVi() and formatDateVi() write numbers and dates the vi-VN way', () => {
  // Arrange, Act, Assert
  expect(formatNumberVi(1_109_100)).toBe('1.109.100');
  expect(formatNumberVi(1_109_100)).toBe(new Intl.NumberFormat('vi-VN').format(1_109_100));
  expect(formatNumberVi(13_994)).toBe('13.994');
  expect(formatNumberVi(999)).toBe('999');
  expect(formatNumberVi(0)).toBe('0');
  expect(formatNumberVi(-1234.5, 1)).toBe('-1.234,5');
  expect(formatNumberVi(1.26, 2)).toBe('1,26');
  expect(formatNumberVi(11_289.75)).toBe('11.290');
  expect(formatPercentVi(1.2617)).toBe('1,26%');
  expect(formatPercentVi(100)).toBe('100%');
  expect(formatDateVi('2021-06-18')).toBe('18/6/2021');
  expect(formatDateVi('2021-03-13')).toBe('13/3/2021');
  expect(() => formatDateVi('18/6/2021')).toThrow(RangeError);
});
