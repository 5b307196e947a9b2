import { beforeAll, describe, expect, it } from 'vitest';
import { localJobRoute } from '../../../../../infra/local/runtime/jobs.js';
import { importCampaign } from '../../../../../shared/catalog/import.js';
import { CampaignFile } from '../../../../../shared/schemas/campaign.js';
import { aCampaignFile, anHttpEvent, type TokenClaims } from '../../../../support/builders.js';
import { MemoryCampaignStore } from '../../../../support/memory-campaign-store.js';

const CAMPAIGN = 'cccd-2021-test';

describe('POST /local/jobs/{job} (localJobRoute)', () => {
  const store = new MemoryCampaignStore();
  const inputs: Record<string, unknown>[] = [];
  const route = localJobRoute(
    new Map([
      [
        'risk',
        {
          handler: async (input: Record<string, unknown>) => {
            inputs.push(input);
            return { evaluated: 6 };
          },
        },
      ],
    ]),
    store,
  );
  const run = async (job: string, claims: TokenClaims, body?: string) => {
    const response = await route.handler(
      anHttpEvent({
        method: 'POST',
        path: `/local/jobs/${job}`,
        pathParameters: { job },
        claims,
        ...(body !== undefined && { body }),
      }),
    );
    return { status: response.statusCode, body: JSON.parse(response.body ?? 'null') };
  };
  const admin = (units: string[]): TokenClaims => ({ sub: 'a', scope: 'admin', units });

  beforeAll(async () => {
    await importCampaign(store, CampaignFile.parse(aCampaignFile()));
  });

  it('runs the job with the body as input for a grant covering the campaign root', async () => {
    // Act
    const result = await run('risk', admin([`${CAMPAIGN}:33`]), JSON.stringify({ campaignId: CAMPAIGN }));

    // Assert
    expect(result).toEqual({ status: 200, body: { job: 'risk', result: { evaluated: 6 } } });
    expect(inputs.at(-1)).toEqual({ campaignId: CAMPAIGN });
  });

  it('refuses a job over every campaign without "*", a district grant, an unknown job and a non-object body', async () => {
    // Arrange
    const before = inputs.length;

    // Act
    const everyCampaign = await run('risk', admin([`${CAMPAIGN}:33`]));
    const district = await run('risk', admin([`${CAMPAIGN}:323`]), JSON.stringify({ campaignId: CAMPAIGN }));
    const unknown = await run('rollup', admin(['*']));
    const notObject = await run('risk', admin(['*']), '[1]');
    const notJson = await run('risk', admin(['*']), '{');
    const noCampaign = await run('risk', admin(['*']), JSON.stringify({ campaignId: 'cccd-none' }));

    // Assert
    expect([everyCampaign, district, unknown, notObject, notJson, noCampaign].map((r) => r.status)).toEqual([
      403, 403, 404, 400, 400, 404,
    ]);
    expect(unknown.body.detail).toBe('No job "rollup"; jobs: risk');
    expect(inputs.length).toBe(before);
  });

  it('needs the admin scope', async () => {
    const result = await run('risk', { sub: 'r', scope: 'progress:read', units: ['*'] });
    expect(result.status).toBe(403);
  });
});
