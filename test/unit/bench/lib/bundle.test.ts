/**
 * The cold-start benchmark bundles functions as QuotaFunction does; this fails when the construct's
 * bundling props change and bench/lib/bundle.ts does not follow. And the printed table's formatting.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LAMBDA_BANNER, LAMBDA_BUNDLING } from '../../../../bench/lib/bundle.js';
import { formatNumber, formatRatio, renderTable } from '../../../../bench/lib/table.js';
import { row } from '../../../../bench/lib/types.js';
import { REPO_ROOT } from '../../../../infra/local/paths.js';

describe('bench bundling', () => {
  const construct = readFileSync(join(REPO_ROOT, 'infra/constructs/quota-function.ts'), 'utf8');
  const bundling = /bundling: \{([\s\S]*?)\n {6}\},/.exec(construct)?.[1] ?? '';

  it('mirrors QuotaFunction’s bundling props', () => {
    expect(bundling).not.toBe('');
    const props = bundling
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('//'))
      .join(' ');
    expect(props).toContain('format: OutputFormat.ESM,');
    expect(props).toContain(`target: '${LAMBDA_BUNDLING.target}',`);
    expect(props).toContain('minify: true,');
    expect(props).toContain('sourceMap: true,');
    expect(props).toContain('sourcesContent: false,');
    expect(props).toContain('bundleAwsSDK: true,');
    expect(props).toContain("mainFields: ['module', 'main'],");
    expect(props).toContain(`banner: "${LAMBDA_BANNER}",`);
    // Every prop is one of those the bench knows about.
    const names = [...props.matchAll(/(?:^|\s)(\w+):\s/g)].map((m) => m[1]);
    expect(new Set(names)).toEqual(
      new Set([
        'forceDockerBundling',
        'format',
        'target',
        'minify',
        'sourceMap',
        'sourcesContent',
        'bundleAwsSDK',
        'banner',
        'mainFields',
      ]),
    );
    expect(LAMBDA_BUNDLING).toMatchObject({
      format: 'esm',
      platform: 'node',
      minify: true,
      sourcemap: true,
      sourcesContent: false,
      banner: { js: LAMBDA_BANNER },
    });
  });
});

describe('bench table', () => {
  it('formats numbers and ratios for reading', () => {
    expect(formatNumber(30_799)).toBe('30,799');
    expect(formatNumber(41.26)).toBe('41.3');
    expect(formatNumber(2.934)).toBe('2.93');
    expect(formatNumber(0.0011234)).toBe('0.00112');
    expect(formatRatio(0.38)).toBe('0.38×');
    expect(formatRatio(null)).toBe('—');
  });

  it('aligns the columns and lists notes under the table', () => {
    const lines = renderTable([
      row('s.writes', 'writes', 30_799, 'writes', 'naive', 80_000, 'a note'),
      row('s.cost', 'cost', 2.93, 'USD', 'naive', 5.67),
    ]);
    expect(lines[0]).toMatch(/^#\s+id\s+figure\s+value\s+baseline\s+baseline value\s+ratio$/);
    expect(lines[2]).toContain('30,799 writes');
    expect(lines[2]).toContain('0.385×');
    expect(lines[3]).toContain('$2.93');
    expect(lines[2]?.indexOf('naive')).toBe(lines[3]?.indexOf('naive'));
    expect(lines.slice(-2)).toEqual(['Notes:', '[1] a note']);
  });
});
