'use client';

import Link from 'next/link';
import { useEffect, useMemo, useRef, useState } from 'react';
import { formatCompactVolume, formatPercent, formatPrice, plural, toneClass } from '@/components/format';
import { PRESET_LABELS, SCANNER_PRESETS, type ScannerPreset, type ScannerResult, type ScannerRow } from '@/lib/market/scanner';
import { formatIst } from '@/lib/market/session';
import { TIMEFRAMES, type Timeframe } from '@/lib/market/timeframes';

const POLL_MS = 2000;

type SortKey = 'rank' | 'symbol' | 'ltp' | 'changePct' | 'dayChangePct' | 'volumeRatio' | 'rsi' | 'macd' | 'vwapDistancePct' | 'score';

const COLUMNS: { key: SortKey; label: string; title?: string }[] = [
  { key: 'rank', label: '#' },
  { key: 'symbol', label: 'Symbol' },
  { key: 'ltp', label: 'LTP' },
  { key: 'changePct', label: 'Chg %', title: 'vs the previous candle of the timeframe (1d: previous close)' },
  { key: 'dayChangePct', label: 'Day %' },
  { key: 'volumeRatio', label: 'Vol ×', title: 'volume vs the 20-session average for the same time of day' },
  { key: 'rsi', label: 'RSI' },
  { key: 'macd', label: 'MACD h', title: 'MACD histogram (12,26,9)' },
  { key: 'vwapDistancePct', label: 'VWAP %' },
  { key: 'score', label: 'Score' },
];

function sortValue(row: ScannerRow, key: SortKey, rank: number): number | string {
  switch (key) {
    case 'rank':
      return rank;
    case 'symbol':
      return row.tradingsymbol;
    case 'macd':
      return row.macd?.histogram ?? Number.NEGATIVE_INFINITY;
    default:
      return (row[key] as number | null) ?? Number.NEGATIVE_INFINITY;
  }
}

/**
 * The scanner page: preset tabs, timeframe, exchange and text filters, a sortable table of the
 * preset's ranked rows, refreshed every 2 s from GET /api/scanner.
 */
