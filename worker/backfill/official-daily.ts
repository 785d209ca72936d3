/**
 * Official daily candles: after the close, replace each provisional day bar (the roll-up of
 * live 1m candles) with the broker's day candle. Kite's day close is NSE's official closing
 * price (a weighted average of the last 30 minutes) and its volume includes trades outside the
 * 1m bars, so no roll-up can equal it (../shared/notes/market.md; verified on 41 RELIANCE days).
 *
 * `OfficialDailyScheduler` runs the sync once per trading day after `afterMinuteIst` (default
 * 16:00 IST, after the 15:40–16:00 closing session) and once at start-up for the last week.
 */
import type { Logger } from 'pino';
import type { Database } from '@/lib/db/client';
import { instrumentsWithProvisionalDays, upsertOfficialDailyCandles } from '@/lib/db/queries/candles';
import { findInstrumentsByTokens } from '@/lib/db/queries/instruments';
import { DAY_MS, istDayStart, IST_OFFSET_MS } from '@/lib/market/session';
import type { HistoricalCandleSource } from '../sources/historical';


export interface OfficialDailySummary {
  instruments: number;
  candles: number;
  /** "NSE:XYZ: reason" for instruments whose fetch failed. */
  failures: string[];
}

/**
 * Fetch and store the official day candles of every instrument with a provisional day bar in
 * [from, to) (IST day starts). Failures are collected per instrument, never thrown; days the
 * broker has no candle for stay provisional. `onStored(token)` after each instrument's upsert
 * (GET /api/candles' cached day bars retire: CandleCache.storedChanged).
 */
export async function syncOfficialDailyCandles(
  db: Database,
  source: HistoricalCandleSource,
  range: { from: Date; to: Date; signal?: AbortSignal; onStored?: (instrumentToken: number) => void },
): Promise<OfficialDailySummary> {
  const summary: OfficialDailySummary = { instruments: 0, candles: 0, failures: [] };
  if (!source.fetchDailyCandles) return summary;
  const tokens = await instrumentsWithProvisionalDays(db, range.from, range.to);
  for (const instrument of await findInstrumentsByTokens(db, tokens)) {
    if (range.signal?.aborted) break;
    try {
      const candles = await source.fetchDailyCandles(instrument, range.from, range.to, range.signal);
      await upsertOfficialDailyCandles(db, candles, source.name);
      if (candles.length > 0) range.onStored?.(instrument.instrumentToken);
      summary.instruments++;
      summary.candles += candles.length;
    } catch (error) {
      summary.failures.push(`${instrument.exchange}:${instrument.tradingsymbol}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return summary;
}

/** Runs `syncOfficialDailyCandles` for the last `lookbackDays` once a day after the close. */
export class OfficialDailyScheduler {
  private timer: NodeJS.Timeout | null = null;
  private lastRunAfterClose = Number.NaN;
  private running: Promise<void> | null = null;
  private readonly abort = new AbortController();

  constructor(
    private readonly db: Database,
    private readonly source: HistoricalCandleSource,
    private readonly logger?: Logger,
    /** `onStored(token)`: official day candles of that instrument were stored (the worker's candle memory changes its generation). */
    private readonly options: { afterMinuteIst?: number; lookbackDays?: number; pollMs?: number; now?: () => number; onStored?: (instrumentToken: number) => void } = {},
  ) {}

  /** Run once now for the lookback window, then check every `pollMs` (default 10 min). */
  start(): void {
    void this.run();
    this.timer ??= setInterval(() => this.tick(), this.options.pollMs ?? 600_000);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.abort.abort();
    if (this.running) await this.running;
  }

  private tick(): void {
    const now = (this.options.now ?? Date.now)();
    const minuteIst = Math.floor(((now + IST_OFFSET_MS) % DAY_MS) / 60_000);
    if (minuteIst >= (this.options.afterMinuteIst ?? 16 * 60) && this.lastRunAfterClose !== istDayStart(now)) {
      this.lastRunAfterClose = istDayStart(now);
      void this.run();
    }
  }

  /** One sync over the lookback window (concurrent calls share it). */
  run(): Promise<void> {
    this.running ??= (async () => {
      const now = (this.options.now ?? Date.now)();
      // Today only once its session is over: during the day the broker's day candle is partial.
      const minuteIst = Math.floor(((now + IST_OFFSET_MS) % DAY_MS) / 60_000);
      const afterClose = minuteIst >= (this.options.afterMinuteIst ?? 16 * 60);
      const to = new Date(istDayStart(now) + (afterClose ? DAY_MS : 0));
      const from = new Date(to.getTime() - (this.options.lookbackDays ?? 7) * DAY_MS);
      try {
        const summary = await syncOfficialDailyCandles(this.db, this.source, { from, to, signal: this.abort.signal, onStored: this.options.onStored });
        if (summary.instruments > 0 || summary.failures.length > 0) {
          this.logger?.info({ ...summary, failures: summary.failures.slice(0, 5) }, 'official daily candles synced');
        }
      } catch (error) {
        this.logger?.warn({ err: error }, 'official daily candle sync failed');
      }
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }
}
