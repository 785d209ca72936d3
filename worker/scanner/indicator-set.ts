/**
 * The technical indicators of one instrument on one timeframe, updated in streaming fashion with
 * the maintained `trading-signals` library (v8): RSI(14) with Wilder's smoothing, MACD(12,26,9)
 * on EMAs, Bollinger Bands(20, 2σ population), EMA(9)/EMA(21), SMA(20)/SMA(50), and the
 * highest high / lowest low of the previous N closed candles.
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
import { BollingerBands, EMA, MACD, RSI, SMA } from 'trading-signals';

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

const MACD_MIN_INPUTS = 26 + 9 - 1;

export class IndicatorSet {
  private readonly rsi = new RSI(14);
  private readonly macd = new MACD(new EMA(12), new EMA(26), new EMA(9));
  private readonly bb = new BollingerBands(20, 2);
  private readonly ema9 = new EMA(9);
  private readonly ema21 = new EMA(21);
  private readonly sma20 = new SMA(20);
  private readonly sma50 = new SMA(50);
  private readonly highs: number[] = [];
  private readonly lows: number[] = [];
  /** Inputs applied, the provisional one included. */
  private inputs = 0;
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
    this.rsi.update(price, replace);
    this.macd.update(price, replace);
    this.bb.update(price, replace);
    this.ema9.update(price, replace);
    this.ema21.update(price, replace);
    this.sma20.update(price, replace);
    this.sma50.update(price, replace);
  }

  /** Apply a closed candle (in bucket order). */
  close(candle: { high: number; low: number; close: number }): void {
    this.apply(candle.close, this.live);
    if (!this.live) this.inputs += 1;
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
    if (!this.live) this.inputs += 1;
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

  /** Current values (closed candles plus the open candle's price when set). */
  values(): IndicatorValues {
    // Readiness from our own input count: asking the library early throws (and catches)
    // NotEnoughDataError internally, which is slow on a 1,000-instrument scan.
    const n = this.inputs;
    const macd = n >= MACD_MIN_INPUTS ? this.macd.getResult() : null;
    const bb = n >= 20 ? this.bb.getResult() : null;
    return {
      rsi: n >= 15 ? this.rsi.getResult() : null,
      macd: macd ? { macd: macd.macd, signal: macd.signal, histogram: macd.histogram } : null,
      bollinger: bb ? { upper: bb.upper, middle: bb.middle, lower: bb.lower } : null,
      ema9: n >= 9 ? this.ema9.getResult() : null,
      ema21: n >= 21 ? this.ema21.getResult() : null,
      sma20: n >= 20 ? this.sma20.getResult() : null,
      sma50: n >= 50 ? this.sma50.getResult() : null,
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