export function ScannerBoard({ initialPreset, initialTimeframe }: { initialPreset: ScannerPreset; initialTimeframe: Timeframe }) {
  const [preset, setPreset] = useState<ScannerPreset>(initialPreset);
  const [timeframe, setTimeframe] = useState<Timeframe>(initialTimeframe);
  const [exchange, setExchange] = useState('');
  const [filter, setFilter] = useState('');
  const [result, setResult] = useState<ScannerResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: 'rank', desc: false });
  const previous = useRef(new Map<string, number>());
  const [flashes, setFlashes] = useState(new Map<string, { dir: number; seq: number }>());

  useEffect(() => {
    let stopped = false;
    setResult(null); // never show one preset's rows under another's tab
    const poll = async () => {
      const params = new URLSearchParams({ preset, timeframe, limit: '200' });
      if (exchange) params.set('exchange', exchange);
      try {
        const response = await fetch(`/api/scanner?${params}`, { cache: 'no-store' });
        const body = (await response.json()) as ScannerResult & { error?: { message: string } };
        if (stopped) return;
        if (!response.ok) {
          setError(body.error?.message ?? `HTTP ${response.status}`);
          return;
        }
        setError(null);
        setFlashes((current) => {
          const next = new Map(current);
          for (const row of body.rows) {
            const before = previous.current.get(row.symbol);
            if (before !== undefined && before !== row.ltp) {
              next.set(row.symbol, { dir: row.ltp > before ? 1 : -1, seq: (current.get(row.symbol)?.seq ?? 0) + 1 });
            }
            previous.current.set(row.symbol, row.ltp);
          }
          return next;
        });
        setResult(body);
      } catch (failure) {
        if (!stopped) setError((failure as Error).message);
      }
    };
    void poll();
    const timer = setInterval(poll, POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [preset, timeframe, exchange]);

  const rows = useMemo(() => {
    const ranked = (result?.rows ?? []).map((row, i) => ({ row, rank: i + 1 }));
    const q = filter.trim().toUpperCase();
    const kept = q ? ranked.filter(({ row }) => row.symbol.includes(q)) : ranked;
    const dir = sort.desc ? -1 : 1;
    return [...kept].sort((a, b) => {
      const x = sortValue(a.row, sort.key, a.rank);
      const y = sortValue(b.row, sort.key, b.rank);
      return dir * (typeof x === 'string' ? x.localeCompare(y as string) : (x as number) - (y as number));
    });
  }, [result, filter, sort]);

  const header = (column: (typeof COLUMNS)[number]) => {
    const active = sort.key === column.key;
    return (
      <th key={column.key} scope="col" title={column.title} aria-sort={active ? (sort.desc ? 'descending' : 'ascending') : undefined} className={`px-2 py-2 font-medium ${column.key === 'symbol' ? 'text-left' : 'text-right'}`}>
        <button
          type="button"
          data-testid={`scanner-sort-${column.key}`}
          onClick={() => setSort((s) => (s.key === column.key ? { key: column.key, desc: !s.desc } : { key: column.key, desc: column.key !== 'symbol' && column.key !== 'rank' }))}
          className={`uppercase tracking-wide hover:text-desk-text ${active ? 'text-desk-text' : ''}`}
        >
          {column.label}
          <span className="ml-0.5 inline-block w-2 text-[9px]">{active ? (sort.desc ? '▼' : '▲') : ''}</span>
        </button>
      </th>
    );
  };

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-lg font-semibold tracking-tight">Scanner</h1>
          <p className="text-xs text-desk-muted">
            {result ? `${plural(result.universe, 'instrument')} · updated ${formatIst(result.asOf).slice(11)} IST` : 'Loading…'} · refreshes every 2 s
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-2 text-[13px]">
          <input
            data-testid="scanner-filter"
            type="search"
            value={filter}
            onChange={(event) => setFilter(event.target.value)}
            placeholder="Filter symbol"
            className="h-8 w-40 rounded-md border border-desk-line bg-desk-bg px-2 placeholder:text-desk-faint focus:border-accent/60 focus:outline-none"
          />
          <select aria-label="Exchange" value={exchange} onChange={(event) => setExchange(event.target.value)} className="h-8 rounded-md border border-desk-line bg-desk-bg px-2">
            <option value="">All exchanges</option>
            {['NSE', 'BSE', 'NFO', 'MCX'].map((x) => <option key={x}>{x}</option>)}
          </select>
          <select aria-label="Timeframe" data-testid="scanner-timeframe" value={timeframe} onChange={(event) => setTimeframe(event.target.value as Timeframe)} className="h-8 rounded-md border border-desk-line bg-desk-bg px-2">
            {TIMEFRAMES.map((tf) => <option key={tf}>{tf}</option>)}
          </select>
        </div>
      </div>

      <div className="flex flex-wrap gap-1" role="tablist" aria-label="Presets">
        {SCANNER_PRESETS.map((p) => (
          <button
            key={p}
            type="button"
            role="tab"
            aria-selected={p === preset}
            data-testid={`scanner-preset-${p}`}
            onClick={() => {
              setPreset(p);
              setSort({ key: 'rank', desc: false }); // each preset opens in its own order
            }}
            className={`rounded px-2.5 py-1 text-[12px] font-medium ${p === preset ? 'bg-desk-raised text-desk-text' : 'text-desk-muted hover:text-desk-text'}`}
          >
            {PRESET_LABELS[p]}
          </button>
        ))}
      </div>

      {error && <div role="alert" className="rounded-md border border-down/40 bg-down/10 px-3 py-2 text-xs text-down">{error}</div>}

      <div className="overflow-x-auto rounded-lg border border-desk-line bg-desk-panel">
        <table className="w-full border-collapse text-[13px]" data-testid="scanner-table" data-preset={preset} data-timeframe={timeframe}>
          <thead className="border-b border-desk-line bg-desk-raised text-[11px] text-desk-muted">
            <tr>{COLUMNS.map(header)}<th className="px-2 py-2 text-left font-medium uppercase tracking-wide">Signals</th></tr>
          </thead>
          <tbody>
            {rows.length === 0 && (
              <tr>
                <td colSpan={COLUMNS.length + 1} className="px-3 py-10 text-center text-desk-muted" data-testid="scanner-empty">
                  {result ? 'No instrument matches this preset right now.' : 'Loading…'}
                </td>
              </tr>
            )}
            {rows.map(({ row, rank }) => {
              const flash = flashes.get(row.symbol);
              return (
                <tr key={row.symbol} data-testid="scanner-row" data-symbol={row.symbol} className="border-t border-desk-line/60 hover:bg-desk-hover">
                  <td className="px-2 py-1.5 text-right font-mono text-desk-faint">{rank}</td>
                  <td className="px-2 py-1.5">
                    <Link href={`/chart/${encodeURIComponent(row.symbol)}`} className="flex items-center gap-2 hover:text-accent">
                      <span className="font-medium">{row.tradingsymbol}</span>
                      <span className="rounded bg-desk-raised px-1 text-[10px] text-desk-muted">{row.exchange}</span>
                    </Link>
                  </td>
                  <td className="px-2 py-1.5 text-right font-mono">
                    <span key={flash?.seq ?? 0} className={`rounded px-1 ${flash ? (flash.dir > 0 ? 'flash-up' : 'flash-down') : ''}`}>{formatPrice(row.ltp)}</span>
                  </td>
                  <td className={`px-2 py-1.5 text-right font-mono ${toneClass(row.changePct)}`}>{formatPercent(row.changePct)}</td>
                  <td className={`px-2 py-1.5 text-right font-mono ${toneClass(row.dayChangePct)}`}>{formatPercent(row.dayChangePct)}</td>
                  <td className={`px-2 py-1.5 text-right font-mono ${(row.volumeRatio ?? 0) >= 2 ? 'text-accent' : 'text-desk-muted'}`}>{row.volumeRatio === null ? '—' : `${row.volumeRatio.toFixed(2)}×`}</td>
                  <td className={`px-2 py-1.5 text-right font-mono ${row.rsi !== null && row.rsi >= 70 ? 'text-up' : row.rsi !== null && row.rsi <= 30 ? 'text-down' : 'text-desk-muted'}`}>{row.rsi === null ? '—' : row.rsi.toFixed(1)}</td>
                  <td className={`px-2 py-1.5 text-right font-mono ${toneClass(row.macd?.histogram)}`}>{row.macd ? row.macd.histogram.toFixed(2) : '—'}</td>
                  <td className={`px-2 py-1.5 text-right font-mono ${toneClass(row.vwapDistancePct)}`}>{formatPercent(row.vwapDistancePct)}</td>
                  <td className="px-2 py-1.5 text-right font-mono">
                    <span className={`inline-block min-w-8 rounded px-1 ${row.bias === 'bullish' ? 'bg-up/15 text-up' : row.bias === 'bearish' ? 'bg-down/15 text-down' : 'text-desk-muted'}`}>{row.score}</span>
                  </td>
                  <td className="px-2 py-1.5 text-xs text-desk-muted">
                    <Signals row={row} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className="text-[11px] text-desk-faint">
        Vol × compares the current candle&apos;s volume (1d: the day so far) with the average of the previous 20 sessions at the same time of day.
        Score 0–100: momentum, volume, trend agreement, breakout and RSI (docs/desk.md). Volume {result ? formatCompactVolume(result.rows.reduce((a, r) => a + r.volume, 0)) : '—'} in view.
      </p>
    </div>
  );
}

function Signals({ row }: { row: ScannerRow }) {
  const tags: { text: string; tone: 'up' | 'down' | 'muted' }[] = [];
  if (row.breakout) tags.push({ text: row.breakout === 'up' ? '20-high break' : '20-low break', tone: row.breakout === 'up' ? 'up' : 'down' });
  if (row.macdCross) tags.push({ text: `MACD ${row.macdCross}`, tone: row.macdCross === 'bullish' ? 'up' : 'down' });
  if (row.emaCross) tags.push({ text: `EMA9/21 ${row.emaCross}`, tone: row.emaCross === 'bullish' ? 'up' : 'down' });
  if (row.smaCross) tags.push({ text: `SMA20/50 ${row.smaCross}`, tone: row.smaCross === 'bullish' ? 'up' : 'down' });
  if (row.gapPct !== null && Math.abs(row.gapPct) >= 1) tags.push({ text: `gap ${row.gapPct > 0 ? 'up' : 'down'} ${Math.abs(row.gapPct).toFixed(1)}%`, tone: row.gapPct > 0 ? 'up' : 'down' });
  if (row.percentB !== null && (row.percentB > 1 || row.percentB < 0)) tags.push({ text: row.percentB > 1 ? 'above BB' : 'below BB', tone: row.percentB > 1 ? 'up' : 'down' });
  return (
    <span className="flex flex-wrap gap-1">
      {tags.map((tag) => (
        <span key={tag.text} className={`rounded px-1 text-[10px] ${tag.tone === 'up' ? 'bg-up/10 text-up' : tag.tone === 'down' ? 'bg-down/10 text-down' : ''}`}>{tag.text}</span>
      ))}
    </span>
  );
}
