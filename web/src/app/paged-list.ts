// A list the API pages by cursor, as a screen shows it: the first page stays live (useLive polls
// it, so a change made elsewhere shows within seconds), and "Load more" appends the pages after
// it, each read once. A new key (another filter, another search) starts again from the first
// page. Rows are kept unique by `idOf`: a row the live first page gained may already sit on an
// appended page, and showing it twice would miscount the list.
import { useRef, useState } from 'react';
import type { ApiFailure } from '../api-client/client.js';
import { asFailure } from '../api-client/client.js';
import { type LiveRead, useLive } from './live.js';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PagedList<T> {
  /** The first page's read, for the Loaded/ErrorNotice states. */
  first: LiveRead<Page<T>>;
  /** Every row loaded so far, first page first. */
  items: T[];
  /** More rows match than are loaded. */
  hasMore: boolean;
  loadMore: () => Promise<void>;
  loadingMore: boolean;
  /** The last "Load more" failed (the rows loaded before stay). */
  moreError: ApiFailure | null;
}

interface More<T> {
  key: string | null;
  items: T[];
  /** Pages appended so far; while 0, the first page's cursor leads on. */
  pages: number;
  next: string | null;
  loading: boolean;
  error: ApiFailure | null;
}

export function usePagedList<T>(
  key: string | null,
  read: (cursor: string | null) => Promise<Page<T>>,
  idOf: (item: T) => string,
  options: { live?: boolean } = {},
): PagedList<T> {
  const first = useLive(key, () => read(null), options);
  const [more, setMore] = useState<More<T>>({
    key: null,
    items: [],
    pages: 0,
    next: null,
    loading: false,
    error: null,
  });
  const readRef = useRef(read);
  readRef.current = read;

  const current: More<T> =
    more.key === key ? more : { key, items: [], pages: 0, next: null, loading: false, error: null };
  const next = current.pages > 0 ? current.next : (first.data?.nextCursor ?? null);

  const loadMore = async (): Promise<void> => {
    if (next === null || current.loading) return;
    const asked = key;
    setMore({ ...current, loading: true, error: null });
    try {
      const page = await readRef.current(next);
      setMore((m) =>
        m.key !== asked
          ? m
          : {
              key: asked,
              items: [...m.items, ...page.items],
              pages: m.pages + 1,
              next: page.nextCursor,
              loading: false,
              error: null,
            },
      );
    } catch (error) {
      setMore((m) => (m.key !== asked ? m : { ...m, loading: false, error: asFailure(error) }));
    }
  };

  const seen = new Set<string>();
  const items: T[] = [];
  for (const item of [...(first.data?.items ?? []), ...current.items]) {
    const id = idOf(item);
    if (seen.has(id)) continue;
    seen.add(id);
    items.push(item);
  }
  return {
    first,
    items,
    hasMore: next !== null,
    loadMore,
    loadingMore: current.loading,
    moreError: current.error,
  };
}
