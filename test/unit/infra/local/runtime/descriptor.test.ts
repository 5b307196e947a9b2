/** The local system's descriptor: a process killed but not yet reaped counts as gone. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { processState } from '../../../../../infra/local/runtime/descriptor.js';

describe('processState', () => {
  it('reads the state letter after the command name, whatever the name holds', () => {
    expect(processState('4242 (node) Z 1 4242 4242 0 -1 4194560')).toBe('Z');
    expect(processState('17 (tsx) (odd) name) S 1 17 17 0 -1')).toBe('S');
    expect(processState('garbage')).toBeNull();
  });

  it("reads this process's own /proc entry as running", () => {
    const state = processState(readFileSync(`/proc/${process.pid}/stat`, 'utf8'));
    expect(['R', 'S', 'D']).toContain(state);
  });
});
