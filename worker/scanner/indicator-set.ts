/**
 * The technical indicators of one instrument on one timeframe, updated in streaming fashion with
 * the study engines of lib/indicators/engines.ts (the maintained `trading-signals` library, v8;
 * the same computation as the chart's studies and GET /api/indicators, so their values agree):
 * RSI(14) with Wilder's smoothing, MACD(12,26,9) on EMAs, Bollinger Bands(20, 2σ population),
 * EMA(9)/EMA(21), SMA(20)/SMA(50), and the highest high / lowest low of the previous N closed candles.
 *
 * Conventions (docs/desk.md): `trading-signals` seeds an EMA with the first price (not an SMA),
 * so EMA/MACD values converge after a few dozen candles; the scanner warm-starts from stored
 * candles so they are settled at the open. MACD is reported once its signal line has had 9
 * inputs (34 candles).
 *
 * Live values: closed candles are `add`ed; the open candle's latest price is applied with the
 * library's `replace` (the last input is provisional and is replaced by every newer price and
 * finally by the candle's close), so values are always "closed candles + the open candle now".
 */
import { createStudyEngine, type BandsValue, type LineValue, type MacdValue, type StudyEngine } from '@/lib/indicators/engines';

export interface IndicatorValues {
  rsi: number | null;
  macd: { macd: number; signal: number; histogram: number } | null;
  bollinger: { upper: number; middle: number; lower: number } | null;
  ema9: number | null;
  ema21: number | null;
  sma20: number | null;
  sma50: number | null;
}

interface CrossInputs {
  histogram: number | null;
  ema: number | null;
  sma: number | null;
}

export type Cross = 'bullish' | 'bearish' | null;

/** Sign change of `after` relative to `before`: up through zero is bullish, down is bearish. */
export function crossOf(before: number | null, after: number | null): Cross {
  if (before === null || after === null) return null;
  if (before <= 0 && after > 0) return 'bullish';
  if (before >= 0 && after < 0) return 'bearish';
  return null;
}

const line = (engine: StudyEngine) => (engine.value() as LineValue | null)?.value ?? null;

export class IndicatorSet {
  private readonly rsi = createStudyEngine({ kind: 'rsi', period: 14 });
  private readonly macd = createStudyEngine({ kind: 'macd', fast: 12, slow: 26, signal: 9 });
  private readonly bb = createStudyEngine({ kind: 'bb', period: 20, multiplier: 2 });
  private readonly ema9 = createStudyEngine({ kind: 'ema', period: 9 });
  private readonly ema21 = createStudyEngine({ kind: 'ema', period: 21 });
  private readonly sma20 = createStudyEngine({ kind: 'sma', period: 20 });
  private readonly sma50 = createStudyEngine({ kind: 'sma', period: 50 });
  private readonly engines = [this.rsi, this.macd, this.bb, this.ema9, this.ema21, this.sma20, this.sma50];
  private readonly highs: number[] = [];
  private readonly lows: number[] = [];
  /** True while the last input is the open candle's provisional price. */
  private live = false;
  private livePrice: number | null = null;
  /** Cross inputs after the last closed candle and after the one before it. */
  private closedCross: CrossInputs = { histogram: null, ema: null, sma: null };
  private previousClosedCross: CrossInputs = { histogram: null, ema: null, sma: null };
  /** Close of the last closed candle. */
  lastClose: number | null = null;
  /** Number of closed candles seen. */
  closedCount = 0;

  constructor(readonly lookback = 20) {}

  private apply(price: number, replace: boolean): void {
    // Close-based engines read only `close`; bucket and volume are unused here.
    const bar = { bucket: 0, high: price, low: price, close: price, volume: 0 };
    for (const engine of this.engines) engine.update(bar, replace);
  }

  /** Apply a closed candle (in bucket order). */
  close(candle: { high: number; low: number; close: number }): void {
    this.apply(candle.close, this.live);
    this.live = false;
    this.livePrice = null;
    this.closedCount += 1;
    this.lastClose = candle.close;
    this.highs.push(candle.high);
    this.lows.push(candle.low);
    if (this.highs.length > this.lookback) {
      this.highs.shift();
      this.lows.shift();
    }
    this.previousClosedCross = this.closedCross;
    this.closedCross = this.crossInputs();
  }

  /** Set the open candle's latest price (no-op when unchanged). */
  setLive(price: number): void {
    if (this.live && this.livePrice === price) return;
    this.apply(price, this.live);
    this.live = true;
    this.livePrice = price;
  }

  /** True while the open candle's price is part of the values. */
  get hasLive(): boolean {
    return this.live;
  }

  private crossInputs(): CrossInputs {
    const v = this.values();
    return {
      histogram: v.macd?.histogram ?? null,
      ema: v.ema9 !== null && v.ema21 !== null ? v.ema9 - v.ema21 : null,
      sma: v.sma20 !== null && v.sma50 !== null ? v.sma20 - v.sma50 : null,
    };
  }

  /** Current values (closed candles plus the open candle's price when set); null until defined. */
  values(): IndicatorValues {
    const macd = this.macd.value() as MacdValue | null;
    const bb = this.bb.value() as BandsValue | null;
    return {
      rsi: line(this.rsi),
      macd: macd ? { macd: macd.macd, signal: macd.signal, histogram: macd.histogram } : null,
      bollinger: bb ? { upper: bb.upper, middle: bb.middle, lower: bb.lower } : null,
      ema9: line(this.ema9),
      ema21: line(this.ema21),
      sma20: line(this.sma20),
      sma50: line(this.sma50),
    };
  }

  /**
   * Crosses on the current candle: the open candle vs the last closed one when live, else the
   * last closed candle vs the one before it.
   */
  crosses(): { macd: Cross; ema: Cross; sma: Cross } {
    const before = this.live ? this.closedCross : this.previousClosedCross;
    const after = this.live ? this.crossInputs() : this.closedCross;
    return {
      macd: crossOf(before.histogram, after.histogram),
      ema: crossOf(before.ema, after.ema),
      sma: crossOf(before.sma, after.sma),
    };
  }

  /**
   * Highest high and lowest low of the previous `lookback` closed candles (null until there
   * are that many).
   */
  range(): { high: number; low: number } | null {
    if (this.highs.length < this.lookback) return null;
    return { high: Math.max(...this.highs), low: Math.min(...this.lows) };
  }
}
