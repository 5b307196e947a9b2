import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { handler, openApiDocument } from '../../../../functions/openapi.js';
import { GENERATED_OPENAPI, generatedOpenApi } from '../../../../infra/tools/openapi-json.js';
import { functions } from '../../../../infra/topology.js';
import { buildOpenApiDocument } from '../../../../shared/schemas/openapi.js';

describe('the OpenAPI document', () => {
  const document = buildOpenApiDocument() as {
    openapi: string;
    paths: Record<string, Record<string, unknown>>;
  };

  it('describes every route of the topology, and nothing else', () => {
    const documented = Object.entries(document.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const routes = functions.flatMap((f) => f.routes.map((r) => `${r.method} ${r.path}`));
    expect(documented.sort()).toEqual(routes.sort());
  });

  it('generates the intake event schema from zod, with its limits', () => {
    const schemas = (
      document as unknown as {
        components: { schemas: Record<string, { properties: Record<string, unknown> }> };
      }
    ).components.schemas;
    expect(schemas.IntakeEvent?.properties.count).toMatchObject({ minimum: 1, maximum: 1000, default: 1 });
    expect(schemas.IntakeEvent?.properties.channel).toMatchObject({
      enum: ['fixed', 'mobile'],
      default: 'fixed',
    });
  });
});

describe('operationIds and servers', () => {
  const document = buildOpenApiDocument({ serverUrl: 'https://api.example.gov.vn' }) as {
    servers: { url: string }[];
    paths: Record<string, Record<string, { operationId?: string }>>;
  };
  const operations = Object.entries(document.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({
      key: `${method.toUpperCase()} ${path}`,
      id: op.operationId,
    })),
  );

  it('gives every operation an operationId, each one different', () => {
    expect(operations.filter((o) => !o.id)).toEqual([]);
    expect(new Set(operations.map((o) => o.id)).size).toBe(operations.length);
  });

  it("names the dashboard's routes as the client calls them", () => {
    const ids = Object.fromEntries(operations.map((o) => [o.key, o.id]));
    expect(ids['GET /v1/campaigns']).toBe('listCampaigns');
    expect(ids['GET /v1/campaigns/{campaignId}']).toBe('getCampaign');
    expect(ids['GET /v1/campaigns/{campaignId}/units']).toBe('searchUnits');
    expect(ids['GET /v1/campaigns/{campaignId}/units/{unitId}/risk-history']).toBe('getUnitRiskHistory');
  });

  it('names its server: the URL given, or the host that served it', () => {
    expect(document.servers).toEqual([{ url: 'https://api.example.gov.vn', description: 'This API' }]);
    expect((buildOpenApiDocument() as { servers: { url: string }[] }).servers[0]?.url).toBe('/');
  });
});

describe('the generated document the function serves', () => {
  it('is what the schemas give today (else run: npx tsx infra/tools/openapi-json.ts)', () => {
    expect(JSON.parse(readFileSync(GENERATED_OPENAPI, 'utf8'))).toEqual(generatedOpenApi());
  });

  it('is served byte for byte as buildOpenApiDocument builds it, servers included', async () => {
    expect(JSON.stringify(openApiDocument('https://api.example.gov.vn'))).toBe(
      JSON.stringify(buildOpenApiDocument({ serverUrl: 'https://api.example.gov.vn' })),
    );
    expect(JSON.stringify(openApiDocument())).toBe(JSON.stringify(buildOpenApiDocument()));
    const event = (host: string | undefined) =>
      ({ headers: host ? { host } : {}, requestContext: {} }) as unknown as Parameters<typeof handler>[0];
    const served = await handler(event('127.0.0.1:4321'));
    expect(served.body).toBe(JSON.stringify(buildOpenApiDocument({ serverUrl: 'http://127.0.0.1:4321' })));
    expect((await handler(event('bad host/'))).body).toBe(JSON.stringify(buildOpenApiDocument()));
  });
});
