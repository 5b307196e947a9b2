/** npm run job (infra/local/cli/job.ts): its command line, before any system is reached. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runJobCli } from '../../../../../infra/local/cli/job.js';

describe('npm run job (command line)', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it.each([['--help'], ['-h'], ['help']])('%s prints the usage on stdout and exits 0', async (flag) => {
    // Arrange
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    // Act
    const code = await runJobCli([flag]);
    // Assert
    expect(code).toBe(0);
    expect(log.mock.calls.join('\n')).toMatch(
      /^usage: npm run job -- <job> .*\njobs: risk, report, reorganise$/,
    );
    expect(error).not.toHaveBeenCalled();
  });

  it('answers no job with the usage on stderr and exit 2', async () => {
    // Arrange
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    // Act
    const code = await runJobCli([]);
    // Assert
    expect(code).toBe(2);
    expect(error.mock.calls.join('\n')).toMatch(/usage: npm run job -- <job>/);
  });
});
