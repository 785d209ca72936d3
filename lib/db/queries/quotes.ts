/**
 * Latest quote per instrument, from stored ticks (the home page's initial rows before the
 * live Socket.IO stream takes over).
 */
import type { Exchange } from '@/lib/market/tick';
import type { Database } from '../client';

export interface LatestQuote {
  instrumentToken: number;
  exchange: Exchange;
  tradingsymbol: string;
  name: string | null;
  /** Exchange time of the last tick, epoch ms UTC. */
  time: number;
  /** Last traded price, rupees. */
  ltp: number;
  /** Cumulative day volume at the last tick. */
  volume: number;
  /** First traded price of the IST day among stored ticks, rupees (fallback for change). */
  dayOpen: number;
}

/**
 * Last tick of every instrument that ticked within `lookbackHours` (default 96, so a weekend
 * still shows Friday's quotes) of now or of the newest stored candle (so a replayed past
 * session shows its quotes), ordered by exchange then tradingsymbol.
 */
export async function getLatestQuotes(db: Database, lookbackHours = 96): Promise<LatestQuote[]> {
  const rows = await db.query<{
    instrument_token: string | number;
    exchange: Exchange;
    tradingsymbol: string;
    name: string | null;
    time: Date | string;
    ltp: number;
    volume: string | number | null;
    day_open: number;
  }>(
    `WITH latest AS (
       SELECT DISTINCT ON (instrument_token) instrument_token, time, ltp, volume
       FROM ticks
       WHERE time > now() - make_interval(hours => $1)
          OR time > (SELECT max(bucket) FROM candles_1m) - make_interval(hours => $1)
       ORDER BY instrument_token, time DESC
     )
     SELECT l.instrument_token, i.exchange, i.tradingsymbol, i.name, l.time, l.ltp, l.volume,
            COALESCE((SELECT t.ltp FROM ticks t
                      WHERE t.instrument_token = l.instrument_token
                        AND t.time >= date_trunc('day', l.time AT TIME ZONE 'Asia/Kolkata') AT TIME ZONE 'Asia/Kolkata'
                      ORDER BY t.time ASC LIMIT 1), l.ltp) AS day_open
     FROM latest l JOIN instruments i USING (instrument_token)
     ORDER BY i.exchange, i.tradingsymbol`,
    [lookbackHours],
  );
  return rows.map((row) => ({
    instrumentToken: Number(row.instrument_token),
    exchange: row.exchange,
    tradingsymbol: row.tradingsymbol,
    name: row.name,
    time: new Date(row.time).getTime(),
    ltp: Number(row.ltp),
    volume: Number(row.volume ?? 0),
    dayOpen: Number(row.day_open),
  }));
}
