/**
 * A campaign file in JSON: parsed with positions (jsonc-parser), so that every problem, including a
 * duplicate key JSON.parse would silently drop, points at its line.
 */
import {
  findNodeAtLocation,
  type Node,
  type ParseError,
  type ParseErrorCode,
  parseTree,
  printParseErrorCode,
} from 'jsonc-parser';
import { type CatalogProblem, checkCampaign, formatPath, hasErrors, parsePath } from '../domain/catalog.js';
import { byLine, lineLocator, type ParseResult } from './file-lines.js';

export function parseJsonCampaign(text: string): ParseResult {
  const lineOf = lineLocator(text);
  const syntaxErrors: ParseError[] = [];
  // Strict JSON, as the HTTP route reads it: no comments, no trailing commas.
  const tree = parseTree(text, syntaxErrors, { disallowComments: true, allowTrailingComma: false });
  if (syntaxErrors.length > 0 || !tree) {
    // The parser recovers and may report several errors for one slip: one per line is enough.
    const seen = new Set<number>();
    const problems: CatalogProblem[] = [];
    for (const e of syntaxErrors) {
      const line = lineOf(e.offset);
      if (seen.has(line)) continue;
      seen.add(line);
      problems.push({
        severity: 'error',
        path: '',
        line,
        message: `invalid JSON: ${describeJsonError(e.error)}`,
      });
    }
    return { file: null, problems, unitCount: 0 };
  }

  // The value comes from JSON.parse, the same reader the HTTP route uses; the tree only locates.
  const value: unknown = JSON.parse(text);
  const checked = checkCampaign(value);
  const located = checked.problems.map((p) => ({
    ...p,
    line: lineOf(nearestNode(tree, parsePath(p.path)).offset),
  }));
  const problems = byLine([...duplicateKeys(tree, lineOf), ...located]);
  const units = tree.type === 'object' ? findNodeAtLocation(tree, ['units']) : undefined;
  return {
    file: hasErrors(problems) ? null : checked.file,
    problems,
    unitCount: units?.type === 'array' ? (units.children?.length ?? 0) : 0,
  };
}

/** The node at the path, or its nearest existing ancestor (for a missing property, the object that lacks it). */
function nearestNode(tree: Node, segments: (string | number)[]): Node {
  for (let n = segments.length; n > 0; n--) {
    const node = findNodeAtLocation(tree, segments.slice(0, n));
    if (node) return node;
  }
  return tree;
}

/** JSON.parse keeps the last of two equal keys without a word; in a campaign file that is always a slip. */
function duplicateKeys(tree: Node, lineOf: (offset: number) => number): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  const visit = (node: Node, path: (string | number)[]): void => {
    if (node.type === 'object') {
      const seen = new Map<string, number>();
      for (const property of node.children ?? []) {
        const [keyNode, valueNode] = property.children ?? [];
        if (!keyNode || typeof keyNode.value !== 'string') continue;
        const key = keyNode.value;
        const firstLine = seen.get(key);
        const line = lineOf(keyNode.offset);
        if (firstLine === undefined) seen.set(key, line);
        else {
          problems.push({
            severity: 'error',
            path: formatPath([...path, key]),
            line,
            message: `key "${key}" appears twice in this object (also on line ${firstLine}); remove one`,
          });
        }
        if (valueNode) visit(valueNode, [...path, key]);
      }
    } else if (node.type === 'array') {
      node.children?.forEach((child, i) => {
        visit(child, [...path, i]);
      });
    }
  };
  visit(tree, []);
  return problems;
}

/** Plainer words for jsonc-parser's error codes (keyed by name: its enum is a const enum). */
const JSON_ERRORS: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidCharacter: 'unexpected character',
  InvalidNumberFormat: 'badly written number',
  UnexpectedEndOfNumber: 'badly written number',
  PropertyNameExpected: 'expected a property name in double quotes (a trailing comma?)',
  ValueExpected: 'expected a value (a trailing comma, or an empty file?)',
  ColonExpected: 'expected ":" after the property name',
  CommaExpected: 'expected "," between values',
  CloseBraceExpected: 'expected "}"',
  CloseBracketExpected: 'expected "]"',
  EndOfFileExpected: 'unexpected text after the end of the JSON value',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'comments are not allowed in JSON',
  UnexpectedEndOfString: 'unterminated string',
  InvalidUnicode: 'invalid escape sequence in a string',
  InvalidEscapeCharacter: 'invalid escape sequence in a string',
};

function describeJsonError(code: ParseErrorCode): string {
  const name = printParseErrorCode(code);
  return JSON_ERRORS[name] ?? name;
}
