/**
 * What the scanner knows about one instrument: its day (open, high, low, cumulative volume,
 * VWAP, previous close), its usual volume by time of day, and an IndicatorSet per timeframe.
 * Pure state, no I/O: the scanner feeds it ticks, closed candles and warm-start history, and
 * asks it for a ScannerRow per timeframe.
 *
 * Day boundaries are IST calendar days (lib/market/session.ts). Prices rupees, times epoch ms UTC.
 */
import type { Ohlcv } from '@/lib/contracts/candle';
import { knownPreviousClose, priceChange } from '@/lib/market/change';
import { bucketStart, istDayStart, sessionOpen } from '@/lib/market/session';
import { instrumentKind, SCANNER_THRESHOLDS, type InstrumentKind, type ScannerRow } from '@/lib/market/scanner';
import type { Candle, Tick } from '@/lib/market/tick';
import { TIMEFRAMES, type Timeframe } from '@/lib/market/timeframes';
import { IndicatorSet } from './indicator-set';
import { opportunityScore } from './score';
import { volumeRatio, type VolumeProfile } from './volume-profile';

/** A candle as history provides it: the bar without open interest (lib/contracts/candle.ts). */
export type HistoryCandle = Omit<Ohlcv, 'oi'>;

export interface WarmHistory {
  /** Closed candles per timeframe, oldest first (intraday: before the first tick's bucket; 1d: before its day). */
  candles: Partial<Record<Timeframe, HistoryCandle[]>>;
  /** Today's stored daily candle (bucket = IST day start of the first tick), if any. */
  today: HistoryCandle | null;
  /**
   * Previous session close before the instrument's current IST day, rupees (getPreviousCloses,
   * lib/db/queries/previous-close.ts), or null when none is stored.
   */
  prevClose: number | null;
  profile: VolumeProfile | null;
}

/** % change of `value` against `base` (percent), null without a base: the one change formula. */
const pct = (value: number, base: number | null | undefined): number | null => priceChange(value, base).changePct;

export class InstrumentScanState {
  readonly kind: InstrumentKind;
  readonly symbol: string;
  ltp = 0;
  time = 0;
  /** Exchange time of the first tick seen (warm-start history ends there). */
  readonly firstTime: number;
  dayStart: number;
  dayOpen: number | null = null;
  /** True when dayOpen is the session's real open: the stored daily candle's, or a first tick by 09:16 IST. */
  private dayOpenKnown = false;
  dayHigh: number | null = null;
  dayLow: number | null = null;
  dayVolume = 0;
  private feedPrevClose: number | null = null;
  private storedPrevClose: number | null = null;
  private exchangeVwap: number | null = null;
  private vwapNumerator = 0;
  private vwapVolume = 0;
  profile: VolumeProfile | null = null;
  warm: 'pending' | 'ready' = 'pending';
  /** Set when a new IST day started: the volume profile should be reloaded. */
  profileStale = false;
  private readonly sets = new Map<Timeframe, IndicatorSet>();
  private readonly lastClosedBucket = new Map<Timeframe, number>();
  private pendingClosed: Candle[] = [];
  /** Last row per timeframe and what it was computed from (rows are recomputed only on change). */
  private readonly rowCache = new Map<Timeframe, { key: string; row: ScannerRow }>();

  constructor(
    readonly instrumentToken: number,
    readonly exchange: string,
    readonly tradingsymbol: string,
    first: Tick,
  ) {
    this.kind = instrumentKind(exchange, tradingsymbol);
    this.symbol = `${exchange}:${tradingsymbol}`;
    this.firstTime = first.exchangeTime;
    this.dayStart = istDayStart(first.exchangeTime);
    for (const timeframe of TIMEFRAMES) this.sets.set(timeframe, new IndicatorSet(SCANNER_THRESHOLDS.breakoutLookback));
  }

