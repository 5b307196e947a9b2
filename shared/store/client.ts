import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { FunctionEnv } from '../config/env.js';
import { loadEnv, requireVar } from '../config/env-rules.js';

/**
 * The document client every store uses. `endpoint` is set only for DynamoDB Local; in AWS the
 * SDK's defaults (region and credentials from the Lambda environment) apply.
 */
export function createDocumentClient(config: DynamoDBClientConfig = {}): DynamoDBDocumentClient {
  const client = new DynamoDBClient({ maxAttempts: 5, ...config });
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
  });
}

/** Client settings for DynamoDB Local: any static credentials work with -sharedDb. */
export function localClientConfig(endpoint: string): DynamoDBClientConfig {
  return {
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
}

/** A function's document client: DynamoDB Local when its environment names one, else the SDK's defaults. */
export function documentClientFor(env: {
  readonly DYNAMODB_ENDPOINT?: string | undefined;
}): DynamoDBDocumentClient {
  return createDocumentClient(env.DYNAMODB_ENDPOINT ? { endpoint: env.DYNAMODB_ENDPOINT } : {});
}

/** What a function over the Campaign table starts from. */
export interface CampaignTableStart {
  readonly env: FunctionEnv;
  readonly db: DynamoDBDocumentClient;
  readonly table: string;
}

/**
 * A function's start (`await campaignTableFromEnv()` at module scope): its environment, loaded once
 * (shared/config/env-rules.ts), its document client and the Campaign table's name; a missing
 * CAMPAIGN_TABLE fails the cold start naming it.
 */
export async function campaignTableFromEnv(): Promise<CampaignTableStart> {
  const env = await loadEnv();
  return { env, db: documentClientFor(env), table: requireVar(env, 'CAMPAIGN_TABLE') };
}
