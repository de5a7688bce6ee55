import { createSignal } from 'solid-js';
import type { Page } from '../../shared/appointments';
import { errorMessage } from './appointments';

/** A list read page by page with `nextCursor`, with the states its screen shows. */
export function createPagedList<T>(load: (cursor?: string) => Promise<Page<T>>) {
  const [items, setItems] = createSignal<T[]>([]);
  const [cursor, setCursor] = createSignal<string>();
  const [loading, setLoading] = createSignal(true);
  // A page has arrived: later reloads keep it on screen instead of going back to "Loading…".
  const [loaded, setLoaded] = createSignal(false);
  const [loadingMore, setLoadingMore] = createSignal(false);
  const [error, setError] = createSignal<string>();
  const [moreError, setMoreError] = createSignal<string>();
  // A reload overtakes any request still in flight; its late answer is dropped.
  let generation = 0;

  const reload = async () => {
    const current = ++generation;
    setLoading(true);
    setError(undefined);
    setMoreError(undefined);
    try {
      const page = await load();
      if (current !== generation) return;
      setItems(page.items);
      setCursor(page.nextCursor);
      setLoaded(true);
    } catch (err) {
      if (current !== generation) return;
      setError(errorMessage(err));
    } finally {
      if (current === generation) setLoading(false);
    }
  };

  const loadMore = async () => {
    const from = cursor();
    if (!from || loadingMore()) return;
    const current = generation;
    setLoadingMore(true);
    setMoreError(undefined);
    try {
      const page = await load(from);
      if (current !== generation) return;
      setItems((existing) => [...existing, ...page.items]);
      setCursor(page.nextCursor);
    } catch (err) {
      if (current === generation) setMoreError(errorMessage(err));
    } finally {
      setLoadingMore(false);
    }
  };

  void reload();
  return {
    items,
    setItems,
    loading,
    /** The first load, before anything could be shown (a reload keeps the list on screen). */
    firstLoading: () => loading() && !loaded(),
    loadingMore,
    error,
    moreError,
    hasMore: () => cursor() !== undefined,
    reload,
    loadMore,
  };
}

export type PagedList<T> = ReturnType<typeof createPagedList<T>>;
