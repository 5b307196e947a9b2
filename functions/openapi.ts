/**
 * GET /v1/openapi.json (no auth): the OpenAPI document generated from the zod schemas. Its `servers`
 * names the API as the caller reached it (the stage's API URL in AWS, http://127.0.0.1:<port> locally).
 *
 * The document is generated at build time (infra/tools/openapi-json.ts writes
 * shared/schemas/openapi.generated.json, bundled here as data; test/unit/shared/schemas/openapi.test.ts fails when it
 * differs from what the schemas give), so a cold start loads neither zod nor the schemas.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { jsonResponse } from '../shared/http/problem.js';
import generated from '../shared/schemas/openapi.generated.json' with { type: 'json' };

const LOCAL_HOST = /^(127\.0\.0\.1|localhost)(:\d+)?$/;

/** The base URL the request came to: https in AWS, http for the local gateway. */
export function serverUrlOf(
  event: Pick<APIGatewayProxyEventV2, 'headers' | 'requestContext'>,
): string | undefined {
  const host = event.headers?.host ?? event.requestContext?.domainName;
  if (!host || !/^[A-Za-z0-9.-]+(:\d+)?$/.test(host)) return undefined;
  return `${LOCAL_HOST.test(host) ? 'http' : 'https'}://${host}`;
}

/** The served document: the generated one with its `servers` (as buildOpenApiDocument gives it). */
export function openApiDocument(serverUrl?: string): Record<string, unknown> {
  const { openapi, ...rest } = generated as Record<string, unknown>;
  return {
    openapi,
    servers: [
      serverUrl
        ? { url: serverUrl, description: 'This API' }
        : { url: '/', description: 'The host that served this document' },
    ],
    ...rest,
  };
}

export const handler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> =>
  jsonResponse(200, openApiDocument(serverUrlOf(event)));
