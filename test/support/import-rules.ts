/**
 * The layer rule of docs/ARCHITECTURE.md §2 as code: which folder may import which. Pure (files in,
 * violations out) so that test/unit/architecture.test.ts can run it over the tree and over small
 * in-memory fixtures that break it. Imports are read from the source text (dependency-cruiser needs a
 * newer Node, TypeScript 7 has no JS API): comments are blanked, then every `import … from`,
 * `export … from`, side-effect `import '…'` and dynamic `import('…')` is taken, type-only included.
 */
import { posix } from 'node:path';

export interface ImportRef {
  readonly specifier: string;
  /** 1-based line of the specifier. */
  readonly line: number;
}

export interface Violation {
  readonly file: string;
  readonly line: number;
  readonly specifier: string;
  readonly rule: string;
}

/** The source with comments replaced by spaces (line breaks kept), strings and templates left as they are. */
export function withoutComments(source: string): string {
  let out = '';
  let i = 0;
  while (i < source.length) {
    const c = source[i] as string;
    const next = source[i + 1];
    if (c === '/' && next === '/') {
      while (i < source.length && source[i] !== '\n') {
        out += ' ';
        i++;
      }
    } else if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end === -1 ? source.length : end + 2;
      out += source.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < source.length && source[j] !== c) {
        if (source[j] === '\\') j++;
        if (c !== '`' && source[j] === '\n') break;
        j++;
      }
      out += source.slice(i, j + 1);
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

const STATIC = /(?:^|[;}\n])\s*(?:import|export)\b[^;'"`]*?\bfrom\s*(['"])([^'"\n]+)\1/g;
const SIDE_EFFECT = /(?:^|[;}\n])\s*import\s*(['"])([^'"\n]+)\1/g;
const DYNAMIC = /\bimport\s*\(\s*(['"])([^'"\n]+)\1\s*\)/g;

/** Every module specifier the source imports or re-exports, with its line. */
export function importsOf(source: string): ImportRef[] {
  const code = withoutComments(source);
  const found: ImportRef[] = [];
  for (const pattern of [STATIC, SIDE_EFFECT, DYNAMIC]) {
    for (const match of code.matchAll(pattern)) {
      const specifier = match[2] as string;
      const at = match.index + match[0].lastIndexOf(specifier);
      found.push({ specifier, line: code.slice(0, at).split('\n').length });
    }
  }
  return found.sort((a, b) => a.line - b.line);
}

/** `shared/domain/x.ts` + `../store/y.js` → `shared/store/y`; null for a package (zod, node:crypto). */
export function resolveRelative(file: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  return posix.normalize(posix.join(posix.dirname(file), specifier)).replace(/\.(?:[cm]?[jt]sx?)$/, '');
}

/** `shared/store/y` → `shared/store`; `functions/intake` → `functions`. */
export function folderOf(modulePath: string): string {
  const parts = modulePath.split('/');
  return parts[0] === 'shared' && parts.length > 2 ? `shared/${parts[1]}` : (parts[0] as string);
}

/** Top-level folders nothing in shared/ may import (shared/ is the bottom of the tree). */
const ABOVE_SHARED = ['functions', 'infra', 'bench', 'test', 'web'];
/** What the domain may import: pure logic over the schemas' types and the shared vocabulary. */
const DOMAIN_MAY_IMPORT = ['shared/domain', 'shared/schemas', 'shared/util', 'shared/vocabulary'];
/** Packages the domain may import: zod (schemas' types) and node:crypto (hashes and ids, no I/O). */
const DOMAIN_PACKAGES = ['zod', 'node:crypto'];
/** What the schemas may import: nothing above them. */
const SCHEMAS_MAY_IMPORT = ['shared/schemas', 'shared/util', 'shared/vocabulary'];
/**
 * Application services (shared/services/) sit above the other shared/ folders and below functions/
 * and infra/: they may import domain, store, vocabulary and the other shared/ folders, except HTTP
 * (the handlers shape answers), and no other shared/ folder imports them.
 */
const SERVICES = 'shared/services';
const SERVICES_MAY_NOT_IMPORT = ['shared/http'];
/** The vocabulary is the bottom layer: words and shapes every layer may import. */
const VOCABULARY_MAY_IMPORT = ['shared/vocabulary'];

/**
 * Pairs of shared/ folders allowed to import each other both ways, each with its reason. Empty: no
 * cycle is tolerated. An entry is `['shared/a', 'shared/b']` in alphabetical order.
 */
export const ALLOWED_CYCLES: readonly (readonly [string, string, string])[] = [];

/** Every breach of the layer rule among these files (path relative to the repository → source). */
export function checkLayers(files: ReadonlyMap<string, string>): Violation[] {
  const violations: Violation[] = [];
  /** `shared/a>shared/b` → the first import that makes that edge. */
  const edges = new Map<string, Violation>();
  for (const [file, source] of files) {
    const from = folderOf(file);
    for (const ref of importsOf(source)) {
      const target = resolveRelative(file, ref.specifier);
      const to = target === null ? null : folderOf(target);
      const breach = (rule: string) =>
        violations.push({ file, line: ref.line, specifier: ref.specifier, rule });
      if (from.startsWith('shared/') && to !== null && ABOVE_SHARED.includes(to)) {
        breach(`shared/ imports ${to}/`);
      }
      if (
        (from === 'functions' || from === 'infra') &&
        to !== null &&
        ['bench', 'test', 'web'].includes(to)
      ) {
        breach(`${from}/ imports ${to}/`);
      }
      if (from === 'functions' && to === 'infra') breach('functions/ imports infra/');
      const allowed = (list: readonly string[]) => to !== null && list.includes(to);
      if (from === 'shared/domain') {
        if (to === null ? !DOMAIN_PACKAGES.includes(ref.specifier) : !allowed(DOMAIN_MAY_IMPORT)) {
          breach(`shared/domain/ imports ${to ?? `package ${ref.specifier}`}`);
        }
      }
      if (from === 'shared/schemas' && to !== null && !allowed(SCHEMAS_MAY_IMPORT)) {
        breach(`shared/schemas/ imports ${to}/`);
      }
      if (from === SERVICES && to !== null && SERVICES_MAY_NOT_IMPORT.includes(to)) {
        breach(`shared/services/ imports ${to}/`);
      }
      if (from.startsWith('shared/') && from !== SERVICES && to === SERVICES) {
        breach(`${from}/ imports shared/services/ (services sit above it)`);
      }
      if (from === 'shared/vocabulary' && to !== null && !allowed(VOCABULARY_MAY_IMPORT)) {
        breach(`shared/vocabulary/ imports ${to}/`);
      }
      if (from.startsWith('shared/') && to?.startsWith('shared/') && to !== from) {
        const key = `${from}>${to}`;
        if (!edges.has(key)) edges.set(key, { file, line: ref.line, specifier: ref.specifier, rule: '' });
      }
    }
  }
  for (const [key, first] of edges) {
    const [a, b] = key.split('>') as [string, string];
    const back = edges.get(`${b}>${a}`);
    if (back === undefined || a > b) continue;
    if (ALLOWED_CYCLES.some(([x, y]) => x === a && y === b)) continue;
    const rule = `${a} and ${b} import each other (back: ${back.file}:${back.line} '${back.specifier}')`;
    violations.push({ ...first, rule });
  }
  return violations;
}

export const describeViolation = (v: Violation): string => `${v.file}:${v.line} '${v.specifier}': ${v.rule}`;
