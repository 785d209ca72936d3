'use client';

/**
 * A live 5-level bid/ask ladder beside the chart: price (rupees), quantity and orders per level,
 * best level first, with totals and a bar sized by quantity. First paint from
 * GET /api/intraday/orderbook (the newest stored depth), then every tick that carries depth
 * (`tick.depth`, full-mode feeds) replaces it. Renders nothing for an instrument without depth
 * (indices, LTP-only feeds, the simulator).
 *
 * Test ids: depth-ladder (data-updated = exchange time of the depth shown, epoch ms), depth-bid-<i>,
 * depth-ask-<i>.
 */
import { useEffect, useState } from 'react';
import { formatPrice } from '@/components/format';
import type { DepthLevel } from '@/lib/market/tick';

export interface DepthSnapshot {
  bids: DepthLevel[];
  asks: DepthLevel[];
  /** Exchange time, epoch ms UTC. */
  time: number;
}

const qty = new Intl.NumberFormat('en-IN');

export function DepthLadder({ symbol, live }: { symbol: string; live: DepthSnapshot | null }) {
  const [stored, setStored] = useState<DepthSnapshot | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    setStored(null);
    fetch(`/api/intraday/orderbook?symbol=${encodeURIComponent(symbol)}`, { signal: controller.signal, cache: 'no-store' })
      .then((r) => (r.ok ? r.json() : null))
      .then((body: { orderBook?: { time: string; bids: DepthLevel[]; asks: DepthLevel[] } | null } | null) => {
        const book = body?.orderBook;
        if (book && (book.bids.length || book.asks.length)) setStored({ bids: book.bids, asks: book.asks, time: Date.parse(book.time) });
      })
      .catch(() => undefined);
    return () => controller.abort();
  }, [symbol]);

  const book = live && (!stored || live.time >= stored.time) ? live : stored;
  if (!book) return null;
  const bids = book.bids.slice(0, 5);
  const asks = book.asks.slice(0, 5);
  const max = Math.max(1, ...bids.map((l) => l.quantity), ...asks.map((l) => l.quantity));
  const total = (levels: DepthLevel[]) => levels.reduce((sum, l) => sum + l.quantity, 0);
  const row = (side: 'bid' | 'ask', level: DepthLevel | undefined, i: number) => (
    <tr key={`${side}-${i}`} data-testid={`depth-${side}-${i}`} className="relative">
      <td className={`relative py-0.5 pl-1 font-mono ${side === 'bid' ? 'text-up' : 'text-down'}`}>
        <span
          aria-hidden
          className={`absolute inset-y-0 left-0 ${side === 'bid' ? 'bg-up/10' : 'bg-down/10'}`}
          style={{ width: `${((level?.quantity ?? 0) / max) * 100}%` }}
        />
        <span className="relative">{level ? formatPrice(level.price) : '—'}</span>
      </td>
      <td className="py-0.5 text-right font-mono text-desk-text">{level ? qty.format(level.quantity) : ''}</td>
      <td className="py-0.5 pr-1 text-right font-mono text-desk-faint">{level ? qty.format(level.orders) : ''}</td>
    </tr>
  );
  return (
    <aside data-testid="depth-ladder" data-updated={book.time} className="hidden w-56 shrink-0 rounded-md border md:block border-desk-line bg-desk-panel p-2 text-[11px]">
      <table className="w-full border-collapse">
        <thead>
          <tr className="text-[10px] uppercase text-desk-faint">
            <th className="pl-1 text-left font-normal">Bid</th>
            <th className="text-right font-normal">Qty</th>
            <th className="pr-1 text-right font-normal">Orders</th>
          </tr>
        </thead>
        <tbody>
          {Array.from({ length: 5 }, (_, i) => row('bid', bids[i], i))}
          <tr className="border-t border-desk-line text-desk-muted">
            <td className="pl-1">Total</td>
            <td className="text-right font-mono">{qty.format(total(bids))}</td>
            <td />
          </tr>
        </tbody>
      </table>
      <table className="mt-2 w-full border-collapse">
        <thead>
          <tr className="text-[10px] uppercase text-desk-faint">
            <th className="pl-1 text-left font-normal">Ask</th>
            <th className="text-right font-normal">Qty</th>
            <th className="pr-1 text-right font-normal">Orders</th>
          </tr>
        </thead>
        <tbody>
          {Array.from({ length: 5 }, (_, i) => row('ask', asks[i], i))}
          <tr className="border-t border-desk-line text-desk-muted">
            <td className="pl-1">Total</td>
            <td className="text-right font-mono">{qty.format(total(asks))}</td>
            <td />
          </tr>
        </tbody>
      </table>
    </aside>
  );
}
