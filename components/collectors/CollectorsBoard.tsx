'use client';

import { useCallback, useEffect, useState } from 'react';
import type { CollectorSnapshot } from '@/lib/contracts/collector';
import { collectorsApi } from './api';
import { CollectorCard } from './CollectorCard';

const POLL_MS = 2000;

/** The collectors page: every collector's card, refreshed every 2 s; actions report errors inline. */
export function CollectorsBoard() {
  const [collectors, setCollectors] = useState<CollectorSnapshot[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.now());

  const refresh = useCallback(async () => {
    try {
      setCollectors(await collectorsApi.list());
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
    setNow(Date.now());
  }, []);

  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), POLL_MS);
    return () => clearInterval(timer);
  }, [refresh]);

  const act = (work: () => Promise<unknown>) => async () => {
    try {
      await work();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
    await refresh();
  };
  const actions = {
    start: (name: string) => act(() => collectorsApi.start(name))(),
    stop: (name: string) => act(() => collectorsApi.stop(name))(),
    setToken: (name: string, token: string) => act(() => collectorsApi.setToken(name, token))(),
  };

  return (
    <div className="flex flex-col gap-3">
      <div className="flex items-baseline gap-3">
        <h1 className="text-lg font-semibold">Collectors</h1>
        <p className="text-[12px] text-desk-muted">Broker feeds: state, throughput, reconnects and per-instrument liveness. Configure them in MARKETDESK_CONFIG (docs/brokers.md).</p>
      </div>
      {error && (
        <p role="alert" className="rounded border border-down/40 bg-down/10 px-3 py-2 text-[13px] text-down">
          {error}
        </p>
      )}
      {collectors === null && !error && <p className="text-desk-muted">Loading…</p>}
      {collectors?.length === 0 && <p className="text-desk-muted">No collectors configured. Set MARKETDESK_CONFIG or POST /api/collectors.</p>}
      {collectors?.map((c) => <CollectorCard key={c.name} collector={c} actions={actions} now={now} />)}
    </div>
  );
}
