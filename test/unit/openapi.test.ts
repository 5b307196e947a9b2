import { describe, expect, it } from 'vitest';
import { functions } from '../../infra/topology.js';
import { buildOpenApiDocument } from '../../shared/schemas/openapi.js';

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
