import { useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../api.js';

/**
 * A list API paged by cursor (`?limit=&cursor=`, answering `{data, nextCursor}`), one page at a time,
 * with the cursors of the pages before kept for "previous". A new query starts again at the first page.
 */
export function useCursorPages<T>(key: string, path: string, query: string, limit: number) {
  // Cursors of the pages before the current one, and the current one's (null: the first page).
  const [pages, setPages] = useState<{ query: string; cursors: Array<string | null> }>({ query, cursors: [null] });
  const cursors = pages.query === query ? pages.cursors : [null];
  const cursor = cursors.at(-1) ?? null;
  const list = useQuery({
    queryKey: [key, query, cursor],
    queryFn: () => api<{ data: T[]; nextCursor: string | null }>(`${path}?limit=${limit}${query ? `&${query}` : ''}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
    placeholderData: keepPreviousData,
  });
  const nextCursor = list.data?.nextCursor ?? null;
  return {
    list,
    page: cursors.length,
    previous: () => setPages({ query, cursors: cursors.slice(0, -1) }),
    next: () => nextCursor && setPages({ query, cursors: [...cursors, nextCursor] }),
  };
}
