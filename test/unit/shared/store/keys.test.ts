/**
 * The until-ordered key families (silences, acknowledgements) keep the layout of shared/store/keys.ts
 * (docs/ARCHITECTURE.md §3): items already stored must still be found.
 */
import { describe, expect, it } from 'vitest';
import { ACK_KEYS, SILENCE_KEYS } from '../../../../shared/store/keys.js';

const UNTIL = '2021-04-01T17:00:00.000Z';

describe('until-ordered keys', () => {
  it.each([
    { name: 'silences', keys: SILENCE_KEYS, partition: 'C#c1#SILENCES', letter: 'S' },
    { name: 'acknowledgements', keys: ACK_KEYS, partition: 'C#c1#ACKS', letter: 'A' },
  ])('$name: partition, record, pointer and the range bounds', ({ keys, partition, letter }) => {
    expect(keys.partition('c1')).toBe(partition);
    expect(keys.key('c1', UNTIL, 'x9')).toEqual({ pk: partition, sk: `${letter}#${UNTIL}#x9` });
    expect(keys.pointerKey('c1', 'x9')).toEqual({ pk: partition, sk: `${letter}ID#x9` });
    expect(keys.skPrefix).toBe(`${letter}#`);
    expect(keys.skEnd).toBe(`${letter}$`);
    // Every record sorts inside [prefix, end); the pointer sorts after the end.
    const record = keys.key('c1', UNTIL, 'x9').sk;
    expect(record >= keys.skPrefix && record < keys.skEnd).toBe(true);
    expect(keys.pointerKey('c1', 'x9').sk > keys.skEnd).toBe(true);
  });
});
