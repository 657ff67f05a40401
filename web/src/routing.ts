import { useEffect, useState } from 'preact/hooks';

/**
 * The dashboard's pages, in navigation order; the hash is `#/<page>/<id>` (e.g. `#/users/42`). The server answers
 * index.html at `/<page>` and `/<page>/<id>` too (src/server/dashboard.ts PAGE_PATHS: keep the two lists alike).
 */
export const PAGES = [
  { id: 'overview', title: 'Overview' },
  { id: 'users', title: 'Users' },
  { id: 'items', title: 'Items' },
  { id: 'evaluation', title: 'Evaluation' },
  { id: 'try', title: 'Try it' },
  { id: 'api', title: 'API' },
] as const;

export type PageId = (typeof PAGES)[number]['id'];

export interface Route {
  page: PageId;
  /** The page's subject (a user or item id, a report name), decoded. */
  id?: string;
}

export function parseHash(hash: string): Route {
  const [page, ...rest] = hash.replace(/^#\/?/, '').split('/');
  const known = PAGES.find((p) => p.id === page);
  if (!known) return { page: 'overview' };
  const id = rest.length > 0 && rest.join('/') !== '' ? decodeURIComponent(rest.join('/')) : undefined;
  return { page: known.id, id };
}

export function href(page: PageId, id?: string): string {
  return id === undefined ? `#/${page}` : `#/${page}/${encodeURIComponent(id)}`;
}

/**
 * A page path (`/users/42`, opened by a typed or shared address) becomes its hash (`/#/users/42`) before the app
 * starts, so links, reloads and the back button all work from the hash alone.
 */
export function pathToHash(): void {
  const { pathname, hash } = window.location;
  if (hash !== '' || pathname === '/') return;
  window.history.replaceState(null, '', `/#${pathname}`);
}

/** The route of the current location hash, updated on navigation. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseHash(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
