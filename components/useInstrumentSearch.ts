'use client';

import { useEffect, useState } from 'react';

/** One row of GET /api/instruments. */
export interface InstrumentHit {
  instrument_token: number;
  exchange: string;
  tradingsymbol: string;
  name: string | null;
  segment: string | null;
  instrument_type: string | null;
}

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
