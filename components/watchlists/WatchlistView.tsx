'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useState, type KeyboardEvent } from 'react';
import { formatChange, formatPercent, formatPrice, formatTickTime, formatVolume, plural, toneClass } from '@/components/format';
import { useNow } from '@/components/useNow';
import { InstrumentPicker } from './InstrumentPicker';
import { sendJson, watchlistUrl, type WatchlistViewJson } from './types';
import { useWatchlistQuotes, type WatchRow } from './useWatchlistQuotes';

const chartHref = (symbol: string) => `/chart/${encodeURIComponent(symbol)}`;
const DYNAMIC_REFRESH_MS = 5000;

/**
 * One watchlist: live table (LTP with a flash on change, change, % change, volume, day
 * high/low), a click or Enter opens the chart. User lists: add through the instrument search,
 * remove (× or Delete), reorder (buttons or Alt+↑/↓), rename and delete. Dynamic lists
 * (TOP_GAINERS …) refresh their membership every 5 s.
 */
export function WatchlistView({ initial }: { initial: WatchlistViewJson }) {
  const router = useRouter();
  const [view, setView] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [renaming, setRenaming] = useState<string | null>(null);
  const rows = useWatchlistQuotes(view.items);
  const now = useNow(30_000);
  const dynamic = view.category === 'movers';

  const reload = useCallback(async (name = view.name) => {
    const response = await fetch(watchlistUrl(name), { cache: 'no-store' });
    if (response.ok) setView((await response.json()) as WatchlistViewJson);
  }, [view.name]);

  useEffect(() => {
    if (!dynamic) return;
    const timer = setInterval(() => void reload(), DYNAMIC_REFRESH_MS);
    return () => clearInterval(timer);
  }, [dynamic, reload]);

  const act = async (action: () => Promise<unknown>, after?: () => Promise<void> | void) => {
    setError(null);
    try {
      await action();
      await (after ?? reload)();
    } catch (failure) {
      setError((failure as Error).message);
    }
  };

  const add = (symbol: string) => act(() => sendJson('POST', `${watchlistUrl(view.name)}/items`, { symbols: [symbol] }));
  const remove = (symbol: string) => act(() => sendJson('DELETE', `${watchlistUrl(view.name)}/items`, { symbols: [symbol] }));
  const move = (index: number, delta: number) => {
    const target = index + delta;
    if (target < 0 || target >= view.items.length) return;
    const order = view.items.map((item) => item.symbol);
    [order[index], order[target]] = [order[target], order[index]];
    // Optimistic: reorder at once, the server confirms.
    setView((current) => ({ ...current, items: order.map((s) => current.items.find((i) => i.symbol === s)!) }));
    void act(() => sendJson('PATCH', watchlistUrl(view.name), { order }));
  };
  const rename = async (name: string) => {
    await act(
      () => sendJson<{ watchlist: { name: string } }>('PATCH', watchlistUrl(view.name), { name }),
      () => {
        setRenaming(null);
        router.replace(`/watchlists/${encodeURIComponent(name.trim())}`);
      },
    );
  };
  const destroy = () => {
    if (!window.confirm(`Delete the watchlist "${view.name}"?`)) return;
    void act(() => sendJson('DELETE', watchlistUrl(view.name)), () => router.push('/watchlists'));
  };

  const onRowKey = (event: KeyboardEvent<HTMLTableRowElement>, row: WatchRow, index: number) => {
    if (event.key === 'Enter') router.push(chartHref(row.symbol));
    else if (view.editable && event.altKey && event.key === 'ArrowUp') {
      event.preventDefault();
      move(index, -1);
    } else if (view.editable && event.altKey && event.key === 'ArrowDown') {
      event.preventDefault();
      move(index, 1);
    } else if (view.editable && (event.key === 'Delete' || event.key === 'Backspace')) void remove(row.symbol);
  };

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <div className="text-xs text-desk-muted">
            <Link href="/watchlists" className="hover:text-desk-text">Watchlists</Link> /
          </div>
          {renaming === null ? (
            <h1 className="text-lg font-semibold tracking-tight" data-testid="watchlist-name">{view.name}</h1>
          ) : (
            <form
              onSubmit={(event) => {
                event.preventDefault();
                void rename(renaming);
              }}
              className="flex gap-2"
            >
              <input
                autoFocus
                data-testid="watchlist-rename-input"
                value={renaming}
                onChange={(event) => setRenaming(event.target.value)}
                className="h-8 min-w-0 rounded-md border border-desk-line bg-desk-bg px-2 text-[13px]"
              />
              <button type="submit" className="rounded bg-accent px-2.5 text-[13px] font-medium text-black">Save</button>
              <button type="button" onClick={() => setRenaming(null)} className="text-desk-muted hover:text-desk-text">Cancel</button>
            </form>
          )}
          <p className="text-xs text-desk-muted">
            {view.description ?? 'Your list'} · {plural(view.items.length, 'instrument')} · prices in ₹ · IST
            {view.missing.length > 0 && <> · {plural(view.missing.length, 'constituent')} not in the instruments master</>}
          </p>
        </div>
        {view.editable && (
          <div className="flex w-full flex-wrap items-center gap-3 sm:w-auto">
            <InstrumentPicker onPick={(symbol) => void add(symbol)} exclude={view.items.map((i) => i.symbol)} />
            <button type="button" onClick={() => setRenaming(view.name)} className="rounded border border-desk-line px-2.5 py-1 text-[13px] text-desk-muted hover:text-desk-text">
              Rename
            </button>
            <button type="button" data-testid="watchlist-delete" onClick={destroy} className="rounded border border-down/40 px-2.5 py-1 text-[13px] text-down hover:bg-down/10">
              Delete
            </button>
          </div>
        )}
      </div>

      {error && <div role="alert" className="rounded-md border border-down/40 bg-down/10 px-3 py-2 text-xs text-down">{error}</div>}

      {rows.length === 0 ? (
        <div data-testid="watchlist-empty" className="rounded-lg border border-dashed border-desk-line bg-desk-panel py-16 text-center text-desk-muted">
          {view.editable ? 'Empty list: add instruments with the search box above.' : dynamic ? 'Waiting for the scanner…' : 'No instruments of this list are known yet.'}
        </div>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-desk-line bg-desk-panel">
          <table className="w-full border-collapse text-[13px]" data-testid="watchlist-table">
            <thead className="border-b border-desk-line bg-desk-raised text-[11px] uppercase tracking-wide text-desk-muted">
              <tr>
                <th className="px-3 py-2 text-left font-medium">Symbol</th>
                <th className="px-3 py-2 text-right font-medium">LTP</th>
                <th className="px-3 py-2 text-right font-medium">Chg</th>
                <th className="px-3 py-2 text-right font-medium">% Chg</th>
                <th className="px-3 py-2 text-right font-medium">Volume</th>
                <th className="px-3 py-2 text-right font-medium">High</th>
                <th className="px-3 py-2 text-right font-medium">Low</th>
                <th className="hidden px-3 py-2 text-right font-medium md:table-cell">Updated</th>
                {view.editable && <th className="w-24 px-3 py-2" aria-label="Actions" />}
              </tr>
            </thead>
            <tbody>
              {rows.map((row, index) => (
                <tr
                  key={row.symbol}
                  tabIndex={0}
                  data-testid="watchlist-row"
                  data-symbol={row.symbol}
                  onClick={(event) => {
                    if (!(event.target as HTMLElement).closest('button, a')) router.push(chartHref(row.symbol));
                  }}
                  onKeyDown={(event) => onRowKey(event, row, index)}
                  className="group cursor-pointer border-t border-desk-line/60 hover:bg-desk-hover focus:bg-desk-hover focus:outline-none"
                >
                  <td className="px-3 py-1.5">
                    <Link href={chartHref(row.symbol)} className="flex items-center gap-2">
                      <span className="font-medium group-hover:text-accent">{row.tradingsymbol}</span>
                      <span className="rounded bg-desk-raised px-1 text-[10px] text-desk-muted">{row.exchange}</span>
                      {row.name && row.name !== row.tradingsymbol && <span className="hidden truncate text-xs text-desk-faint lg:inline">{row.name}</span>}
                    </Link>
                  </td>
                  <td className="px-3 py-1.5 text-right font-mono">
                    <span key={row.seq} data-testid="watchlist-ltp" className={`rounded px-1 ${row.seq ? (row.direction > 0 ? 'flash-up' : 'flash-down') : ''}`}>
                      {formatPrice(row.ltp)}
                    </span>
                  </td>
                  <td className={`px-3 py-1.5 text-right font-mono ${toneClass(row.change)}`}>{formatChange(row.change)}</td>
                  <td className={`px-3 py-1.5 text-right font-mono ${toneClass(row.change)}`}>{formatPercent(row.changePct)}</td>
                  <td className="px-3 py-1.5 text-right font-mono text-desk-muted">{formatVolume(row.volume)}</td>
                  <td className="px-3 py-1.5 text-right font-mono text-desk-muted">{formatPrice(row.high)}</td>
                  <td className="px-3 py-1.5 text-right font-mono text-desk-muted">{formatPrice(row.low)}</td>
                  <td className="hidden px-3 py-1.5 text-right font-mono text-xs text-desk-faint md:table-cell">{formatTickTime(row.time, now)}</td>
                  {view.editable && (
                    <td className="px-3 py-1.5 text-right text-desk-muted">
                      <button type="button" aria-label={`Move ${row.tradingsymbol} up`} data-testid="watchlist-up" onClick={() => move(index, -1)} className="px-1 hover:text-desk-text disabled:opacity-30" disabled={index === 0}>↑</button>
                      <button type="button" aria-label={`Move ${row.tradingsymbol} down`} data-testid="watchlist-down" onClick={() => move(index, 1)} className="px-1 hover:text-desk-text disabled:opacity-30" disabled={index === rows.length - 1}>↓</button>
                      <button type="button" aria-label={`Remove ${row.tradingsymbol}`} data-testid="watchlist-remove" onClick={() => void remove(row.symbol)} className="px-1 hover:text-down">×</button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {view.source && <p className="text-[11px] text-desk-faint">Source: {view.source}</p>}
      {view.editable && <p className="text-[11px] text-desk-faint">Keys: Enter opens the chart · Alt+↑/↓ moves a row · Delete removes it</p>}
    </div>
  );
}
