/**
 * Kite Connect historical candles (https://kite.trade/docs/connect/v3/historical/) through the
 * official client (npm kiteconnect 5.3, `KiteConnect.getHistoricalData`), as a
 * HistoricalCandleSource for gap backfill.
 *
 * Limits (../shared/notes/market.md, Kite docs): minute candles at most 60 days per request;
 * 3 historical requests per second (429 beyond it: retried with backoff); `from`/`to` are IST
 * wall-clock "YYYY-MM-DD HH:MM:SS", both inclusive; timestamps come back as
 * "2017-12-15T09:15:00+0530". A TokenException (403) means the access token is dead: not retried.
 */
import { KiteConnect, type Connect } from 'kiteconnect';
import type { OneMinuteCandle } from '@/lib/db/queries/candles';
import type { Instrument } from '@/lib/market/instrument';
import { DAY_MS, formatIst } from '@/lib/market/session';
import type { HistoricalCandleSource, HistoricalLimits } from '../historical';

export interface KiteHistoricalOptions {
  apiKey: string;
  accessToken: string;
  /** API root (default https://api.kite.trade; a local server in tests). */
  root?: string;
  /** Per-request timeout, ms (default 7,000 as kiteconnect). */
  timeoutMs?: number;
  /** Attempts on 429 / network errors before giving up (default 5). */
  maxAttempts?: number;
}

interface KiteCandle {
  date: Date | string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  oi?: number;
}

interface KiteError {
  error_type?: string;
  message?: string;
}


/** Spaces request starts so that at most `perSecond` start in any second (shared by all callers). */
class RateLimiter {
  private next = 0;
  constructor(private readonly perSecond: number) {}
  async take(signal?: AbortSignal): Promise<void> {
    const now = Date.now();
    const at = Math.max(now, this.next);
    this.next = at + Math.ceil(1000 / this.perSecond) + 5;
    if (at > now) await sleep(at - now, signal);
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Error('aborted'));
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new Error('aborted'));
    }, { once: true });
  });
}

export class KiteHistoricalSource implements HistoricalCandleSource {
  readonly name = 'kite';
  readonly limits: HistoricalLimits = { maxMinuteSpanDays: 60, requestsPerSecond: 3 };
  /** HTTP requests made and 429/network retries (for reports and tests). */
  requests = 0;
  retries = 0;
  private readonly kite: Connect;
  private readonly limiter = new RateLimiter(this.limits.requestsPerSecond);
  private readonly maxAttempts: number;

  constructor(options: KiteHistoricalOptions) {
    this.kite = new KiteConnect({
      api_key: options.apiKey,
      access_token: options.accessToken,
      root: options.root,
      timeout: options.timeoutMs,
    });
    this.maxAttempts = options.maxAttempts ?? 5;
  }

  /**
   * 1m candles of `instrument` with bucket start in [from, to), oldest first (rupees; OI for
   * derivatives). Splits the range into ≤ 60-day requests, paced at 3/s.
   * @throws Error naming the instrument and Kite's error (dead token, bad input, retries exhausted).
   */
  async fetchMinuteCandles(instrument: Instrument, from: Date, to: Date, signal?: AbortSignal): Promise<OneMinuteCandle[]> {
    return this.fetchCandles(instrument, 'minute', this.limits.maxMinuteSpanDays, from, to, signal);
  }

  /**
   * Official day candles (bucket 00:00 IST; close = NSE's closing price, volume = the day's
   * total) with bucket in [from, to), oldest first. Kite allows 2,000 days per day request.
   */
  async fetchDailyCandles(instrument: Instrument, from: Date, to: Date, signal?: AbortSignal): Promise<OneMinuteCandle[]> {
    return this.fetchCandles(instrument, 'day', 2000, from, to, signal);
  }

  private async fetchCandles(
    instrument: Instrument,
    interval: 'minute' | 'day',
    spanDays: number,
    from: Date,
    to: Date,
    signal?: AbortSignal,
  ): Promise<OneMinuteCandle[]> {
    const out: OneMinuteCandle[] = [];
    const span = spanDays * DAY_MS;
    const withOi = instrument.exchange === 'NFO' || instrument.exchange === 'BFO' || instrument.exchange === 'MCX';
    for (let start = from.getTime(); start < to.getTime(); start += span) {
      const end = Math.min(start + span, to.getTime());
      const candles = await this.request(instrument, interval, start, end, withOi, signal);
      for (const c of candles) {
        const bucket = new Date(c.date).getTime();
        if (bucket < start || bucket >= end) continue;
        out.push({
          instrumentToken: instrument.instrumentToken,
          bucket,
          open: c.open,
          high: c.high,
          low: c.low,
          close: c.close,
          volume: c.volume,
          oi: withOi ? (c.oi ?? null) : null,
        });
      }
    }
    return out;
  }

  private async request(
    instrument: Instrument,
    interval: 'minute' | 'day',
    start: number,
    end: number,
    withOi: boolean,
    signal?: AbortSignal,
  ): Promise<KiteCandle[]> {
    const symbol = `${instrument.exchange}:${instrument.tradingsymbol}`;
    for (let attempt = 1; ; attempt++) {
      await this.limiter.take(signal);
      this.requests++;
      try {
        // `to` is inclusive at Kite: ask up to the last second before `end`.
        const rows = (await this.kite.getHistoricalData(
          instrument.instrumentToken,
          interval,
          formatIst(start),
          formatIst(end - 1000),
          false,
          withOi,
        )) as unknown as KiteCandle[];
        return Array.isArray(rows) ? rows : [];
      } catch (raw) {
        const e = raw as KiteError;
        const message = e?.message ?? String(raw);
        if (e?.error_type === 'TokenException') {
          throw new Error(`Kite history for ${symbol}: access token rejected (${message}); log in again to get a new token`);
        }
        const retriable = /too many requests/i.test(message) || e?.error_type === 'NetworkException';
        if (!retriable || attempt >= this.maxAttempts || signal?.aborted) {
          throw new Error(`Kite history for ${symbol} ${formatIst(start)}…${formatIst(end)} failed: ${e?.error_type ?? 'Error'}: ${message}`);
        }
        this.retries++;
        await sleep(Math.min(500 * 2 ** (attempt - 1), 8000), signal);
      }
    }
  }
}
