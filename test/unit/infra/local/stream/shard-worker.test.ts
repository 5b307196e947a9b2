/** The shard reader's log lines (infra/local/stream/shard-worker.ts): what an administrator reads at npm start. */
import { describe, expect, it } from 'vitest';
import { trimmedNote } from '../../../../../infra/local/stream/shard-worker.js';

describe('trimmedNote()', () => {
  it('names no sequence number when nothing of the shard was read yet (never "after undefined")', () => {
    // Act
    const note = trimmedNote(undefined);
    // Assert
    expect(note).not.toMatch(/undefined/);
    expect(note).toBe(
      ': the stream answered TrimmedDataAccessException before any record of this shard was read; reading from the oldest record kept',
    );
  });

  it('names the last record read when records after it were trimmed', () => {
    // Act
    const note = trimmedNote('000000000000000000042');
    // Assert
    expect(note).toBe(
      ': records after 000000000000000000042 were trimmed before they were read; reading from the oldest kept',
    );
  });
});
