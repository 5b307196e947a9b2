import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.js';
import { NO_BUNDLING } from '../support/stack-synth.js';

/** A stage config that buildApp() refuses (the routeThrottle names no declared route). */
const REFUSED = {
  ...NO_BUNDLING,
  stageConfig: { dev: { routeThrottle: { 'POST /v1/no-such-route': { rateLimit: 1, burstLimit: 1 } } } },
};

describe('buildApp() refusing a config', () => {
  const made: string[] = [];
  afterEach(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const anOutdir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'quota-app-test-'));
    made.push(dir);
    return dir;
  };

  it('leaves no empty assembly directory behind', () => {
    // Arrange
    const outdir = anOutdir();

    // Act
    const act = () => buildApp({ stage: 'dev', context: REFUSED, outdir });

    // Assert
    expect(act).toThrow(/routeThrottle names routes/);
    expect(existsSync(outdir)).toBe(false);
  });

  it("keeps an assembly directory that holds a previous synth's output", () => {
    // Arrange
    const outdir = anOutdir();
    writeFileSync(join(outdir, 'manifest.json'), '{}');

    // Act
    const act = () => buildApp({ stage: 'dev', context: REFUSED, outdir });

    // Assert
    expect(act).toThrow(/routeThrottle names routes/);
    expect(existsSync(join(outdir, 'manifest.json'))).toBe(true);
  });
});
