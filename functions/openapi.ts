/**
 * GET /v1/openapi.json (no auth): the OpenAPI document generated from the zod schemas. Its `servers`
 * names the API as the caller reached it (the stage's API URL in AWS, http://127.0.0.1:<port> locally).
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { jsonResponse } from '../shared/http/problem.js';
import { buildOpenApiDocument } from '../shared/schemas/openapi.js';

const LOCAL_HOST = /^(127\.0\.0\.1|localhost)(:\d+)?$/;

/** The base URL the request came to: https in AWS, http for the local gateway. */
export function serverUrlOf(
  event: Pick<APIGatewayProxyEventV2, 'headers' | 'requestContext'>,
): string | undefined {
  const host = event.headers?.host ?? event.requestContext?.domainName;
  if (!host || !/^[A-Za-z0-9.-]+(:\d+)?$/.test(host)) return undefined;
  return `${LOCAL_HOST.test(host) ? 'http' : 'https'}://${host}`;
}

const documents = new Map<string, Record<string, unknown>>();

export const handler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
  const serverUrl = serverUrlOf(event);
  const key = serverUrl ?? '';
  let document = documents.get(key);
  if (!document) {
    document = buildOpenApiDocument(serverUrl ? { serverUrl } : {});
    if (documents.size < 16) documents.set(key, document);
  }
  return jsonResponse(200, document);
};
