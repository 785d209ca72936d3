/**
 * Streaming study engines on the maintained `trading-signals` library (v8): the one computation
 * behind GET /api/indicators, the chart's live values and the scanner (worker/scanner/indicator-set.ts),
 * so a value on the chart equals the scanner's.
 *
 * An engine takes candles in bucket order with `update(bar, replace)`: `replace = false` appends
 * a new candle, `replace = true` replaces the last one (the open candle's newer state). `value()`
 * is the study at the last candle, or null while it is not defined yet.
 *
 * Definitions (docs/desk.md, "Studies"):
 * - SMA(n): mean of the last n closes; defined from the n-th candle.
 * - EMA(n): α = 2/(n+1), seeded with the first close (trading-signals); defined from the n-th
 *   candle. The seed's weight decays as (1−α)^k, so after the warm-up (lib/indicators/warmup.ts)
 *   it is below 1e-12 of the price: "converged".
 * - RSI(n): Wilder's smoothing (first averages = simple means of n changes); defined from n+1 closes.
 * - MACD(f,s,g): EMA f − EMA s, signal = EMA g of MACD, histogram = MACD − signal; defined from
 *   s+g−1 closes.
 * - Bollinger(n,k): SMA n ± k population standard deviations; defined from the n-th candle.
 * - VWAP: Σ typical price·volume ÷ Σ volume, typical price = (high+low+close)/3, anchored at the
 *   session: reset on each IST day (09:15 IST for NSE/NFO). A session without volume yet (an
 *   index) has no VWAP (null).
 * Prices in rupees.
 */
import { BollingerBands, EMA, MACD, RSI, SMA, VWAP } from 'trading-signals';
import { istDayStart } from '@/lib/market/session';
import type { StudySpec } from './study-spec';

/** A candle as engines read it: bucket start epoch ms UTC, prices rupees, volume within the bucket. */
export interface StudyBar {
  bucket: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

export type LineValue = { value: number };
export type MacdValue = { macd: number; signal: number; histogram: number };
export type BandsValue = { upper: number; middle: number; lower: number };
export type StudyValue = LineValue | MacdValue | BandsValue;

export interface StudyEngine {
  update(bar: StudyBar, replace: boolean): void;
  /** The study after the last update, or null while undefined (not enough candles). */
  value(): StudyValue | null;
}

/** Counts inputs so readiness is known without asking the library (which throws early). */
abstract class CloseEngine implements StudyEngine {
  protected inputs = 0;
  constructor(private readonly required: number) {}
  protected abstract apply(close: number, replace: boolean): void;
  protected abstract read(): StudyValue;
  update(bar: StudyBar, replace: boolean): void {
    const replacing = replace && this.inputs > 0;
    this.apply(bar.close, replacing);
    if (!replacing) this.inputs += 1;
  }
  value(): StudyValue | null {
    return this.inputs >= this.required ? this.read() : null;
  }
}

class SmaEngine extends CloseEngine {
  private readonly sma: SMA;
  constructor(period: number) {
    super(period);
    this.sma = new SMA(period);
  }
  protected apply(close: number, replace: boolean) {
    this.sma.update(close, replace);
  }
  protected read() {
    return { value: this.sma.getResultOrThrow() };
  }
}

class EmaEngine extends CloseEngine {
  private readonly ema: EMA;
  constructor(period: number) {
    super(period);
    this.ema = new EMA(period);
  }
  protected apply(close: number, replace: boolean) {
    this.ema.update(close, replace);
  }
  protected read() {
    return { value: this.ema.getResultOrThrow() };
  }
}

class RsiEngine extends CloseEngine {
  private readonly rsi: RSI;
  constructor(period: number) {
    super(period + 1);
    this.rsi = new RSI(period);
  }
  protected apply(close: number, replace: boolean) {
    this.rsi.update(close, replace);
  }
  protected read() {
    return { value: this.rsi.getResultOrThrow() };
  }
}

class MacdEngine extends CloseEngine {
  private readonly macd: MACD;
  constructor(fast: number, slow: number, signal: number) {
    super(slow + signal - 1);
    this.macd = new MACD(new EMA(fast), new EMA(slow), new EMA(signal));
  }
  protected apply(close: number, replace: boolean) {
    this.macd.update(close, replace);
  }
  protected read() {
    const r = this.macd.getResultOrThrow();
    return { macd: r.macd, signal: r.signal, histogram: r.histogram };
  }
}

class BandsEngine extends CloseEngine {
  private readonly bb: BollingerBands;
  constructor(period: number, multiplier: number) {
    super(period);
    this.bb = new BollingerBands(period, multiplier);
  }
  protected apply(close: number, replace: boolean) {
    this.bb.update(close, replace);
  }
  protected read() {
    const r = this.bb.getResultOrThrow();
    return { upper: r.upper, middle: r.middle, lower: r.lower };
  }
}

/**
 * Session-anchored VWAP: a fresh trading-signals VWAP per IST day. The library skips a
 * zero-volume candle (returns null, keeps its sums), so a replace after such a candle is
 * applied as an append, and the value stays the session's VWAP so far.
 */
class VwapEngine implements StudyEngine {
  private vwap = new VWAP();
  private session = Number.NaN;
  /** True when the last candle reached the library (volume > 0). */
  private lastApplied = false;
  private current: number | null = null;
  /** VWAP before the last candle, restored when a replace turns it into a zero-volume candle. */
  private beforeLast: number | null = null;

  update(bar: StudyBar, replace: boolean): void {
    const session = istDayStart(bar.bucket);
    if (session !== this.session) {
      this.session = session;
      this.vwap = new VWAP();
      this.lastApplied = false;
      this.current = null;
      this.beforeLast = null;
      replace = false;
    }
    if (!replace) this.beforeLast = this.current;
    if (bar.volume <= 0) {
      // Volume within a bucket only grows, so a replace to zero volume does not happen live;
      // fall back to the value before the last candle if it ever does.
      if (replace && this.lastApplied) this.current = this.beforeLast;
      if (!replace) this.lastApplied = false;
      return;
    }
    const input = { high: bar.high, low: bar.low, close: bar.close, volume: bar.volume };
    const result = this.vwap.update(input, replace && this.lastApplied);
    this.lastApplied = true;
    if (result !== null) this.current = result;
  }

  value(): StudyValue | null {
    return this.current === null ? null : { value: this.current };
  }
}

/** A fresh engine for `spec`. */
export function createStudyEngine(spec: StudySpec): StudyEngine {
  switch (spec.kind) {
    case 'sma':
      return new SmaEngine(spec.period);
    case 'ema':
      return new EmaEngine(spec.period);
    case 'rsi':
      return new RsiEngine(spec.period);
    case 'macd':
      return new MacdEngine(spec.fast, spec.slow, spec.signal);
    case 'bb':
      return new BandsEngine(spec.period, spec.multiplier);
    case 'vwap':
      return new VwapEngine();
  }
}
