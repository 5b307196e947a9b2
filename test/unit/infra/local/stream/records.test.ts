/** Stream records as the local event source mapping reads them (infra/local/stream/records.ts). */
import { describe, expect, it } from 'vitest';
import { compareSequenceNumbers } from '../../../../../infra/local/stream/records.js';

describe('compareSequenceNumbers()', () => {
  it('compares sequence numbers as integers, whatever their length or zero padding', () => {
    const aws40 = '1000000000000000000000000000000000000001'; // AWS: up to 40 digits
    const local21 = '900000000000000000000'; // DynamoDB Local: zero-padded to 21 digits
    expect(aws40 > local21).toBe(false); // what a string comparison would wrongly say
    expect(compareSequenceNumbers(aws40, local21)).toBe(1);
    expect(compareSequenceNumbers(local21, aws40)).toBe(-1);
    expect(compareSequenceNumbers('000000000000000000010', '9')).toBe(1);
    expect(compareSequenceNumbers('000000000000000000005', '5')).toBe(0);
  });
});
