/** GET /v1/openapi.json (no auth): the OpenAPI document generated from the zod schemas. */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { jsonResponse } from '../shared/http/problem.js';
import { buildOpenApiDocument } from '../shared/schemas/openapi.js';

const document = buildOpenApiDocument();

export const handler = async (): Promise<APIGatewayProxyStructuredResultV2> => jsonResponse(200, document);
