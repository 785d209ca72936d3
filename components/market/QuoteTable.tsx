'use client';

import Link from 'next/link';
import { useMemo, useState } from 'react';
import { changeDirection } from '@/lib/market/change';
import { formatChange, formatPercent, formatPrice, formatTickTime, formatVolume, toneClass } from '@/components/format';
import { useNow } from '@/components/useNow';
import { groupRank } from './types';
import type { LiveRow } from './useLiveQuotes';

type SortKey = 'default' | 'symbol' | 'ltp' | 'changePct' | 'volume';

const GROUP_LABEL = ['Indices', 'Equity', 'Derivatives'];

function compare(key: SortKey, a: LiveRow, b: LiveRow): number {
  switch (key) {
    case 'symbol':
      return a.tradingsymbol.localeCompare(b.tradingsymbol);
    case 'ltp':
      return a.ltp - b.ltp;
    case 'changePct':
      // Unknown changes (no previous close) sort below every known one.
      return (a.changePct ?? -Infinity) - (b.changePct ?? -Infinity) || 0;
    case 'volume':
      return a.volume - b.volume;
    default:
      return (
        groupRank(a.exchange, a.tradingsymbol) - groupRank(b.exchange, b.tradingsymbol) ||
        a.tradingsymbol.localeCompare(b.tradingsymbol)
      );
  }
}

/** Cycle a column: first direction (numbers high→low, names A→Z), reversed, back to grouped. */
function nextSort(current: { key: SortKey; desc: boolean }, key: SortKey): { key: SortKey; desc: boolean } {
  const firstDesc = key !== 'symbol';
  if (current.key !== key) return { key, desc: firstDesc };
  if (current.desc === firstDesc) return { key, desc: !firstDesc };
  return { key: 'default', desc: false };
}

/** Live quote table; click a header to sort (again to reverse), each row opens the chart. */
export function QuoteTable({ rows }: { rows: LiveRow[] }) {
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: 'default', desc: false });
  const now = useNow(30_000);
  const sorted = useMemo(
    () => [...rows].sort((a, b) => (sort.desc ? -1 : 1) * compare(sort.key, a, b)),
    [rows, sort],
  );

  const header = (key: SortKey, label: string, align: 'left' | 'right' = 'right') => {
    const active = sort.key === key;
    return (
      <th scope="col" className={`px-3 py-2 font-medium ${align === 'right' ? 'text-right' : 'text-left'}`}>
        <button
          type="button"
          onClick={() => setSort((current) => nextSort(current, key))}
          className={`inline-flex items-center gap-1 uppercase tracking-wide hover:text-desk-text ${
            active ? 'text-desk-text' : ''
          }`}
        >
          {label}
          <span className="w-2 text-[9px]">{active ? (sort.desc ? '▼' : '▲') : ''}</span>
        </button>
      </th>
    );
  };

  let previousGroup = -1;
  return (
    <div className="overflow-x-auto rounded-lg border border-desk-line bg-desk-panel">
      <table className="w-full border-collapse text-[13px]" data-testid="quotes-table">
        <thead className="border-b border-desk-line bg-desk-raised text-[11px] text-desk-muted">
          <tr>
            {header('symbol', 'Symbol', 'left')}
            {header('ltp', 'LTP')}
            <th scope="col" className="px-3 py-2 text-right font-medium uppercase tracking-wide">
              Chg
            </th>
            {header('changePct', '% Chg')}
            {header('volume', 'Volume')}
            <th scope="col" className="hidden px-3 py-2 text-right font-medium uppercase tracking-wide md:table-cell">
              Updated (IST)
            </th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((row) => {
            const group = groupRank(row.exchange, row.tradingsymbol);
            const showGroup = sort.key === 'default' && group !== previousGroup;
            previousGroup = group;
            const direction = changeDirection(row.change);
            const flash = row.seq ? (row.direction > 0 ? 'flash-up' : 'flash-down') : '';
            const href = `/chart/${encodeURIComponent(row.symbol)}`;
            return [
              showGroup ? (
                <tr key={`group-${group}`} className="bg-desk-bg/60">
                  <td colSpan={6} className="px-3 pb-1 pt-3 text-[10px] font-semibold uppercase tracking-widest text-desk-faint">
                    {GROUP_LABEL[group]}
                  </td>
                </tr>
              ) : null,
              <tr
                key={row.symbol}
                data-testid="quote-row"
                data-symbol={row.symbol}
                className="group border-t border-desk-line/60 transition-colors hover:bg-desk-hover"
              >
                <td className="px-3 py-1.5">
                  <Link href={href} className="flex min-w-0 items-center gap-2" data-testid="quote-link">
                    <span className="font-medium text-desk-text group-hover:text-accent">{row.tradingsymbol}</span>
                    <span className="rounded bg-desk-raised px-1 text-[10px] text-desk-muted">{row.exchange}</span>
                    {row.name && row.name !== row.tradingsymbol && (
                      <span className="hidden truncate text-xs text-desk-faint lg:inline">{row.name}</span>
                    )}
                  </Link>
                </td>
                <td className="px-3 py-1.5 text-right font-mono">
                  <span key={row.seq} data-testid="quote-ltp" className={`rounded px-1 ${flash}`}>
                    {formatPrice(row.ltp)}
                  </span>
                </td>
                <td className={`px-3 py-1.5 text-right font-mono ${toneClass(row.change)}`}>{formatChange(row.change)}</td>
                <td className="px-3 py-1.5 text-right font-mono">
                  <span
                    className={`inline-block min-w-16 rounded px-1.5 py-0.5 text-right ${toneClass(row.change)} ${
                      direction === 1 ? 'bg-up/10' : direction === -1 ? 'bg-down/10' : ''
                    }`}
                  >
                    {formatPercent(row.changePct)}
                  </span>
                </td>
                <td className="px-3 py-1.5 text-right font-mono text-desk-muted">{formatVolume(row.volume)}</td>
                <td className="hidden px-3 py-1.5 text-right font-mono text-xs text-desk-faint md:table-cell">
                  {formatTickTime(row.time, now)}
                </td>
              </tr>,
            ];
          })}
        </tbody>
      </table>
    </div>
  );
}
