/**
 * npm run campaign -- import (infra/local/cli/campaign-import.ts): the summary it prints reads the
 * same whichever way the file went in, through the API with --token or into the tables directly.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { importSummary, runImport } from '../../../../../infra/local/cli/campaign-import.js';
import { REPO_ROOT } from '../../../../../infra/local/paths.js';
import { importCampaign } from '../../../../../shared/catalog/import.js';
import { parseCampaignText } from '../../../../../shared/catalog/parse.js';
import { describePlan, type ImportPlan, planCounts } from '../../../../../shared/domain/import-plan.js';
import type { CampaignFile } from '../../../../../shared/schemas/campaign.js';
import { MemoryCampaignStore } from '../../../../support/memory-campaign-store.js';

/** The reference campaign, imported, and the same file with one unit's target changed. */
async function anUpdate(): Promise<{ file: CampaignFile; plan: ImportPlan }> {
  const text = await readFile(join(REPO_ROOT, 'scenarios', 'hung-yen-2021.json'), 'utf8');
  const original = parseCampaignText(text, 'json').file as CampaignFile;
  const store = new MemoryCampaignStore();
  await importCampaign(store, original);
  const file = {
    ...original,
    units: original.units.map((u, i) => (i === 1 ? { ...u, target: u.target + 100 } : u)),
  };
  return { file, plan: await importCampaign(store, file, { dryRun: true }) };
}

describe('npm run campaign -- import: the summary', () => {
  let dir: string;
  let server: Server | undefined;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'campaign-import-'));
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    server = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  it('with --token reads as the import into the tables does (describePlan)', async () => {
    // Arrange: the API answers as PUT /v1/campaigns/{id} does (functions/campaign-admin.ts).
    const { file, plan } = await anUpdate();
    const path = join(dir, 'campaign.json');
    await writeFile(path, JSON.stringify(file));
    server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({
            campaignId: file.campaign.id,
            campaign: plan.campaignStatus,
            units: planCounts(plan),
            changes: describePlan(plan, 200).slice(1),
            warnings: [],
          }),
        );
      });
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    vi.spyOn(console, 'error').mockImplementation(() => {});

    // Act
    const code = await runImport([path, '--token', 'a-token', '--api', api]);

    // Assert
    expect(code).toBe(0);
    const printed = log.mock.calls.map((call) => call[0]);
    expect(printed).toEqual(describePlan(plan));
    expect(printed[0]).toBe(
      `campaign ${file.campaign.id}: unchanged; units: 0 created, 1 updated, 0 removed, ${plan.unchangedCount} unchanged`,
    );
    expect(printed[1]).toMatch(/^ {2}unit \S+ \(.*\) target: /);
  });

  it('says a dry run wrote nothing, and a reorganisation where it stands, in both ways', () => {
    const base = {
      campaignId: 'c',
      campaign: 'updated',
      units: { created: 1, updated: 0, removed: 0, unchanged: 2 },
      changes: ['  unit 9 (X) parentId: 1 → 2'],
    };
    expect(importSummary({ ...base, dryRun: true, reorganisation: { epoch: 2, status: 'planned' } })).toEqual(
      [
        'campaign c: updated; units: 1 created, 0 updated, 0 removed, 2 unchanged',
        '  unit 9 (X) parentId: 1 → 2',
        'dry run: nothing written',
      ],
    );
    expect(
      importSummary({ ...base, dryRun: false, reorganisation: { epoch: 2, status: 'pending' } }),
    ).toEqual([
      'campaign c: updated; units: 1 created, 0 updated, 0 removed, 2 unchanged',
      '  unit 9 (X) parentId: 1 → 2',
      'reorganisation epoch 2: pending (the scheduled job finishes it)',
    ]);
    expect(
      importSummary({
        ...base,
        dryRun: false,
        reorganisation: { epoch: 2, moved: 4, status: 'converged' },
      }).at(-1),
    ).toBe('reorganisation epoch 2: 4 day item(s) moved; converged');
  });
});
