/**
 * Starts one in-memory DynamoDB Local for the integration project and hands its endpoint to
 * the tests (`inject('dynamoEndpoint')`). Each test file creates its own uniquely named tables.
 * Without Java 17+ this fails loudly: integration tests are never silently skipped.
 */
import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../../infra/local/dynamodb.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}

export default async function setup(project: TestProject) {
  const dynamo = await startDynamoDbLocal();
  project.provide('dynamoEndpoint', dynamo.endpoint);
  return async () => {
    await dynamo.stop();
  };
}
