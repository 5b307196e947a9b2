/**
 * `npx tsx infra/tools/openapi-json.ts`: writes shared/schemas/openapi.generated.json, the OpenAPI
 * document generated from the zod schemas (shared/schemas/openapi.ts) without its `servers`, which
 * functions/openapi.ts sets per request. The function serves this file instead of building the
 * document at load (zod's JSON Schema generation made its cold start ~3× its bare handler's).
 * Run it after changing a schema or a route; test/unit/shared/schemas/openapi.test.ts fails until the file matches.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildOpenApiDocument } from '../../shared/schemas/openapi.js';
import { REPO_ROOT } from '../local/paths.js';

export const GENERATED_OPENAPI = join(REPO_ROOT, 'shared/schemas/openapi.generated.json');

/** The generated document: everything but `servers`. */
export function generatedOpenApi(): Record<string, unknown> {
  const { servers: _servers, ...rest } = buildOpenApiDocument();
  return rest;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(GENERATED_OPENAPI, `${JSON.stringify(generatedOpenApi(), null, 2)}\n`);
  execFileSync(join(REPO_ROOT, 'node_modules/.bin/biome'), ['format', '--write', GENERATED_OPENAPI], {
    stdio: 'inherit',
  });
  console.log(`wrote ${GENERATED_OPENAPI}`);
}
