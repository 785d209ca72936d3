/**
 * The contract of a broker's historical-candle API, used by gap backfill (candle API and
 * backfill CLI). Implementations: Kite (`worker/sources/kite/…`, KiteConnect.getHistoricalData),
 * Fyers (history API).
 */
import type { OneMinuteCandle } from '@/lib/db/queries/candles';
import type { Instrument } from '@/lib/market/instrument';

export interface HistoricalLimits {
  /** Longest span of one 1-minute request, in days (Kite: 60; market.md). */
  maxMinuteSpanDays: number;
  /** Requests per second allowed (Kite historical: 3). */
  requestsPerSecond: number;
}

export interface HistoricalCandleSource {
  readonly name: string;
  readonly limits: HistoricalLimits;
  /**
   * 1-minute candles of `instrument` with bucket start in [from, to), oldest first, prices in
   * rupees. One call may issue several requests (span limit) and waits to respect the rate
   * limit; it retries 429 responses with backoff. Throws an Error naming the instrument and
   * the HTTP status on other failures (a 403 means the access token is dead).
   */
  fetchMinuteCandles(instrument: Instrument, from: Date, to: Date, signal?: AbortSignal): Promise<OneMinuteCandle[]>;
  /**
   * Official daily candles (bucket = 00:00 IST of the session day) with bucket in [from, to),
   * oldest first, rupees. Optional: sources without it leave daily bars provisional.
   */
  fetchDailyCandles?(instrument: Instrument, from: Date, to: Date, signal?: AbortSignal): Promise<OneMinuteCandle[]>;
}
