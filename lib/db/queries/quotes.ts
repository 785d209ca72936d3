/**
 * Latest quote per instrument, from stored ticks: the home page's first paint (app/page.tsx,
 * GET /api/quotes), the chart header's first paint and the watchlist fallback, before the live
 * Socket.IO stream takes over.
 *
 * Change is against the previous session's close (lib/market/change.ts): the close of the
 * instrument's last daily candle before the IST day of its last tick (getPreviousCloses,
 * lib/db/queries/previous-close.ts). Stored ticks do not keep the feed's own prevClose, so the
 * stored daily candles are the source here; null when none is known.
 */
import { priceChange } from '@/lib/market/change';
import { istDayStart } from '@/lib/market/session';
import type { Quote } from '@/lib/contracts/quote';
import type { Exchange } from '@/lib/market/tick';
import type { Database } from '../client';
import { getPreviousCloses } from './previous-close';

/** The latest quote of an instrument (lib/contracts/quote.ts). */
export type LatestQuote = Quote;

export interface LatestQuotesOptions {
  /**
   * Instruments that ticked within this many hours (default 96, so a weekend still shows
   * Friday's quotes) of now or of the newest stored 1m candle (so a replayed past session shows
   * its quotes).
   */
  lookbackHours?: number;
  /** Only these instruments (default: all). */
  instrumentTokens?: readonly number[];
}

/**
 * Last tick of every instrument that ticked within the lookback (see options), with its
 * previous close and change, ordered by exchange then tradingsymbol.
 * @throws the database error when a query fails.
 */
export async function getLatestQuotes(db: Database, options: LatestQuotesOptions = {}): Promise<LatestQuote[]> {
  const lookbackHours = options.lookbackHours ?? 96;
  const tokens = options.instrumentTokens;
  if (tokens && tokens.length === 0) return [];
  const rows = await db.query<{
    instrument_token: string | number;
    exchange: Exchange;
    tradingsymbol: string;
    name: string | null;
    time: Date | string;
    ltp: number;
    volume: string | number | null;
  }>(
    `WITH latest AS (
       SELECT DISTINCT ON (instrument_token) instrument_token, time, ltp, volume
       FROM ticks
       WHERE (time > now() - make_interval(hours => $1)
          OR time > (SELECT max(bucket) FROM candles_1m) - make_interval(hours => $1))
         ${tokens ? 'AND instrument_token = ANY($2::bigint[])' : ''}
       ORDER BY instrument_token, time DESC
     )
     SELECT l.instrument_token, i.exchange, i.tradingsymbol, i.name, l.time, l.ltp, l.volume
     FROM latest l JOIN instruments i USING (instrument_token)
     ORDER BY i.exchange, i.tradingsymbol`,
    tokens ? [lookbackHours, `{${tokens.map((t) => String(Math.trunc(t))).join(',')}}`] : [lookbackHours],
  );
  const quotes = rows.map((row) => ({
    instrumentToken: Number(row.instrument_token),
    exchange: row.exchange,
    tradingsymbol: row.tradingsymbol,
    name: row.name,
    time: new Date(row.time).getTime(),
    ltp: Number(row.ltp),
    volume: Number(row.volume ?? 0),
  }));
  // Previous closes per IST day of the last tick (usually one day, two around midnight).
  const byDay = new Map<number, number[]>();
  for (const quote of quotes) {
    const day = istDayStart(quote.time);
    byDay.set(day, [...(byDay.get(day) ?? []), quote.instrumentToken]);
  }
  const closes = new Map<string, number>();
  for (const [day, dayTokens] of byDay) {
    for (const [token, previous] of await getPreviousCloses(db, dayTokens, day)) closes.set(`${day}|${token}`, previous.close);
  }
  return quotes.map((quote) => {
    const prevClose = closes.get(`${istDayStart(quote.time)}|${quote.instrumentToken}`) ?? null;
    return { ...quote, prevClose, ...priceChange(quote.ltp, prevClose) };
  });
}
