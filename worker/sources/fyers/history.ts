/**
 * Fyers 1-minute history behind the HistoricalCandleSource contract (worker/sources/historical.ts),
 * through the official client (npm fyers-api-v3 `fyersModel.getHistory`).
 *
 * Fyers history API (myapi.fyers.in/docsv3 "History"): GET {data}/history?symbol=NSE:SBIN-EQ
 * &resolution=1&date_format=0&range_from=<epoch s>&range_to=<epoch s>&cont_flag=1 →
 * `{"s":"ok","candles":[[epoch_s, o, h, l, c, v], …]}` (`"s":"no_data"` when empty).
 *
 * Limits (Fyers API v3 docs, "History" and "Rate limits"): minute resolutions (1…240) up to 100
 * days per request, day resolution ("D") up to 366 days; 10 requests/s, 200/min, 100,000/day per
 * app. We send at most 3 requests/s (180/min, under the per-minute cap) and retry HTTP 429 with
 * backoff (users report blocks after repeated rate-limit violations, market.md).
 *
 * The client reads its base URL from a module-global config object at call time; `root`
 * overrides it (tests: a local server) for every fyersModel in the process.
 */
import { createRequire } from 'node:module';
import os from 'node:os';
import type { OneMinuteCandle } from '@/lib/db/queries/candles';
import type { Instrument } from '@/lib/market/instrument';
import { symbolOf } from '@/lib/market/tick';
import type { HistoricalCandleSource, HistoricalLimits } from '../historical';
import { toFyersSymbol } from './symbols';
import { DAY_MS } from '@/lib/market/session';

const require = createRequire(import.meta.url);

interface FyersModel {
  setAppId(appId: string): void;
  setAccessToken(token: string): void;
  getHistory(req: Record<string, string>): Promise<{ s: string; candles?: number[][]; message?: string; code?: number }>;
}

type FyersModelConstructor = new (params: { path?: string; enableLogging?: boolean }) => FyersModel;

export interface FyersHistoryOptions {
  appId: string;
  accessToken: string;
  /** Data API root override, e.g. "http://127.0.0.1:PORT/data" (default https://api-t1.fyers.in/data). */
  root?: string;
}

const IST_MS = 19_800_000;

export class FyersHistoricalSource implements HistoricalCandleSource {
  readonly name = 'fyers';
  readonly limits: HistoricalLimits = { maxMinuteSpanDays: 100, requestsPerSecond: 3 };
  /** Longest span of one day-resolution request, days (Fyers docs). */
  readonly maxDailySpanDays = 366;
  private readonly client: FyersModel;
  private lastRequestAt = 0;

  constructor(options: FyersHistoryOptions) {
    const fyers = require('fyers-api-v3') as { fyersModel: FyersModelConstructor };
    if (options.root) (require('fyers-api-v3/config/config.js') as { Config: Record<string, string> }).Config.data_Api1 = options.root;
    this.client = new fyers.fyersModel({ path: os.tmpdir(), enableLogging: false });
    this.client.setAppId(options.appId);
    this.client.setAccessToken(options.accessToken);
  }

  /** See HistoricalCandleSource; chunks of ≤ 100 days, candles filtered to [from, to). */
  fetchMinuteCandles(instrument: Instrument, from: Date, to: Date, signal?: AbortSignal): Promise<OneMinuteCandle[]> {
    return this.fetch(instrument, '1', this.limits.maxMinuteSpanDays, from, to, signal, (t) => t * 1000);
  }

  /**
   * See HistoricalCandleSource: official day candles, chunks of ≤ 366 days. Fyers stamps a day
   * candle at the start of its day (00:00 IST or 00:00 UTC); the bucket is 00:00 IST of the IST
   * date holding that stamp.
   */
  fetchDailyCandles(instrument: Instrument, from: Date, to: Date, signal?: AbortSignal): Promise<OneMinuteCandle[]> {
    return this.fetch(instrument, 'D', this.maxDailySpanDays, from, to, signal, (t) => Math.floor((t * 1000 + IST_MS) / DAY_MS) * DAY_MS - IST_MS);
  }

  private async fetch(
    instrument: Instrument,
    resolution: string,
    spanDays: number,
    from: Date,
    to: Date,
    signal: AbortSignal | undefined,
    bucketOf: (epochSeconds: number) => number,
  ): Promise<OneMinuteCandle[]> {
    const symbol = toFyersSymbol(symbolOf(instrument), { segment: instrument.segment });
    if (!symbol) throw new Error(`${symbolOf(instrument)}: no Fyers symbol for this instrument`);
    const out: OneMinuteCandle[] = [];
    const span = spanDays * DAY_MS;
    for (let start = from.getTime(); start < to.getTime(); start += span) {
      const end = Math.min(start + span, to.getTime());
      const answer = await this.request(symbol, resolution, start, end - 1, signal);
      for (const [t, open, high, low, close, volume] of answer) {
        const bucket = bucketOf(t);
        if (bucket < start || bucket >= end) continue;
        out.push({ instrumentToken: instrument.instrumentToken, bucket, open, high, low, close, volume, oi: null });
      }
    }
    return out;
  }

  private async request(symbol: string, resolution: string, fromMs: number, toMs: number, signal?: AbortSignal): Promise<number[][]> {
    for (let attempt = 1; ; attempt++) {
      signal?.throwIfAborted();
      const wait = this.lastRequestAt + 1000 / this.limits.requestsPerSecond - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      this.lastRequestAt = Date.now();
      let answer: { s: string; candles?: number[][]; message?: string; code?: number };
      try {
        answer = await this.client.getHistory({
          symbol,
          resolution,
          date_format: '0',
          range_from: String(Math.floor(fromMs / 1000)),
          range_to: String(Math.floor(toMs / 1000)),
          cont_flag: '1',
        });
      } catch (error) {
        const e = error as { code?: number; message?: string };
        if (e?.code === 429 && attempt < 5) {
          await new Promise((r) => setTimeout(r, 500 * 2 ** attempt));
          continue;
        }
        throw new Error(`Fyers history ${symbol} failed (code ${e?.code ?? '?'}): ${e?.message ?? String(error)}`);
      }
      if (answer.s === 'no_data') return [];
      if (answer.s !== 'ok') throw new Error(`Fyers history ${symbol} failed (code ${answer.code ?? '?'}): ${answer.message ?? answer.s}`);
      return answer.candles ?? [];
    }
  }
}
