/** What npm start prints when it is up (infra/local/banner.ts readyLines). */
import { describe, expect, it } from 'vitest';
import { type BannerInput, readyLines } from '../../../../infra/local/banner.js';

const anInput = (overrides: Partial<BannerInput> = {}): BannerInput => ({
  url: 'http://127.0.0.1:3000',
  dynamoEndpoint: 'http://127.0.0.1:41875',
  tables: ['Campaign', 'IntakeEvents'],
  notes: ['created tables Campaign, IntakeEvents'],
  signInLink: 'http://127.0.0.1:3000/#token=eyJ.x.y',
  startedSeconds: 6.94,
  ...overrides,
});

describe('readyLines()', () => {
  it('with the demo: the leader sign-in link, then how to make others, and "ready <url>" last', () => {
    // Act
    const lines = readyLines(anInput());
    // Assert
    expect(lines[0]).toBe('  DynamoDB Local  http://127.0.0.1:41875 (tables: Campaign, IntakeEvents)');
    expect(lines[1]).toBe('  created tables Campaign, IntakeEvents');
    expect(lines).toContain('  sign in         http://127.0.0.1:3000/#token=eyJ.x.y');
    expect(lines).toContain(
      '                  (the demo province leader; others: npm run token -- --sub … --units … --scope "progress:read" --link)',
    );
    expect(lines.at(-2)).toBe('  started in 6.9 s; Ctrl-C to stop');
    expect(lines.at(-1)).toBe('ready http://127.0.0.1:3000');
  });

  it('without the demo (--no-demo): no dangling "(the demo province leader …)" line, but how to make a link', () => {
    // Act
    const lines = readyLines(anInput({ signInLink: null }));
    // Assert
    expect(lines.join('\n')).not.toMatch(/demo province leader|sign in {9}/);
    expect(lines).toContain(
      '  sign-in link    npm run token -- --sub … --units … --scope "progress:read" --link',
    );
    expect(lines.at(-1)).toBe('ready http://127.0.0.1:3000');
  });
});
