import { istDayStart } from '@/lib/market/session';
import type { Candle, Tick } from '@/lib/market/tick';
import type { PreparedSeed } from './candle-seed';

/**
 * Previous session closes per instrument-day, from the seeds (one definition of change:
 * lib/market/change.ts). Ticks without the feed's own `prevClose` get the stored one, so every
 * consumer (browsers, scanner, alerts) computes change against the same base from the first tick.
 */
export class PreviousCloseBook {
  private readonly closes = new Map<number, { day: number; close: number | null }>();

  /**
   * Remember the previous close carried by a seed (call right before the seed is applied). `lastDayCandle` gives the aggregator's own
   * newest daily candle of an instrument: when it is of a later day than the stored one, or of
   * the same day and the stored one is only the provisional roll-up (its last 1m candles may not
   * be written yet, e.g. a replay crossing midnight at full speed), its close is the previous
   * close. A stored official day candle of the same day wins.
   */
  note({ seed, prevClose }: PreparedSeed, lastDayCandle: (instrumentToken: number) => Candle | undefined): void {
    let close = prevClose?.close ?? null;
    const own = lastDayCandle(seed.instrumentToken);
    const newer = own && own.bucket < seed.day && (prevClose === null || own.bucket > prevClose.day || (own.bucket === prevClose.day && !prevClose.official));
    if (newer) close = own.close;
    this.closes.set(seed.instrumentToken, { day: seed.day, close });
  }

  /**
   * `ticks` with `prevClose` filled where the feed gave none and a stored one is known for the
   * tick's IST day (new objects for those; the input is not modified).
   */
  stamp(ticks: readonly Tick[]): readonly Tick[] {
    let out: Tick[] | null = null;
    for (let i = 0; i < ticks.length; i++) {
      const tick = ticks[i];
      if (tick.prevClose != null) continue;
      const known = this.closes.get(tick.instrumentToken);
      if (!known || known.close === null || known.day !== istDayStart(tick.exchangeTime)) continue;
      out ??= ticks.slice();
      out[i] = { ...tick, prevClose: known.close };
    }
    return out ?? ticks;
  }
}