  /** Apply a tick (ticks older than the last one seen are ignored). */
  applyTick(tick: Tick): void {
    if (tick.exchangeTime < this.time) return;
    const day = istDayStart(tick.exchangeTime);
    if (day > this.dayStart) {
      // A new session: the previous close is unknown until the feed sends one or the scanner
      // reloads the stored one for the new day (profileStale below queues that reload).
      this.storedPrevClose = null;
      this.feedPrevClose = null;
      this.dayStart = day;
      this.dayOpen = null;
      this.dayOpenKnown = false;
      this.dayHigh = null;
      this.dayLow = null;
      this.dayVolume = 0;
      this.vwapNumerator = 0;
      this.vwapVolume = 0;
      this.exchangeVwap = null;
      this.profileStale = true;
    }
    const feedPrevClose = knownPreviousClose(tick.prevClose);
    if (feedPrevClose !== null) this.feedPrevClose = feedPrevClose;
    if (tick.averagePrice) this.exchangeVwap = tick.averagePrice;
    const delta = tick.volume - this.dayVolume;
    if (delta > 0) {
      this.vwapNumerator += tick.ltp * delta;
      this.vwapVolume += delta;
    }
    this.dayVolume = Math.max(this.dayVolume, tick.volume);
    if (this.dayOpen === null) {
      this.dayOpen = tick.ltp;
      this.dayOpenKnown = tick.exchangeTime < sessionOpen(tick.exchangeTime) + 60_000;
    }
    this.dayHigh = Math.max(this.dayHigh ?? tick.ltp, tick.ltp);
    this.dayLow = Math.min(this.dayLow ?? tick.ltp, tick.ltp);
    this.ltp = tick.ltp;
    this.time = tick.exchangeTime;
  }

  /** Apply a closed candle from the live aggregator (queued until the warm start is done). */
  applyClosed(candle: Candle): void {
    if (this.warm === 'pending') {
      this.pendingClosed.push(candle);
      return;
    }
    this.closeCandle(candle.timeframe, candle);
  }

  private closeCandle(timeframe: Timeframe, candle: { bucket: number; high: number; low: number; close: number }): void {
    const last = this.lastClosedBucket.get(timeframe);
    if (last !== undefined && candle.bucket <= last) return; // an amendment or a duplicate: indicators move on
    this.sets.get(timeframe)!.close(candle);
    this.lastClosedBucket.set(timeframe, candle.bucket);
  }

  /** Seed the indicators and day statistics from stored history, then apply queued live candles. */
  warmStart(history: WarmHistory): void {
    const firstPending = new Map<Timeframe, number>();
    for (const candle of this.pendingClosed) {
      firstPending.set(candle.timeframe, Math.min(firstPending.get(candle.timeframe) ?? Infinity, candle.bucket));
    }
    for (const timeframe of TIMEFRAMES) {
      const limit = firstPending.get(timeframe) ?? Infinity;
      for (const candle of history.candles[timeframe] ?? []) if (candle.bucket < limit) this.closeCandle(timeframe, candle);
    }
    this.storedPrevClose = knownPreviousClose(history.prevClose);
    const today = history.today;
    if (today && today.bucket === this.dayStart) {
      // The stored part of today (ticks before this worker started) widens the day's range.
      this.dayOpen = today.open;
      this.dayOpenKnown = true;
      this.dayHigh = Math.max(this.dayHigh ?? today.high, today.high);
      this.dayLow = Math.min(this.dayLow ?? today.low, today.low);
    }
    this.profile = history.profile;
    const pending = this.pendingClosed;
    this.pendingClosed = [];
    this.warm = 'ready';
    for (const candle of pending) this.closeCandle(candle.timeframe, candle);
  }

  /**
   * Set the stored previous close loaded for the IST day starting at `dayStart` (after a day
   * rollover); ignored when the instrument has moved on to another day meanwhile.
   */
  setStoredPrevClose(dayStart: number, close: number | null): void {
    if (dayStart === this.dayStart) this.storedPrevClose = knownPreviousClose(close);
  }

