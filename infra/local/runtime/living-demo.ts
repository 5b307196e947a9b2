/**
 * The living demo (infra/local/demo.ts) started in the background: its campaign created when
 * absent, its earlier days posted, intake continuing; and a sign-in link for its province leader.
 * Its tokens name this run's URL as issuer: the keys were loaded before the port was known, and
 * carry the issuer of the previous run (none on a first start), which the verifier refuses.
 */
import { importCampaign } from '../../../shared/catalog/import.js';
import type { CampaignStore } from '../../../shared/store/campaign-store.js';
import { DEMO_CAMPAIGN_ID, type DemoFeed, startDemoFeed } from '../demo.js';
import type { LocalPaths } from '../paths.js';
import { type LocalSigningKeys, mintToken } from '../tokens.js';
import type { DemoCampaignFile } from './campaigns.js';
import type { JobFunction } from './functions.js';
import type { LocalStreams } from './streams.js';

export interface LivingDemoOptions {
  readonly file: DemoCampaignFile;
  readonly url: string;
  readonly paths: LocalPaths;
  readonly keys: LocalSigningKeys;
  readonly store: CampaignStore;
  readonly streams: LocalStreams;
  /** The risk job, run for each day the feed completes. */
  readonly risk: JobFunction | undefined;
  readonly log: (line: string) => void;
}

export async function startLivingDemo(
  options: LivingDemoOptions,
): Promise<{ demo: DemoFeed; signInLink: string }> {
  const { file, url, keys, store, streams, risk, log } = options;
  const root = file.units.find((u) => u.parentId === null)?.id ?? '';
  const signInLink = `${url}/#token=${await mintToken(keys, {
    sub: `demo-leader-${root}`,
    units: [`${DEMO_CAMPAIGN_ID}:${root}`],
    scope: 'progress:read',
    ttlSeconds: 12 * 3600,
    issuer: url,
  })}`;
  const demo = startDemoFeed(file, {
    url,
    dir: options.paths.dir,
    token: await mintToken(keys, {
      sub: 'demo-feed',
      units: [`${DEMO_CAMPAIGN_ID}:*`],
      scope: 'intake:write progress:read admin',
      ttlSeconds: 30 * 24 * 3600,
      issuer: url,
    }),
    drain: () => streams.drain(120_000),
    // Created in the background too, so that `ready` never waits for it.
    ensureCampaign: async () => {
      if (!(await store.getCampaign(DEMO_CAMPAIGN_ID))) await importCampaign(store, file);
    },
    risk: async (asOf) => {
      await risk?.handler({ campaignId: file.campaign.id, asOf });
    },
    log,
  });
  return { demo, signInLink };
}
