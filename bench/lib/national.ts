/** The national campaign every in-memory section uses: generateNational(seed), parsed once per process. */
import { generateNational } from '../../shared/domain/generate.js';
import { type CampaignModel, campaignModel } from './load.js';

const cache = new Map<number, CampaignModel>();

export function nationalModel(seed: number): CampaignModel {
  let model = cache.get(seed);
  if (!model) {
    model = campaignModel(generateNational({ seed }));
    cache.set(seed, model);
  }
  return model;
}

/** The stream shard id the in-memory roll-up runs use (AWS's format). */
export const BENCH_SHARD = 'shardId-00000001615600000000-0000000a';

/** Sequence numbers as AWS writes them: long decimal strings, increasing. */
export const sequenceNumber = (i: number) => String(100_000_000_000_000_000_000n + BigInt(i) * 7n);
