/**
 * Persists closed 1m candles: collects them (an amended candle replaces the earlier version of
 * the same bucket) and upserts them in one statement per flush. A failed upsert keeps the
 * candles for the next flush.
 */
import type { Logger } from 'pino';
import type { Database } from '@/lib/db/client';
import { upsertOneMinuteCandles, type OneMinuteCandle } from '@/lib/db/queries/candles';
import type { Candle } from '@/lib/market/tick';
import type { CandleJournal } from '../storage/candle-journal';

export class CandleWriter {
  private pending = new Map<string, OneMinuteCandle>();
  written = 0;
  errors = 0;

  constructor(
    private readonly db: Database,
    private readonly logger?: Logger,
    private readonly journal?: CandleJournal,
  ) {
    // Candles closed but not stored when the previous run died.
    for (const candle of journal?.load() ?? []) this.pending.set(`${candle.instrumentToken}:${candle.bucket}`, candle);
  }

  /** Queue a closed 1m candle (other timeframes come from the continuous aggregates). */
  add(candle: Candle): void {
    if (candle.timeframe !== '1m') return;
    const row: OneMinuteCandle = {
      instrumentToken: candle.instrumentToken,
      bucket: candle.bucket,
      open: candle.open,
      high: candle.high,
      low: candle.low,
      close: candle.close,
      volume: candle.volume,
      oi: candle.oi,
      ...(candle.partial ? { partial: true } : {}),
    };
    try {
      this.journal?.append(row);
    } catch (error) {
      this.logger?.error({ err: error }, 'candle journal append failed');
    }
    this.pending.set(`${candle.instrumentToken}:${candle.bucket}`, row);
  }

  /** Close the journal file (what is in it stays for the next start). */
  close(): void {
    this.journal?.close();
  }

  get depth(): number {
    return this.pending.size;
  }

  /**
   * Upsert everything queued; on failure the candles stay queued. Returns the candles written
   * (empty when nothing was queued), or null on failure.
   */
  async flush(): Promise<OneMinuteCandle[] | null> {
    if (this.pending.size === 0) return [];
    const batch = this.pending;
    this.pending = new Map();
    try {
      const candles = [...batch.values()];
      await upsertOneMinuteCandles(this.db, candles);
      this.written += batch.size;
      if (this.pending.size === 0) this.journal?.clear();
      return candles;
    } catch (error) {
      this.errors++;
      this.logger?.warn({ err: error, candles: batch.size }, 'candle upsert failed; will retry');
      for (const [key, candle] of batch) if (!this.pending.has(key)) this.pending.set(key, candle);
      return null;
    }
  }
}
