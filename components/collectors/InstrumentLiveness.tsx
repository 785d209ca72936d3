'use client';

import { useEffect, useState } from 'react';
import { formatTickTime } from '@/components/format';
import { useNow } from '@/components/useNow';
import { formatIst } from '@/lib/market/session';
import type { CollectorDetail, InstrumentStatus } from '@/lib/contracts/collector';
import { collectorsApi } from './api';

const ORDER: Record<InstrumentStatus['status'], number> = { never_ticked: 0, waiting: 1, live: 2 };
const MAX_ROWS = 300;

/** Per-instrument liveness of one collector: never-ticked first, then oldest last tick. Refreshes every 3 s. */
export function InstrumentLiveness({ name }: { name: string }) {
  const [detail, setDetail] = useState<CollectorDetail | null>(null);
  const now = useNow(30_000);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let alive = true;
    const load = () =>
      collectorsApi
        .detail(name)
        .then((d) => alive && (setDetail(d), setError(null)))
        .catch((e: Error) => alive && setError(e.message));
    void load();
    const timer = setInterval(load, 3000);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, [name]);

  if (error) return <p className="px-3 py-2 text-down">{error}</p>;
  if (!detail) return <p className="px-3 py-2 text-desk-muted">Loading instruments…</p>;
  const rows = [...detail.instrumentStatus].sort(
    (a, b) => ORDER[a.status] - ORDER[b.status] || (a.lastTickAt ?? '').localeCompare(b.lastTickAt ?? ''),
  );
  return (
    <div className="max-h-80 overflow-auto border-t border-desk-line" data-testid="liveness-table">
      <table className="w-full text-[12px]">
        <thead className="sticky top-0 bg-desk-raised text-[11px] uppercase tracking-wide text-desk-muted">
          <tr>
            <th className="px-3 py-1.5 text-left font-medium">Symbol</th>
            <th className="px-3 py-1.5 text-left font-medium">Mode</th>
            <th className="px-3 py-1.5 text-right font-medium">Conn</th>
            <th className="px-3 py-1.5 text-left font-medium">Status</th>
            <th className="px-3 py-1.5 text-right font-medium">Last tick (IST)</th>
            <th className="px-3 py-1.5 text-right font-medium">Exchange time (IST)</th>
          </tr>
        </thead>
        <tbody>
          {rows.slice(0, MAX_ROWS).map((row) => (
            <tr key={row.instrumentToken} className="border-t border-desk-line/60">
              <td className="px-3 py-1 font-medium">{row.symbol}</td>
              <td className="px-3 py-1 text-desk-muted">{row.mode}</td>
              <td className="px-3 py-1 text-right text-desk-muted">{row.connection}</td>
              <td className={`px-3 py-1 ${row.status === 'never_ticked' ? 'text-down' : row.status === 'live' ? 'text-up' : 'text-desk-muted'}`}>
                {row.status.replace('_', ' ')}
              </td>
              <td className="px-3 py-1 text-right font-mono">{row.lastTickAt ? formatTickTime(Date.parse(row.lastTickAt), now) : '—'}</td>
              <td className="px-3 py-1 text-right font-mono">{row.lastExchangeTime ? formatIst(Date.parse(row.lastExchangeTime)) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length > MAX_ROWS && <p className="px-3 py-1.5 text-desk-muted">… and {rows.length - MAX_ROWS} more</p>}
    </div>
  );
}
