/**
 * The cold-start baseline of one function: a bare handler with the same AWS SDK clients the
 * function's bundle holds, created at module scope as the function creates them, and one call each
 * in the handler; bundled and started exactly as the function is. What the function adds beyond it
 * (our code, zod schemas, Powertools) is what the ratio measures.
 */

/** Per SDK package: the import line, the module-scope client, and one call. */
const CLIENTS: Readonly<Record<string, { imports: string; client: string; call: string }>> = {
  'client-dynamodb': {
    imports: "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
    client: 'const dynamodb = new DynamoDBClient({ maxAttempts: 5 });',
    call: '',
  },
  'lib-dynamodb': {
    imports: "import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';",
    client:
      'const db = DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } });',
    call: "await db.send(new PutCommand({ TableName: process.env.CAMPAIGN_TABLE ?? 'Campaign', Item: { pk: 'bench', sk: 'bench' }, ConditionExpression: 'attribute_not_exists(pk)' }));",
  },
  'client-sns': {
    imports: "import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';",
    client: 'const sns = new SNSClient({});',
    call: "await sns.send(new PublishCommand({ TopicArn: process.env.ALERTS_TOPIC_ARN, Message: 'bench' }));",
  },
  'client-sqs': {
    imports: "import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';",
    client: 'const sqs = new SQSClient({});',
    call: "await sqs.send(new SendMessageCommand({ QueueUrl: process.env.ROLLUP_FAILURE_QUEUE_URL, MessageBody: 'bench' }));",
  },
  'client-cognito-identity-provider': {
    imports:
      "import { AdminGetUserCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';",
    client: 'const cognito = new CognitoIdentityProviderClient({ maxAttempts: 5 });',
    call: "await cognito.send(new AdminGetUserCommand({ UserPoolId: process.env.USER_POOL_ID, Username: 'bench' }));",
  },
};

/** The source of the bare handler for these SDK packages (a DynamoDB-only one when none is listed). */
export function bareSdkHandler(sdkPackages: readonly string[]): string {
  const packages = new Set(sdkPackages);
  // The functions reach DynamoDB through the document client (shared/store/client.ts).
  if (packages.has('client-dynamodb')) packages.add('lib-dynamodb');
  if (packages.has('lib-dynamodb')) packages.add('client-dynamodb');
  const order = [
    'client-dynamodb',
    'lib-dynamodb',
    'client-sns',
    'client-sqs',
    'client-cognito-identity-provider',
  ];
  const unknown = [...packages].filter((p) => !order.includes(p));
  if (unknown.length > 0) throw new Error(`no bare-SDK baseline for ${unknown.join(', ')}`);
  const used = order.filter((p) => packages.has(p)).map((p) => CLIENTS[p] as (typeof CLIENTS)[string]);
  return [
    ...used.map((c) => c.imports),
    ...used.map((c) => c.client),
    'export const handler = async () => {',
    ...used.filter((c) => c.call).map((c) => `  ${c.call}`),
    "  return { statusCode: 200, body: '' };",
    '};',
    '',
  ].join('\n');
}
