import { readdirSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkLayers, describeViolation, importsOf } from '../support/import-rules.js';

const ROOT = join(import.meta.dirname, '..', '..');

function sourcesUnder(folder: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(join(ROOT, folder), { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') found.push(...sourcesUnder(path));
    else if (entry.isFile() && /\.tsx?$/.test(entry.name)) found.push(path);
  }
  return found;
}

function treeFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const folder of ['shared', 'functions', 'infra']) {
    for (const path of sourcesUnder(folder)) {
      files.set(path.split(sep).join('/'), readFileSync(join(ROOT, path), 'utf8'));
    }
  }
  return files;
}

describe('layer rule (docs/ARCHITECTURE.md §2)', () => {
  it('holds over shared/, functions/ and infra/', () => {
    const files = treeFiles();
    expect(files.size).toBeGreaterThan(100);
    expect(files.has('shared/domain/hierarchy.ts')).toBe(true);
    // The scanner sees the tree's imports (an empty scan would pass the rule vacuously).
    const imports = [...files.values()].reduce((n, source) => n + importsOf(source).length, 0);
    expect(imports).toBeGreaterThan(500);
    expect(checkLayers(files).map(describeViolation)).toEqual([]);
  });

  it('reports every kind of breach, naming file, line and import', () => {
    const fixture = new Map<string, string>([
      // (a) shared/ importing what is above it
      ['shared/store/a.ts', "import { handler } from '../../functions/intake.js';\n"],
      ['shared/jobs/b.ts', "\n\nexport { x } from '../../test/support/builders.js';\n"],
      // (b) two shared/ folders importing each other both ways (type-only counts)
      ['shared/alerts/c.ts', "import type { Totals } from '../store/totals-store.js';\n"],
      ['shared/store/totals-store.ts', "import {\n  type Language,\n} from '../alerts/c.js';\n"],
      // (c) the domain importing a store, HTTP, an SDK
      ['shared/domain/d.ts', "import type { StoredUnit } from '../store/campaign-store.js';\n"],
      ['shared/domain/e.ts', "import { Problem } from '../http/problem.js';\nimport * as z from 'zod';\n"],
      ['shared/domain/f.ts', "import { GetCommand } from '@aws-sdk/lib-dynamodb';\n"],
      // the schemas importing the domain
      ['shared/schemas/g.ts', "import { oneLine } from '../domain/text.js';\n"],
      // functions/ importing infra/
      ['functions/h.ts', "import { topology } from '../infra/topology.js';\n"],
      // a service importing HTTP; a lower shared/ folder importing a service
      ['shared/services/i.ts', "import { orProblem } from '../http/registry-problem.js';\n"],
      ['shared/alerts/j.ts', "import { RecipientRegistry } from '../services/recipients.js';\n"],
      // allowed: a service importing domain, store, vocabulary, alerts
      [
        'shared/services/ok.ts',
        "import type { CatalogView } from '../domain/intake.js';\nimport { RegistryError } from '../store/recipient-store.js';\nimport type { Language } from '../vocabulary/alerts.js';\nimport { endpointKey } from '../alerts/subscriptions.js';\n",
      ],
      // allowed: functions → shared, domain → schemas/util/vocabulary, domain → node:crypto
      ['functions/ok.ts', "import { x } from '../shared/domain/intake.js';\n"],
      [
        'shared/domain/ok.ts',
        "import { createHash } from 'node:crypto';\nimport type { Unit } from '../schemas/campaign.js';\nimport { oneLine } from '../util/text.js';\nimport type { Language } from '../vocabulary/alerts.js';\n",
      ],
    ]);
    expect(checkLayers(fixture).map(describeViolation)).toEqual([
      "shared/store/a.ts:1 '../../functions/intake.js': shared/ imports functions/",
      "shared/jobs/b.ts:3 '../../test/support/builders.js': shared/ imports test/",
      "shared/domain/d.ts:1 '../store/campaign-store.js': shared/domain/ imports shared/store",
      "shared/domain/e.ts:1 '../http/problem.js': shared/domain/ imports shared/http",
      "shared/domain/f.ts:1 '@aws-sdk/lib-dynamodb': shared/domain/ imports package @aws-sdk/lib-dynamodb",
      "shared/schemas/g.ts:1 '../domain/text.js': shared/schemas/ imports shared/domain/",
      "functions/h.ts:1 '../infra/topology.js': functions/ imports infra/",
      "shared/services/i.ts:1 '../http/registry-problem.js': shared/services/ imports shared/http/",
      "shared/alerts/j.ts:1 '../services/recipients.js': shared/alerts/ imports shared/services/ (services sit above it)",
      "shared/alerts/c.ts:1 '../store/totals-store.js': shared/alerts and shared/store import each other (back: shared/store/totals-store.ts:3 '../alerts/c.js')",
      "shared/alerts/j.ts:1 '../services/recipients.js': shared/alerts and shared/services import each other (back: shared/services/ok.ts:4 '../alerts/subscriptions.js')",
      "shared/domain/ok.ts:2 '../schemas/campaign.js': shared/domain and shared/schemas import each other (back: shared/schemas/g.ts:1 '../domain/text.js')",
    ]);
  });

  it('reads every form of import and nothing in comments or strings', () => {
    const source = [
      "import a from './a.js';",
      'import {',
      '  type B,',
      '  c,',
      "} from './b.js';",
      "export * from './c.js';",
      "export type { D } from './d.js';",
      "import './e.js';",
      "const f = await import('./f.js');",
      "// import g from './g.js';",
      "/* export { h } from './h.js'; */",
      'const text = \'import i from "./i.js"\';',
    ].join('\n');
    expect(importsOf(source)).toEqual([
      { specifier: './a.js', line: 1 },
      { specifier: './b.js', line: 5 },
      { specifier: './c.js', line: 6 },
      { specifier: './d.js', line: 7 },
      { specifier: './e.js', line: 8 },
      { specifier: './f.js', line: 9 },
    ]);
  });
});
