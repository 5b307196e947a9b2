/**
 * Find a unit by name or code, accents optional ("thi tran" finds "Thị trấn …"): the API searches
 * (only inside the caller's units); results are ordinary links, reachable with Tab.
 */
import { useEffect, useId, useState } from 'preact/hooks';
import type { UnitMatch } from '../../../shared/schemas/dashboard.js';
import { useApp } from '../context.js';
import { hrefOf } from '../router.js';
import { Link } from './link.js';

export function UnitSearch({ campaignId }: { campaignId: string }) {
  const { api, fmt, asOf } = useApp();
  const id = useId();
  const [q, setQ] = useState('');
  const [results, setResults] = useState<UnitMatch[] | null>(null);
  useEffect(() => {
    const text = q.trim();
    if (text.length < 2) {
      setResults(null);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      api.search(campaignId, text, 20).then(
        (r) => live && setResults(r.units),
        () => live && setResults([]),
      );
    }, 200);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [q, campaignId, api]);
  return (
    <search class="search">
      <label for={id}>{fmt.t.search}</label>
      <input
        id={id}
        type="search"
        value={q}
        placeholder={fmt.t.searchPlaceholder}
        autocomplete="off"
        onInput={(e) => setQ((e.target as HTMLInputElement).value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') setQ('');
        }}
      />
      {results && (
        <ul class="search-results" aria-live="polite">
          {results.length === 0 && <li class="muted">{fmt.t.noMatches}</li>}
          {results.map((u) => (
            <li key={u.id}>
              <Link href={hrefOf({ page: 'unit', campaignId, unitId: u.id }, asOf)}>
                <strong>{u.name}</strong> <span class="muted">{[...u.path].reverse().join(' · ')}</span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </search>
  );
}
