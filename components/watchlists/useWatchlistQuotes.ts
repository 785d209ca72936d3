'use client';

import { useEffect, useRef, useState } from 'react';
import { subscribeRealtime } from '@/lib/realtime/client';
import { knownPreviousClose, priceChange } from '@/lib/market/change';
import { istDayStart } from '@/lib/market/session';
import type { Candle, Tick } from '@/lib/market/tick';
import type { WatchlistItemJson } from './types';

/** A live watchlist row: prices rupees, `time` epoch ms (exchange time of the last tick). */
export interface WatchRow {
  symbol: string;
  exchange: string;
  tradingsymbol: string;
  name: string | null;
  ltp: number | null;
  /**
   * Previous session close, rupees (lib/market/change.ts): the API's, then the ticks' prevClose;
   * null when unknown (change shown as —, never computed from another price).
   */
  prevClose: number | null;
  change: number | null;
  changePct: number | null;
  volume: number;
  high: number | null;
  low: number | null;
  time: number;
  /** Direction of the last LTP move and a counter bumped on each move (restarts the flash). */
  direction: 1 | -1 | 0;
  seq: number;
}

function withChange(row: WatchRow): WatchRow {
  return { ...row, ...priceChange(row.ltp, row.prevClose) };
}

function fromItem(item: WatchlistItemJson, previous?: WatchRow): WatchRow {
  if (previous) return { ...previous, name: item.name };
  const q = item.quote;
  return withChange({
    symbol: item.symbol,
    exchange: item.exchange,
    tradingsymbol: item.tradingsymbol,
    name: item.name,
    ltp: q?.ltp ?? null,
    prevClose: q?.prev_close ?? null,
    change: null,
    changePct: null,
    volume: q?.volume ?? 0,
    high: q?.day_high ?? null,
    low: q?.day_low ?? null,
    time: q ? Date.parse(q.time) : 0,
    direction: 0,
    seq: 0,
  });
}

function applyTick(row: WatchRow, tick: Tick): WatchRow {
  if (tick.exchangeTime < row.time) return row;
  const moved = row.ltp !== null && tick.ltp !== row.ltp;
  // A tick of a later IST day makes the API's previous close stale: only the tick's counts then.
  const sameDay = row.time > 0 && istDayStart(tick.exchangeTime) === istDayStart(row.time);
  return withChange({
    ...row,
    ltp: tick.ltp,
    prevClose: knownPreviousClose(tick.prevClose) ?? (sameDay || row.time === 0 ? row.prevClose : null),
    volume: tick.volume || row.volume,
    high: Math.max(row.high ?? tick.ltp, tick.ltp),
    low: Math.min(row.low ?? tick.ltp, tick.ltp),
    time: tick.exchangeTime,
    direction: moved ? (tick.ltp > row.ltp! ? 1 : -1) : row.direction,
    seq: moved ? row.seq + 1 : row.seq,
  });
}

/**
 * Live rows for a watchlist's items, in item order: starts from the API's quotes, then applies
 * Socket.IO ticks (LTP, volume) and the open 1d candle (day high/low) of the listed symbols.
 */
export function useWatchlistQuotes(items: WatchlistItemJson[]): WatchRow[] {
  const [rows, setRows] = useState<Map<string, WatchRow>>(() => new Map(items.map((item) => [item.symbol, fromItem(item)])));
  const itemsRef = useRef(items);
  itemsRef.current = items;
  const symbolsKey = items.map((item) => item.symbol).join('\n');

  useEffect(() => {
    setRows((previous) => new Map(itemsRef.current.map((item) => [item.symbol, fromItem(item, previous.get(item.symbol))])));
    if (!symbolsKey) return;
    const update = (symbol: string, change: (row: WatchRow) => WatchRow) =>
      setRows((previous) => {
        const row = previous.get(symbol);
        if (!row) return previous;
        const next = change(row);
        if (next === row) return previous;
        return new Map(previous).set(symbol, next);
      });
    return subscribeRealtime({
      symbols: symbolsKey.split('\n'),
      timeframes: ['1d'],
      onTicks: (ticks: Tick[]) => {
        for (const tick of ticks) update(`${tick.exchange}:${tick.tradingsymbol}`, (row) => applyTick(row, tick));
      },
      onCandle: (candle: Candle) =>
        update(candle.symbol, (row) => ({
          ...row,
          high: Math.max(row.high ?? candle.high, candle.high),
          low: Math.min(row.low ?? candle.low, candle.low),
        })),
    });
  }, [symbolsKey]);

  return items.map((item) => rows.get(item.symbol) ?? fromItem(item));
}