  /**
   * Previous session close, rupees (lib/market/change.ts): the feed's (tick prevClose), else the
   * stored one (getPreviousCloses); null when neither is known.
   */
  get prevClose(): number | null {
    return this.feedPrevClose ?? this.storedPrevClose;
  }

  /** The row for `timeframe`; `openCandle` is the live aggregator's current candle, if any. */
  row(timeframe: Timeframe, openCandle: Candle | undefined): ScannerRow {
    const key = `${this.time}|${this.ltp}|${this.dayVolume}|${this.lastClosedBucket.get(timeframe)}|${openCandle?.bucket}|${openCandle?.volume}|${this.warm}|${this.profile ? 1 : 0}|${this.prevClose}`;
    const cached = this.rowCache.get(timeframe);
    if (cached?.key === key) return cached.row;
    const row = this.computeRow(timeframe, openCandle);
    this.rowCache.set(timeframe, { key, row });
    return row;
  }

  private computeRow(timeframe: Timeframe, openCandle: Candle | undefined): ScannerRow {
    const set = this.sets.get(timeframe)!;
    const bucket = bucketStart(this.time, timeframe);
    const lastClosed = this.lastClosedBucket.get(timeframe);
    if (this.ltp > 0 && (lastClosed === undefined || bucket > lastClosed)) set.setLive(this.ltp);

    const prevClose = this.prevClose;
    const { change: dayChange, changePct: dayChangePct } = priceChange(this.ltp, prevClose);
    const intraday = timeframe !== '1d';
    const candleVolume = intraday ? (openCandle && openCandle.bucket === bucket ? openCandle.volume : 0) : this.dayVolume;
    const ratio =
      this.kind === 'index'
        ? null
        : volumeRatio(this.profile, candleVolume, intraday ? bucket : this.dayStart, this.time);
    const values = set.values();
    const crosses = set.crosses();
    const range = set.range();
    const breakout = range ? (this.ltp > range.high ? 'up' : this.ltp < range.low ? 'down' : null) : null;
    const vwap = this.exchangeVwap ?? (this.vwapVolume > 0 ? this.vwapNumerator / this.vwapVolume : null);
    const changePct = intraday ? pct(this.ltp, set.lastClose) : dayChangePct;
    const bb = values.bollinger;
    const { score, bias } = opportunityScore({
      changePct,
      volumeRatio: ratio,
      macdHistogram: values.macd?.histogram ?? null,
      emaDiff: values.ema9 !== null && values.ema21 !== null ? values.ema9 - values.ema21 : null,
      breakout,
      ltp: this.ltp,
      bollinger: bb,
      rsi: values.rsi,
    });
    return {
      instrumentToken: this.instrumentToken,
      symbol: this.symbol,
      exchange: this.exchange,
      tradingsymbol: this.tradingsymbol,
      kind: this.kind,
      timeframe,
      time: this.time,
      ltp: this.ltp,
      prevClose,
      dayChange,
      dayChangePct,
      // A worker started mid-session without stored candles does not know the real open.
      gapPct: this.dayOpen === null || !this.dayOpenKnown ? null : pct(this.dayOpen, prevClose),
      dayOpen: this.dayOpen,
      dayHigh: this.dayHigh,
      dayLow: this.dayLow,
      dayVolume: this.dayVolume,
      turnover: this.ltp * this.dayVolume,
      changePct,
      volume: candleVolume,
      volumeRatio: ratio,
      rsi: values.rsi,
      macd: values.macd,
      macdCross: crosses.macd,
      bollinger: bb,
      percentB: bb && bb.upper > bb.lower ? (this.ltp - bb.lower) / (bb.upper - bb.lower) : null,
      ema9: values.ema9,
      ema21: values.ema21,
      emaCross: crosses.ema,
      sma20: values.sma20,
      sma50: values.sma50,
      smaCross: crosses.sma,
      rangeHigh: range?.high ?? null,
      rangeLow: range?.low ?? null,
      breakout,
      vwap,
      vwapDistancePct: vwap ? pct(this.ltp, vwap) : null,
      score,
      bias,
    };
  }
}
