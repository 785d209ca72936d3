/**
 * Previous session close of instruments as of an IST day: the one SQL definition, used by the
 * home page quotes (lib/db/queries/quotes.ts), watchlist quotes, intraday stats
 * (lib/db/queries/intraday.ts), the scanner (worker/scanner) and the worker, which stamps
 * `prevClose` on broadcast ticks that lack it. The change definition that uses it:
 * lib/market/change.ts.
 *
 * Rule: the close of the instrument's last daily candle whose IST day is before day D (the IST
 * day containing `beforeMs`). For that day the broker's official day candle
 * (`candles_1d_official`, NSE's closing price) wins over the provisional roll-up of live 1m
 * candles (`candles_1d`); an older official candle never wins over a newer provisional one.
 * Only candles within `PREVIOUS_CLOSE_LOOKBACK_DAYS` before D are considered (a suspended
 * instrument's close from years ago is not a "previous close").
 *
 * A feed's own previous close (Kite `ohlc.close`, carried by ticks as `prevClose`) takes
 * precedence over this where a tick carries one; that choice belongs to the caller.
 */
import { DAY_MS, istDate, istDayStart } from '@/lib/market/session';
import type { Database } from '../client';

/** How far back (calendar days before day D) a daily candle still counts as the previous close. */
export const PREVIOUS_CLOSE_LOOKBACK_DAYS = 400;


/** The previous session close of one instrument. */
export interface PreviousClose {
  /** Close, rupees. */
  close: number;
  /** IST date (YYYY-MM-DD) of the daily candle it comes from (before day D). */
  date: string;
  /** 'official': candles_1d_official; 'provisional': the roll-up of stored 1m candles (candles_1d). */
  source: 'official' | 'provisional';
}

const tokenArray = (tokens: readonly number[]) => `{${tokens.map((t) => String(Math.trunc(t))).join(',')}}`;

/**
 * Previous session close of each instrument as of the IST day containing `beforeMs` (epoch ms
 * UTC; any instant of day D, e.g. a tick's exchange time). One statement for all tokens.
 *
 * @returns instrument token → PreviousClose; tokens without a daily candle before D (within the
 *          lookback) are absent: their previous close is unknown.
 * @throws  the database error when the query fails.
 */
export async function getPreviousCloses(
  db: Database,
  tokens: readonly number[],
  beforeMs: number,
): Promise<Map<number, PreviousClose>> {
  const result = new Map<number, PreviousClose>();
  const unique = [...new Set(tokens)];
  if (unique.length === 0) return result;
  const dayStart = istDayStart(beforeMs);
  const rows = await db.query<{ instrument_token: string | number; bucket: Date | string; close: number; official: boolean }>(
    `SELECT DISTINCT ON (instrument_token) instrument_token, bucket, close, official
     FROM (
       SELECT instrument_token, bucket, close, true AS official FROM candles_1d_official
       WHERE instrument_token = ANY($1::bigint[]) AND bucket >= $3::timestamptz AND bucket < $2::timestamptz
       UNION ALL
       SELECT instrument_token, bucket, close, false AS official FROM candles_1d
       WHERE instrument_token = ANY($1::bigint[]) AND bucket >= $3::timestamptz AND bucket < $2::timestamptz
     ) daily
     ORDER BY instrument_token, bucket DESC, official DESC`,
    [
      tokenArray(unique),
      new Date(dayStart).toISOString(),
      new Date(dayStart - PREVIOUS_CLOSE_LOOKBACK_DAYS * DAY_MS).toISOString(),
    ],
  );
  for (const row of rows) {
    result.set(Number(row.instrument_token), {
      close: Number(row.close),
      date: istDate(new Date(row.bucket).getTime()),
      source: row.official ? 'official' : 'provisional',
    });
  }
  return result;
}
