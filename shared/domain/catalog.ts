/**
 * Validation of a whole campaign file: the zod schema (one value at a time) and then
 * the rules that need several units at once (ids, parents, cycles, the root, deadlines,
 * sums, sub-targets). Every problem is reported in one pass, so an administrator fixes a
 * 10,000-line file in one round rather than one error per upload.
 *
 * The cross-unit rules also run when the schema fails: they look only at the fields
 * that are individually valid, so a bad date on one unit does not hide a cycle elsewhere.
 */
import { CampaignFile } from '../schemas/campaign.js';
import { issueToProblems, plainMessages } from './catalog-issues.js';
import { type CatalogProblem, parsePath } from './catalog-problem.js';
import { looseCatalog, runCrossUnitRules, strictCatalog } from './catalog-rules.js';

export { type CatalogProblem, formatPath, type PathSegment, parsePath } from './catalog-problem.js';
export { formatCount } from './catalog-rules.js';

export type CheckResult = {
  /** The parsed file, defaults applied; null when any problem is an error. */
  file: CampaignFile | null;
  problems: CatalogProblem[];
};

/** Runs the schema, then the cross-unit rules, on anything (a parsed JSON body, a CSV translated to objects). */
export function checkCampaign(input: unknown): CheckResult {
  const parsed = CampaignFile.safeParse(input, { error: plainMessages });
  if (parsed.success) {
    const problems = checkCatalog(parsed.data);
    return { file: hasErrors(problems) ? null : parsed.data, problems };
  }
  const problems = sortByPosition([
    ...parsed.error.issues.flatMap(issueToProblems),
    ...runCrossUnitRules(looseCatalog(input)),
  ]);
  return { file: null, problems };
}

/** The cross-unit rules alone, for a file that already passed the schema. */
export function checkCatalog(file: CampaignFile): CatalogProblem[] {
  return sortByPosition(runCrossUnitRules(strictCatalog(file)));
}

export function hasErrors(problems: readonly CatalogProblem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}

export function countProblems(problems: readonly CatalogProblem[]): { errors: number; warnings: number } {
  const errors = problems.filter((p) => p.severity === 'error').length;
  return { errors, warnings: problems.length - errors };
}

/** Whole-file problems first, then the campaign, then units in file order; stable within each. */
function sortByPosition(problems: CatalogProblem[]): CatalogProblem[] {
  const rank = (p: CatalogProblem): number => {
    const [head, index] = parsePath(p.path);
    if (head === undefined) return -3;
    if (head === 'campaign') return -2;
    return typeof index === 'number' ? index : -1;
  };
  return problems
    .map((p, i) => ({ p, i, r: rank(p) }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map(({ p }) => p);
}
