'use client';

import Link from 'next/link';
import { useMemo } from 'react';
import { formatPercent, toneClass } from '@/components/format';
import { findPredefinedWatchlist, SECTOR_WATCHLISTS } from '@/lib/market/watchlists';
import type { LiveRow } from './useLiveQuotes';

/** Sectors shown: NIFTY BANK plus the eight predefined sector lists; other stocks go to OTHER. */
const SECTORS = [findPredefinedWatchlist('BANKNIFTY')!, ...SECTOR_WATCHLISTS];
const SECTOR_LABEL: Record<string, string> = { BANKNIFTY: 'BANK' };

/** Tile colour for a % change vs the previous close: green up, red down, saturating at ±3%; grey when unknown. */
export function heatColour(changePct: number | null): string {
  if (changePct === null || !Number.isFinite(changePct)) return 'rgb(75 85 98 / 0.2)';
  const strength = Math.min(Math.abs(changePct) / 3, 1);
  const alpha = 0.12 + 0.68 * strength;
  return changePct > 0 ? `rgb(34 197 94 / ${alpha})` : changePct < 0 ? `rgb(244 63 94 / ${alpha})` : 'rgb(75 85 98 / 0.35)';
}

interface SectorGroup {
  name: string;
  turnover: number;
  /** Turnover-weighted % change of its stocks with a known previous close; null when none has one. */
  changePct: number | null;
  stocks: { row: LiveRow; turnover: number }[];
}

/** Group NSE equities by sector; sizes are turnover (LTP × day volume, rupees). */
export function groupBySector(rows: readonly LiveRow[]): SectorGroup[] {
  const groups = new Map<string, SectorGroup>();
  for (const row of rows) {
    if (row.exchange !== 'NSE') continue;
    const list = SECTORS.find((l) => l.symbols.includes(row.tradingsymbol));
    const name = list ? (SECTOR_LABEL[list.name] ?? list.name) : 'OTHER';
    let group = groups.get(name);
    if (!group) groups.set(name, (group = { name, turnover: 0, changePct: 0, stocks: [] }));
    const turnover = Math.max(row.ltp * row.volume, 1);
    group.stocks.push({ row, turnover });
    group.turnover += turnover;
  }
  for (const group of groups.values()) {
    const known = group.stocks.filter((s) => s.row.changePct !== null);
    const knownTurnover = known.reduce((sum, s) => sum + s.turnover, 0);
    group.changePct = known.length ? known.reduce((sum, s) => sum + s.row.changePct! * s.turnover, 0) / knownTurnover : null;
    group.stocks.sort((a, b) => b.turnover - a.turnover);
  }
  // Largest sectors first; the catch-all OTHER last.
  return [...groups.values()].sort((a, b) => Number(a.name === 'OTHER') - Number(b.name === 'OTHER') || b.turnover - a.turnover);
}

/**
 * Sector heat map: one block per sector sized by its share of turnover, one tile per stock sized
 * by its turnover within the sector, coloured by % change; a click opens the chart. Live: it
 * re-renders with the quote rows.
 */
export function SectorHeatMap({ rows }: { rows: readonly LiveRow[] }) {
  const groups = useMemo(() => groupBySector(rows), [rows]);
  const total = groups.reduce((sum, g) => sum + g.turnover, 0);
  if (groups.length === 0) return null;
  return (
    <section className="rounded-lg border border-desk-line bg-desk-panel p-3" data-testid="heatmap">
      <div className="mb-2 flex flex-wrap items-baseline justify-between gap-x-3">
        <h2 className="text-[11px] font-semibold uppercase tracking-widest text-desk-faint">Sector heat map</h2>
        <span className="text-[11px] text-desk-faint">size: turnover · colour: % change (±3% full)</span>
      </div>
      {/* A fixed height from sm up (blocks share it by turnover); on a phone, blocks at least half the width and as tall as their tiles. */}
      <div className="flex flex-wrap items-start gap-1 sm:h-64 sm:items-stretch">
        {groups.map((group) => {
          const share = group.turnover / total;
          return (
            <div
              key={group.name}
              data-testid="heatmap-sector"
              data-sector={group.name}
              className="flex min-w-[calc(50%-0.125rem)] flex-col overflow-hidden rounded border border-desk-line sm:min-w-24"
              style={{ flex: `${share} 1 ${Math.max(share * 100 - 1, 8)}%` }}
            >
              <div className="flex items-baseline justify-between bg-desk-raised px-1.5 py-0.5 text-[10px]">
                <span className="truncate font-semibold text-desk-text">{group.name}</span>
                <span className={toneClass(group.changePct)}>{formatPercent(group.changePct)}</span>
              </div>
              <div className="flex flex-1 flex-wrap">
                {group.stocks.map(({ row, turnover }) => (
                  <Link
                    key={row.symbol}
                    href={`/chart/${encodeURIComponent(row.symbol)}`}
                    title={`${row.tradingsymbol} ${formatPercent(row.changePct)}`}
                    data-testid="heatmap-tile"
                    data-symbol={row.symbol}
                    data-change-pct={row.changePct ?? ''}
                    className="flex min-h-9 min-w-16 flex-col items-center sm:min-h-0 sm:min-w-12 justify-center overflow-hidden border border-desk-bg/60 px-0.5 text-center leading-tight hover:brightness-125"
                    style={{ flex: `${turnover / group.turnover} 1 ${Math.max((turnover / group.turnover) * 100 - 2, 12)}%`, backgroundColor: heatColour(row.changePct) }}
                  >
                    <span className="max-w-full truncate text-[10px] font-semibold text-desk-text">{row.tradingsymbol}</span>
                    <span className="text-[9px] text-desk-text/80">{formatPercent(row.changePct)}</span>
                  </Link>
                ))}
              </div>
            </div>
          );
        })}
      </div>
    </section>
  );
}
