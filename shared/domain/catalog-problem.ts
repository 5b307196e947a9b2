/**
 * A campaign file's problem, and where in the file it is: `units[3].parentId` as a path both ways.
 */
export type CatalogProblem = {
  severity: 'error' | 'warning';
  /** Where in the file, e.g. `units[3].parentId` or `campaign.startDate`; '' for the whole file. */
  path: string;
  /** 1-based line in the source text, when the problem came from a file. */
  line?: number;
  message: string;
};

export type PathSegment = string | number;

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** ['units', 3, 'target'] → `units[3].target`. */
export function formatPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'string' && IDENTIFIER.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out;
}

/** The inverse of formatPath: `units[3].target` → ['units', 3, 'target']. */
export function parsePath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  const token = /\.?([A-Za-z_$][\w$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/y;
  while (token.lastIndex < path.length) {
    const m = token.exec(path);
    if (!m) break;
    if (m[1] !== undefined) segments.push(m[1]);
    else if (m[2] !== undefined) segments.push(Number(m[2]));
    else if (m[3] !== undefined) segments.push(JSON.parse(m[3]) as string);
  }
  return segments;
}
