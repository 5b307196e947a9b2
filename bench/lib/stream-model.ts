/**
 * How Lambda's event source mapping cuts a steady stream into roll-up invocations (pure).
 *
 * Each stream shard is read by one invocation at a time (parallelizationFactor 1). An invocation
 * starts when the batching window has elapsed or the batch is full, whichever comes first, so at a
 * steady rate r per shard a batch holds min(batchSize, r × window) records and each shard is
 * invoked r / that many times a second. Records land on shards by the hash of their partition key
 * (IntakeEvents: campaign#eventId, i.e. spread evenly), modelled here as round robin.
 */

export interface StreamModel {
  readonly eventsPerSecond: number;
  /** Active stream shards (≈ the table's partitions). */
  readonly shards: number;
  readonly batchSize: number;
  readonly windowSeconds: number;
}

export interface SteadyBatching {
  readonly eventsPerBatch: number;
  readonly batchesPerSecondPerShard: number;
  readonly batchesPerSecond: number;
}

export function steadyBatching(m: StreamModel): SteadyBatching {
  const perShard = m.eventsPerSecond / m.shards;
  const eventsPerBatch = Math.max(1, Math.min(m.batchSize, Math.round(perShard * m.windowSeconds)));
  const batchesPerSecondPerShard = perShard / eventsPerBatch;
  return { eventsPerBatch, batchesPerSecondPerShard, batchesPerSecond: batchesPerSecondPerShard * m.shards };
}

/** Events in arrival order → the batches each shard's invocations receive, in order. */
export function shardBatches<T>(events: readonly T[], m: StreamModel): { shard: number; events: T[] }[] {
  const { eventsPerBatch } = steadyBatching(m);
  const perShard: T[][] = Array.from({ length: m.shards }, () => []);
  events.forEach((e, i) => {
    perShard[i % m.shards]?.push(e);
  });
  const batches: { shard: number; events: T[] }[] = [];
  perShard.forEach((list, shard) => {
    for (let i = 0; i < list.length; i += eventsPerBatch) {
      batches.push({ shard, events: list.slice(i, i + eventsPerBatch) });
    }
  });
  return batches;
}

/** A stream shard id in AWS's format (`shardId-<20 digits>-<8 hex>`), deterministic per index. */
export function awsShardId(index: number): string {
  const created = 1_615_600_000_000 + index * 4 * 3600 * 1000;
  const hex = ((index * 2_654_435_761) >>> 0).toString(16).padStart(8, '0');
  return `shardId-${String(created).padStart(20, '0')}-${hex}`;
}

/**
 * Shard ids a long-lived item's watermarks name after `days`: `shards` open at a time, each
 * replaced by a new shard every `rolloverHours`.
 */
export function shardsSeen(shards: number, rolloverHours: number, days: number): number {
  return Math.ceil(shards * ((days * 24) / rolloverHours));
}
