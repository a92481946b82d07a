import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppError } from '../../../src-main/shared/errors.ts';
import type { OutboxItem, OutboxState } from '../../../src-main/shared/schemas/outbox.ts';
import { useApi } from '../../api/api-context.tsx';

export type LogFilters = {
  text: string;
  accountId: string;
  state: OutboxState | '';
  recipient: string;
  since: string;
  until: string;
};

export const PAGE = 100;

/**
 * The search results as pages fetched on demand: the list knows the total at once and asks
 * for a page only when one of its rows scrolls into view, so 100,000 entries cost one page.
 * Results refresh (debounced) when the outbox changes, through the contract's events.
 */
export function useLogPages(filters: LogFilters) {
  const api = useApi();
  const [total, setTotal] = useState<number | null>(null);
  const [pages, setPages] = useState<Map<number, OutboxItem[]>>(() => new Map());
  const [error, setError] = useState<AppError | null>(null);
  const [generation, setGeneration] = useState(0);
  const loading = useRef(new Set<number>());

  const query = useCallback(
    (page: number) => ({
      ...(filters.text.trim() ? { text: filters.text.trim() } : {}),
      ...(filters.accountId ? { accountId: filters.accountId } : {}),
      ...(filters.state ? { state: filters.state } : {}),
      ...(filters.recipient.trim() ? { recipient: filters.recipient.trim() } : {}),
      ...(filters.since ? { since: new Date(`${filters.since}T00:00`).getTime() } : {}),
      // "Until" includes the whole chosen day.
      ...(filters.until ? { until: new Date(`${filters.until}T00:00`).getTime() + 86_400_000 } : {}),
      offset: page * PAGE,
      limit: PAGE,
    }),
    [filters.text, filters.accountId, filters.state, filters.recipient, filters.since, filters.until],
  );

  // New filters or a change in the outbox: start again from the first page.
  useEffect(() => {
    let live = true;
    loading.current = new Set([0]);
    void api['logs.search'](query(0)).then((result) => {
      if (!live) return;
      loading.current.delete(0);
      if (!result.ok) return setError(result.error);
      setError(null);
      setTotal(result.value.total);
      setPages(new Map([[0, result.value.items]]));
    });
    return () => {
      live = false;
    };
  }, [api, query, generation]);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = api.on['outbox.changed'](() => {
      clearTimeout(timer);
      timer = setTimeout(() => setGeneration((g) => g + 1), 300);
    });
    return () => {
      clearTimeout(timer);
      off();
    };
  }, [api]);

  const itemAt = useCallback(
    (index: number): OutboxItem | undefined => {
      const page = Math.floor(index / PAGE);
      const items = pages.get(page);
      if (items) return items[index - page * PAGE];
      if (!loading.current.has(page)) {
        loading.current.add(page);
        void api['logs.search'](query(page)).then((result) => {
          loading.current.delete(page);
          if (result.ok) setPages((m) => new Map(m).set(page, result.value.items));
        });
      }
      return undefined;
    },
    [api, pages, query],
  );

  return { total, itemAt, error };
}
