'use client';

import { useEffect, useState, type Dispatch, type KeyboardEvent, type SetStateAction } from 'react';
import type { ApiInstrument } from '@/lib/contracts/instrument';

/** One row of GET /api/instruments (the contract's type). */
export type InstrumentHit = ApiInstrument;

/**
 * Debounced autocomplete over the instruments master (GET /api/instruments): the hits for
 * `query` (at most `limit`), a loading flag, and the keyboard-highlighted index (reset to 0 on
 * new hits). Stale requests are aborted.
 */
export function useInstrumentSearch(query: string, { limit = 10, debounceMs = 150 } = {}) {
  const [hits, setHits] = useState<InstrumentHit[]>([]);
  const [active, setActive] = useState(0);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    const q = query.trim();
    if (!q) {
      setHits([]);
      setLoading(false);
      return;
    }
    const controller = new AbortController();
    setLoading(true);
    const timer = setTimeout(async () => {
      try {
        const response = await fetch(`/api/instruments?q=${encodeURIComponent(q.slice(0, 40))}&limit=${limit}`, {
          signal: controller.signal,
        });
        const body = (await response.json()) as { instruments?: InstrumentHit[] };
        setHits(body.instruments ?? []);
        setActive(0);
      } catch (error) {
        if ((error as Error).name !== 'AbortError') setHits([]);
      } finally {
        if (!controller.signal.aborted) setLoading(false);
      }
    }, debounceMs);
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [query, limit, debounceMs]);

  return { hits, active, setActive, loading };
}

/**
 * Keyboard handling of a results list: ↓ opens and moves down, ↑ moves up, Enter calls
 * `onEnter` with the highlighted hit (or undefined), Escape calls `onEscape`.
 */
export function handleListKeys(
  event: KeyboardEvent<HTMLInputElement>,
  list: {
    hits: readonly InstrumentHit[];
    active: number;
    setActive: Dispatch<SetStateAction<number>>;
    setOpen: (open: boolean) => void;
    onEnter: (hit: InstrumentHit | undefined) => void;
    onEscape: () => void;
  },
): void {
  if (event.key === 'ArrowDown') {
    event.preventDefault();
    list.setOpen(true);
    list.setActive((i) => Math.min(i + 1, Math.max(list.hits.length - 1, 0)));
  } else if (event.key === 'ArrowUp') {
    event.preventDefault();
    list.setActive((i) => Math.max(i - 1, 0));
  } else if (event.key === 'Enter') {
    event.preventDefault();
    list.onEnter(list.hits[list.active]);
  } else if (event.key === 'Escape') {
    list.onEscape();
  }
}
