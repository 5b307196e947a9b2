/**
 * Where an admin CLI acts: the running local system by default (found through
 * .local/runtime.json), or a deployed stage with `--stage <name>` (table names from the
 * stack's outputs, AWS credentials from the usual chain).
 */
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, localClientConfig } from '../../../shared/store/client.js';
import { type TableKey, tableDefinitions } from '../../../shared/store/tables.js';
import { localPaths } from '../paths.js';
import { readRuntimeDescriptor } from '../runtime/descriptor.js';

/** A failure the CLI reports as one line and exit code 1. */
export class CliError extends Error {
  override name = 'CliError';
}

export interface Target {
  readonly description: string;
  readonly db: DynamoDBDocumentClient;
  readonly tables: Record<TableKey, string>;
}

export const stackName = (stage: string) => `QuotaCampaign-${stage}`;
/** The stack output that carries a table's physical name, e.g. CampaignTableName. */
export const tableOutputName = (key: TableKey) => `${tableDefinitions[key].logicalName}TableName`;

export async function resolveTarget(
  stage: string | undefined,
  cloudFormation: CloudFormationClient = new CloudFormationClient({}),
): Promise<Target> {
  if (stage === undefined) {
    const runtime = await readRuntimeDescriptor(localPaths());
    if (!runtime) {
      throw new CliError(
        'The local system is not running: start it with `npm start` in another terminal, or pass --stage <name> to act on AWS',
      );
    }
    return {
      description: `local system at ${runtime.url}`,
      db: createDocumentClient(localClientConfig(runtime.dynamoEndpoint)),
      tables: runtime.tables,
    };
  }
  const name = stackName(stage);
  const outputs = await stackOutputs(stage, cloudFormation);
  const tables = {} as Record<TableKey, string>;
  for (const key of Object.keys(tableDefinitions) as TableKey[]) {
    const value = outputs[tableOutputName(key)];
    if (!value) throw new CliError(`Stack ${name} has no output ${tableOutputName(key)}; is it deployed?`);
    tables[key] = value;
  }
  return { description: `stage ${stage} (stack ${name})`, db: createDocumentClient(), tables };
}

/** A deployed stage's stack outputs (AWS credentials from the usual chain). */
async function stackOutputs(
  stage: string,
  cloudFormation: CloudFormationClient,
): Promise<Record<string, string>> {
  if (!/^[a-z][a-z0-9-]*$/.test(stage))
    throw new CliError(`--stage "${stage}" is not a stage name such as dev or prod`);
  const name = stackName(stage);
  try {
    const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: name }));
    return Object.fromEntries(
      (Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']),
    );
  } catch (error) {
    throw new CliError(`Could not read the outputs of stack ${name}: ${(error as Error).message}`);
  }
}

/**
 * Where an admin CLI with a token sends its requests: `--api <url>` as given, else the stage's
 * `ApiUrl` output, else the running local system.
 */
export async function resolveApiUrl(
  stage: string | undefined,
  api: string | undefined,
  cloudFormation: CloudFormationClient = new CloudFormationClient({}),
): Promise<string> {
  if (api !== undefined) {
    if (!URL.canParse(api) || !/^https?:$/.test(new URL(api).protocol))
      throw new CliError(`--api "${api}" is not an http(s) URL`);
    return api;
  }
  if (stage !== undefined) {
    const url = (await stackOutputs(stage, cloudFormation)).ApiUrl;
    if (!url) throw new CliError(`Stack ${stackName(stage)} has no output ApiUrl; is it deployed?`);
    return url;
  }
  const runtime = await readRuntimeDescriptor(localPaths());
  if (!runtime) {
    throw new CliError(
      'The local system is not running: start it with `npm start` in another terminal, or pass --stage <name> or --api <url>',
    );
  }
  return runtime.url;
}
