// A small client-side router: the console's few pages are paths under /console/, so the History API
// is enough (the server answers index.html for any of them).
import { useSyncExternalStore } from 'react';

export const BASE = '/console';

const listeners = new Set<() => void>();
window.addEventListener('popstate', () => listeners.forEach((l) => l()));

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The current location inside the console: `/inbox`, `/inbox/cnv_...`, with its query string. */
export function useLocation(): { path: string; search: URLSearchParams } {
  const href = useSyncExternalStore(subscribe, () => location.pathname + location.search);
  const url = new URL(href, location.origin);
  const path = url.pathname.startsWith(BASE) ? url.pathname.slice(BASE.length) || '/' : url.pathname;
  return { path: path.replace(/\/+$/, '') || '/', search: url.searchParams };
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const href = BASE + to;
  if (options.replace) history.replaceState(null, '', href);
  else history.pushState(null, '', href);
  listeners.forEach((l) => l());
}
