/**
 * Live OHLCV candle builder: pure and synchronous per tick (no I/O, no clocks of its own).
 *
 * Rules (../shared/notes/market.md):
 * - Buckets come from lib/market/session.ts: intraday anchored at 09:15 IST like Kite's
 *   historical candles, daily from 00:00 IST.
 * - Candle volume is the difference of the cumulative day volume (Kite `volume_traded`) across
 *   the candle, never a sum of last-traded quantities: the feed is a conflated snapshot.
 *   The first tick seen for an instrument only sets the baseline, unless it is the first tick
 *   of the IST day at or before the session's first minute, when the whole cumulative volume
 *   (pre-open auction included) belongs to that candle. A new IST day resets the baseline.
 * - OI is the last value seen in the bucket.
 * - A candle closes when a tick of a later bucket arrives, or when `closeDue(now)` is called
 *   by the pipeline's timer after the bucket end (plus a grace period), whichever comes first.
 * - A late tick (older than the open bucket) that falls in the bucket closed last amends that
 *   candle, which is emitted again as closed; older ticks are counted in `lateTicks` and left
 *   out of candles (they are still stored as ticks).
 */
import { bucketStart, istDayStart, sessionOpen } from '@/lib/market/session';
import { symbolOf, type Candle, type Tick } from '@/lib/market/tick';
import { TIMEFRAME_MS, type Timeframe } from '@/lib/market/timeframes';

export interface AggregatorOptions {
  timeframes: readonly Timeframe[];
  /** Called synchronously with each closed (or amended closed) candle. The object is not reused. */
  onClose: (candle: Candle) => void;
  /** Extra time after a bucket's end before `closeDue` closes it, ms (default 0). */
  graceMs?: number;
}

interface InstrumentState {
  symbol: string;
  /** Highest cumulative volume seen today, or null before the first tick. */
  lastVolume: number | null;
  /** IST day start (epoch ms) of the last tick. */
  day: number;
  open: (Candle | undefined)[];
  lastClosed: (Candle | undefined)[];
  /** Exchange time of the last tick applied to each open candle (to order late amendments). */
  lastTickTime: number[];
}

export class CandleAggregator {
  private readonly states = new Map<number, InstrumentState>();
  private readonly timeframes: readonly Timeframe[];
  private readonly widths: number[];
  private readonly onClose: (candle: Candle) => void;
  private readonly graceMs: number;
  /** Ticks older than the last closed bucket, left out of candles. */
  lateTicks = 0;
  /** Candles closed so far (amendments not counted). */
  closedCount = 0;

  constructor(options: AggregatorOptions) {
    this.timeframes = options.timeframes;
    this.widths = options.timeframes.map((tf) => TIMEFRAME_MS[tf]);
    this.onClose = options.onClose;
    this.graceMs = options.graceMs ?? 0;
  }

  /** Apply one tick to every timeframe of its instrument. */
  apply(tick: Tick): void {
    const time = tick.exchangeTime;
    let state = this.states.get(tick.instrumentToken);
    if (!state) {
      state = {
        symbol: symbolOf(tick),
        lastVolume: null,
        day: istDayStart(time),
        open: new Array(this.timeframes.length),
        lastClosed: new Array(this.timeframes.length),
        lastTickTime: new Array(this.timeframes.length).fill(0),
      };
      this.states.set(tick.instrumentToken, state);
    }
    const delta = this.volumeDelta(state, tick);

    for (let i = 0; i < this.timeframes.length; i++) {
      const bucket = bucketStart(time, this.timeframes[i]);
      const open = state.open[i];
      if (open && open.bucket === bucket) {
        this.extend(open, tick, delta, time >= state.lastTickTime[i]);
        if (time > state.lastTickTime[i]) state.lastTickTime[i] = time;
        continue;
      }
      const closed = state.lastClosed[i];
      const newest = open ? open.bucket : closed ? closed.bucket : -Infinity;
      if (bucket > newest) {
        if (open) this.close(state, i);
        state.open[i] = this.start(tick, state.symbol, this.timeframes[i], bucket, delta);
        state.lastTickTime[i] = time;
      } else if (closed && closed.bucket === bucket) {
        const amended: Candle = { ...closed };
        this.extend(amended, tick, delta, false);
        state.lastClosed[i] = amended;
        this.onClose(amended);
      } else if (i === 0) {
        this.lateTicks++;
      }
    }
  }

  /** Close every open candle whose bucket ended at or before `now - graceMs`. Returns how many closed. */
  closeDue(now: number): number {
    let count = 0;
    for (const state of this.states.values()) {
      for (let i = 0; i < this.timeframes.length; i++) {
        const open = state.open[i];
        if (open && open.bucket + this.widths[i] + this.graceMs <= now) {
          this.close(state, i);
          count++;
        }
      }
    }
    return count;
  }

  /** Close every open candle now (shutdown: finalise what has been built). */
  closeAll(): number {
    return this.closeDue(Number.POSITIVE_INFINITY);
  }

  /** The open candle of an instrument and timeframe, if any (live object: copy before keeping). */
  current(instrumentToken: number, timeframe: Timeframe): Candle | undefined {
    const index = this.timeframes.indexOf(timeframe);
    return index < 0 ? undefined : this.states.get(instrumentToken)?.open[index];
  }

  private volumeDelta(state: InstrumentState, tick: Tick): number {
    const day = istDayStart(tick.exchangeTime);
    const volume = tick.volume;
    let baseline: number;
    if (day > state.day) {
      baseline = 0;
      state.day = day;
      state.lastVolume = null;
    } else if (state.lastVolume !== null) {
      baseline = state.lastVolume;
    } else {
      baseline = tick.exchangeTime < sessionOpen(tick.exchangeTime) + 60_000 ? 0 : volume;
    }
    state.lastVolume = state.lastVolume === null ? volume : Math.max(state.lastVolume, volume);
    return volume > baseline ? volume - baseline : 0;
  }

  private start(tick: Tick, symbol: string, timeframe: Timeframe, bucket: number, volume: number): Candle {
    return {
      instrumentToken: tick.instrumentToken,
      symbol,
      timeframe,
      bucket,
      open: tick.ltp,
      high: tick.ltp,
      low: tick.ltp,
      close: tick.ltp,
      volume,
      oi: tick.oi,
      closed: false,
    };
  }

  private extend(candle: Candle, tick: Tick, volume: number, isLatest: boolean): void {
    if (tick.ltp > candle.high) candle.high = tick.ltp;
    if (tick.ltp < candle.low) candle.low = tick.ltp;
    if (isLatest) {
      candle.close = tick.ltp;
      if (tick.oi !== null) candle.oi = tick.oi;
    }
    candle.volume += volume;
  }

  private close(state: InstrumentState, index: number): void {
    const candle = state.open[index]!;
    candle.closed = true;
    state.open[index] = undefined;
    state.lastClosed[index] = candle;
    this.closedCount++;
    this.onClose(candle);
  }
}
