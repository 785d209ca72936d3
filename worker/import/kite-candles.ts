/**
 * Kite historical candles as CSV: `date,open,high,low,close,volume[,oi]` with ISO timestamps
 * carrying an IST offset, e.g. `2025-10-29T09:15:00+05:30` (Kite's JSON uses `+0530`; both
 * are accepted). Prices in rupees. Only 1-minute candles are imported (into candles_1m);
 * higher timeframes are derived by the continuous aggregates.
 */
import type { OneMinuteCandle } from '@/lib/db/queries/candles';

export type CandleParse = { candle: OneMinuteCandle } | { error: string };

/** Parse a Kite timestamp ("2025-10-29T09:15:00+05:30" or "+0530"); NaN if invalid. */
export function parseKiteTimestamp(text: string | undefined): number {
  if (!text) return Number.NaN;
  const normalised = text.trim().replace(' ', 'T').replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  if (!/[+-]\d{2}:\d{2}$|Z$/.test(normalised)) return Number.NaN;
  return Date.parse(normalised);
}

/** Parse one record for instrument `instrumentToken`. */
export function parseKiteCandle(record: Record<string, string>, instrumentToken: number): CandleParse {
  const bucket = parseKiteTimestamp(record.date);
  if (Number.isNaN(bucket)) return { error: `bad date "${record.date}" (expected ISO with offset, e.g. 2025-10-29T09:15:00+05:30)` };
  const values = [record.open, record.high, record.low, record.close, record.volume].map(Number);
  if (values.some((v) => !Number.isFinite(v))) return { error: `non-numeric OHLCV at ${record.date}` };
  const [open, high, low, close, volume] = values;
  if (high < Math.max(open, close, low) || low > Math.min(open, close)) return { error: `inconsistent OHLC at ${record.date}` };
  const oi = record.oi === undefined || record.oi === '' ? null : Number(record.oi);
  return { candle: { instrumentToken, bucket, open, high, low, close, volume, oi: Number.isFinite(oi) ? oi : null } };
}
