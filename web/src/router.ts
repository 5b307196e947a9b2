/**
 * Routes are paths, so that an alert can link to a unit: `/c/{campaignId}` (the caller's top unit),
 * `/c/{campaignId}/u/{unitId}`, `/c/{campaignId}/admin`; `?asOf=YYYY-MM-DD` shows a page as it stood
 * at the end of that local day.
 */
import { isDay } from './days.js';

export type Route =
  | { readonly page: 'home' }
  | { readonly page: 'unit'; readonly campaignId: string; readonly unitId: string | null }
  | { readonly page: 'admin'; readonly campaignId: string }
  | { readonly page: 'unknown' };

export interface Location {
  readonly route: Route;
  readonly asOf: string | null;
}

const segment = (s: string | undefined) => (s ? decodeURIComponent(s) : '');

export function parseLocation(pathname: string, search: string): Location {
  const parts = pathname.split('/').filter(Boolean);
  const asOfText = new URLSearchParams(search).get('asOf');
  const asOf = asOfText && isDay(asOfText) ? asOfText : null;
  let route: Route = { page: 'unknown' };
  if (parts.length === 0) route = { page: 'home' };
  else if (parts[0] === 'c' && parts.length === 2)
    route = { page: 'unit', campaignId: segment(parts[1]), unitId: null };
  else if (parts[0] === 'c' && parts.length === 4 && parts[2] === 'u')
    route = { page: 'unit', campaignId: segment(parts[1]), unitId: segment(parts[3]) };
  else if (parts[0] === 'c' && parts.length === 3 && parts[2] === 'admin')
    route = { page: 'admin', campaignId: segment(parts[1]) };
  return { route, asOf };
}

export function hrefOf(route: Route, asOf: string | null): string {
  const q = asOf ? `?asOf=${asOf}` : '';
  switch (route.page) {
    case 'home':
      return `/${q}`;
    case 'unit':
      return route.unitId === null
        ? `/c/${encodeURIComponent(route.campaignId)}${q}`
        : `/c/${encodeURIComponent(route.campaignId)}/u/${encodeURIComponent(route.unitId)}${q}`;
    case 'admin':
      return `/c/${encodeURIComponent(route.campaignId)}/admin${q}`;
    default:
      return `/${q}`;
  }
}

const listeners = new Set<() => void>();
export function onNavigate(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
export function navigate(href: string, replace = false): void {
  if (replace) history.replaceState(null, '', href);
  else history.pushState(null, '', href);
  window.scrollTo(0, 0);
  for (const l of listeners) l();
}
addEventListener('popstate', () => {
  for (const l of listeners) l();
});

/** The instant that ends a local day in a time zone, ISO with the zone's offset (23:59:59+07:00). */
export function endOfDay(day: string, timeZone: string): string {
  const probe = new Date(`${day}T12:00:00Z`);
  const name =
    new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
      .formatToParts(probe)
      .find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-]\d{2}):?(\d{2})?/.exec(name);
  const offset = match ? `${match[1]}:${match[2] ?? '00'}` : '+00:00';
  return `${day}T23:59:59${offset}`;
}

/** Today's local day in a time zone. */
export function todayIn(timeZone: string, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}
