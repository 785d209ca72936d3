'use client';

import Link from 'next/link';
import { useMemo } from 'react';
import { changeDirection } from '@/lib/market/change';
import { formatChange, formatPercent, formatPrice, formatTickTime, toneClass } from '@/components/format';
import { useNow } from '@/components/useNow';
import { QuoteTable } from './QuoteTable';
import { SectorHeatMap } from './SectorHeatMap';
import { isIndexSymbol, type QuoteRow } from './types';
import { useLiveQuotes, type LiveRow } from './useLiveQuotes';

/**
 * The home page: index cards, market breadth and the live quote table. Change, breadth and the
 * heat map's colours are against the previous session's close from the first (server-rendered)
 * paint on; instruments without a known previous close show — and count in no breadth column.
 */
export function MarketBoard({ initialQuotes, loadError }: { initialQuotes: QuoteRow[]; loadError: string | null }) {
  const rowMap = useLiveQuotes(initialQuotes);
  const rows = useMemo(() => [...rowMap.values()], [rowMap]);
  const indices = rows.filter((row) => isIndexSymbol(row.exchange, row.tradingsymbol));
  const equities = rows.filter(
    (row) => (row.exchange === 'NSE' || row.exchange === 'BSE') && !isIndexSymbol(row.exchange, row.tradingsymbol),
  );
  // Breadth against the previous close (lib/market/change.ts); rows without one are not counted.
  const advances = equities.filter((row) => changeDirection(row.change) === 1).length;
  const declines = equities.filter((row) => changeDirection(row.change) === -1).length;
  const unchanged = equities.filter((row) => changeDirection(row.change) === 0).length;
  const unknown = equities.length - advances - declines - unchanged;
  const lastTick = rows.reduce((latest, row) => Math.max(latest, row.time), 0);
  const now = useNow(30_000);

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-lg font-semibold tracking-tight">Markets</h1>
          <p className="text-xs text-desk-muted">
            NSE cash and F&amp;O · prices in ₹ · times in IST
            {lastTick > 0 && (
              <>
                {' '}
                · <span data-testid="last-tick">last tick {formatTickTime(lastTick, now)}</span>
              </>
            )}
          </p>
        </div>
        {equities.length > 0 && (
          <div className="flex items-center gap-3 text-xs" data-testid="breadth">
            <span className="text-desk-muted">Breadth</span>
            <span className="text-up">▲ {advances}</span>
            <span className="text-down">▼ {declines}</span>
            <span className="text-desk-muted">= {unchanged}</span>
            {unknown > 0 && (
              <span className="text-desk-faint" title="No previous close known: change not shown">
                · {unknown} without prev close
              </span>
            )}
            <BreadthBar advances={advances} declines={declines} total={equities.length} />
          </div>
        )}
      </div>

      {loadError && (
        <div className="rounded-md border border-down/40 bg-down/10 px-3 py-2 text-xs text-down">{loadError}</div>
      )}

      {indices.length > 0 && (
        <div className="grid grid-cols-[repeat(auto-fill,minmax(15rem,1fr))] gap-3">
          {indices.map((row) => (
            <IndexCard key={row.symbol} row={row} />
          ))}
        </div>
      )}

      {equities.length > 0 && <SectorHeatMap rows={equities} />}

      {rows.length === 0 ? (
        <div
          data-testid="quotes-empty"
          className="flex flex-col items-center justify-center gap-2 rounded-lg border border-dashed border-desk-line bg-desk-panel py-20 text-desk-muted"
        >
          <span className="h-2.5 w-2.5 animate-pulse rounded-full bg-accent" aria-hidden="true" />
          <p className="text-sm">Waiting for the feed…</p>
          <p className="text-xs text-desk-faint">Quotes appear here as soon as the first ticks are stored.</p>
        </div>
      ) : (
        <QuoteTable rows={rows} />
      )}
    </div>
  );
}

function IndexCard({ row }: { row: LiveRow }) {
  return (
    <Link
      href={`/chart/${encodeURIComponent(row.symbol)}`}
      data-testid="index-card"
      data-symbol={row.symbol}
      className="group rounded-lg border border-desk-line bg-desk-panel px-4 py-3 transition-colors hover:border-desk-faint"
    >
      <div className="flex items-center justify-between text-xs text-desk-muted">
        <span className="font-medium uppercase tracking-wide">{row.tradingsymbol}</span>
        <span>{row.exchange}</span>
      </div>
      <div className="mt-1 flex items-baseline justify-between gap-3">
        <span
          key={row.seq}
          className={`rounded px-1 -mx-1 font-mono text-xl font-semibold ${
            row.seq ? (row.direction > 0 ? 'flash-up' : 'flash-down') : ''
          }`}
        >
          {formatPrice(row.ltp)}
        </span>
        <span className={`font-mono text-xs ${toneClass(row.change)}`} data-testid="index-change" title="vs previous close">
          {`${formatChange(row.change)} (${formatPercent(row.changePct)})`}
        </span>
      </div>
    </Link>
  );
}

function BreadthBar({ advances, declines, total }: { advances: number; declines: number; total: number }) {
  if (!total) return null;
  return (
    <div className="flex h-1.5 w-32 overflow-hidden rounded-full bg-desk-line" aria-hidden="true">
      <div className="bg-up" style={{ width: `${(advances / total) * 100}%` }} />
      <div className="ml-auto bg-down" style={{ width: `${(declines / total) * 100}%` }} />
    </div>
  );
}
