/**
 * The campaign schema's issues as problems an administrator can act on: plain messages instead of
 * zod's, unknown fields with the known ones suggested.
 */
import type { z } from 'zod';
import { Campaign, CampaignFile, SubTarget, Thresholds, Unit, WorkingHours } from '../schemas/campaign.js';
import { type CatalogProblem, formatPath } from './catalog-problem.js';

/** Messages an administrator can act on, instead of zod's "Invalid input: expected string, received undefined". */
export const plainMessages: z.core.$ZodErrorMap = (issue) => {
  if (issue.code !== 'invalid_type') return undefined;
  if (issue.input === undefined) return 'is required';
  return `must be ${describeExpected(String(issue.expected))}, not ${describeValue(issue.input)}`;
};

function describeExpected(expected: string): string {
  const names: Record<string, string> = {
    string: 'text',
    number: 'a number',
    int: 'a whole number',
    array: 'a list',
    object: 'an object',
    boolean: 'true or false',
  };
  return names[expected] ?? expected;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `text ${JSON.stringify(value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value === 'number' ? 'the number' : typeof value} ${String(value)}`;
}

export function issueToProblems(issue: z.core.$ZodIssue): CatalogProblem[] {
  if (issue.code === 'unrecognized_keys') {
    const allowed = allowedFields(issue.path);
    const hint = allowed ? ` (expected one of: ${allowed.join(', ')})` : '';
    return issue.keys.map((key) => ({
      severity: 'error',
      path: formatPath([...issue.path, key]),
      message: `is not a known field${hint}`,
    }));
  }
  return [{ severity: 'error', path: formatPath(issue.path), message: issue.message }];
}

/** The field names allowed in the object at `path`, to suggest the right spelling. */
function allowedFields(path: readonly PropertyKey[]): string[] | undefined {
  const shape = path.map((s) => (typeof s === 'number' ? '#' : String(s))).join('/');
  const shapes: Record<string, readonly string[]> = {
    '': Object.keys(CampaignFile.shape),
    campaign: Object.keys(Campaign.shape),
    'campaign/workingHours': Object.keys(WorkingHours.shape),
    'campaign/thresholds': Object.keys(Thresholds.shape),
    'units/#': Object.keys(Unit.shape),
    'units/#/subTargets/#': Object.keys(SubTarget.shape),
  };
  const fields = shapes[shape];
  return fields ? [...fields] : undefined;
}
