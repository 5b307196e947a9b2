/**
 * DynamoDB's batch calls, whole: BatchGetItem in chunks of 100 keys and BatchWriteItem in chunks of
 * 25 requests, a few chunks in flight, each retrying what DynamoDB left unprocessed (throttling,
 * the 16 MB answer limit) with capped exponential backoff and full jitter, as AWS advises. After
 * MAX_ROUNDS rounds with something still unprocessed it throws: the caller's retry (a Lambda retry,
 * a re-run job) is safe because every batch write the stores make is idempotent.
 */
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { mapConcurrent } from '../util/concurrency.js';

const GET_CHUNK = 100;
const WRITE_CHUNK = 25;
const MAX_ROUNDS = 8;
const BASE_DELAY_MS = 50;
const MAX_DELAY_MS = 2_000;

type Key = Record<string, unknown>;
export type WriteRequest = NonNullable<
  NonNullable<ConstructorParameters<typeof BatchWriteCommand>[0]['RequestItems']>[string]
>[number];

/** Full jitter: a random wait up to the capped exponential delay of the round. */
const backoff = (round: number, random: () => number) =>
  new Promise((resolve) =>
    setTimeout(resolve, random() * Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** round)),
  );

function chunked<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

export interface BatchOptions {
  /** Chunks in flight at once. */
  readonly concurrency?: number;
  /** Attributes to read (BatchGetItem's ProjectionExpression and names). */
  readonly projection?: {
    readonly ProjectionExpression: string;
    readonly ExpressionAttributeNames?: Record<string, string>;
  };
  /** For tests: the jitter source. */
  readonly random?: () => number;
  /** BatchGetItem only: strongly consistent reads (an item written a moment ago is seen). */
  readonly consistentRead?: boolean;
}

/** Every item found for `keys` (missing keys are simply absent), in no particular order. */
export async function batchGetAll(
  db: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly Key[],
  options: BatchOptions = {},
): Promise<Record<string, unknown>[]> {
  const found: Record<string, unknown>[] = [];
  const random = options.random ?? Math.random;
  await mapConcurrent(chunked(keys, GET_CHUNK), options.concurrency ?? 8, async (chunk) => {
    let pending: Key[] | undefined = chunk;
    for (let round = 0; pending && pending.length > 0; round++) {
      if (round >= MAX_ROUNDS) {
        throw new Error(`DynamoDB left ${pending.length} keys unprocessed after ${MAX_ROUNDS} rounds`);
      }
      if (round > 0) await backoff(round, random);
      const response: BatchGetCommandOutput = await db.send(
        new BatchGetCommand({
          RequestItems: {
            [tableName]: {
              Keys: pending,
              ...options.projection,
              ...(options.consistentRead && { ConsistentRead: true }),
            },
          },
        }),
      );
      found.push(...(response.Responses?.[tableName] ?? []));
      pending = response.UnprocessedKeys?.[tableName]?.Keys;
    }
  });
  return found;
}

/** Writes every request (puts and deletes); `onProgress` after each chunk is done. */
export async function batchWriteAll(
  db: DynamoDBDocumentClient,
  tableName: string,
  requests: readonly WriteRequest[],
  options: BatchOptions & { readonly onProgress?: (done: number, total: number) => void } = {},
): Promise<void> {
  const random = options.random ?? Math.random;
  let written = 0;
  await mapConcurrent(chunked(requests, WRITE_CHUNK), options.concurrency ?? 8, async (chunk) => {
    let pending: WriteRequest[] = chunk;
    for (let round = 0; pending.length > 0; round++) {
      if (round >= MAX_ROUNDS) {
        throw new Error(`DynamoDB left ${pending.length} writes unprocessed after ${MAX_ROUNDS} rounds`);
      }
      if (round > 0) await backoff(round, random);
      const { UnprocessedItems } = await db.send(
        new BatchWriteCommand({ RequestItems: { [tableName]: pending } }),
      );
      pending = (UnprocessedItems?.[tableName] ?? []) as WriteRequest[];
    }
    written += chunk.length;
    options.onProgress?.(written, requests.length);
  });
}
