/**
 * Live OHLCV candle builder: pure and synchronous per tick (no I/O, no clocks of its own).
 *
 * Rules (../shared/notes/market.md, lib/market/sessions.ts):
 * - Buckets come from lib/market/session.ts: intraday anchored at 09:15 IST like Kite's
 *   historical candles, daily from 00:00 IST.
 * - Only ticks inside the instrument's trading session (lib/market/sessions.ts: NSE/BSE/NFO/BFO
 *   09:15:00–15:29:59 IST, CDS 09:00–17:00, MCX to 23:30/23:55, Muhurat and special sessions
 *   from the calendar) form candles. Pre-open (09:00–09:15) and post-close ticks are stored
 *   by the pipeline but move no candle's open, high, low or close (counted in `outOfSession`).
 * - Candle volume is the difference of the cumulative day volume (Kite `volume_traded`) across
 *   the candle, never a sum of last-traded quantities: the feed is a conflated snapshot. Volume
 *   traded before a session window (the pre-open call auction) is carried into the first
 *   candle of that window; volume after the day's last window belongs to no candle.
 * - The cumulative-volume baseline of an instrument-day: from `seed` (stored data of that day,
 *   worker/pipeline/candle-seed.ts); else 0 when the first tick of the day arrives before the
 *   end of the first session minute (the whole pre-open volume is today's); else unknown: the
 *   first tick only sets the baseline and the candles it opens are marked `partial`.
 * - OI is the last value seen in the bucket.
 * - A candle closes when a tick of a later bucket arrives, or when `closeDue(now)` is called
 *   by the pipeline's timer after the bucket end (plus a grace period), whichever comes first.
 * - A late tick (older than the open bucket) that falls in the bucket closed last amends that
 *   candle, which is emitted again as closed; older ticks are counted in `lateTicks` and left
 *   out of candles (they are still stored as ticks).
 */
import type { SessionWindow } from '@/lib/market/calendar';
import { bucketStart, istDayStart } from '@/lib/market/session';
import { defaultMarketSessions } from '@/lib/market/sessions';
import { symbolOf, type Candle, type Tick } from '@/lib/market/tick';
import { TIMEFRAME_MS, type Timeframe } from '@/lib/market/timeframes';

export interface AggregatorOptions {
  timeframes: readonly Timeframe[];
  /** Called synchronously with each closed (or amended closed) candle. The object is not reused. */
  onClose: (candle: Candle) => void;
  /** Extra time after a bucket's end before `closeDue` closes it, ms (default 0). */
  graceMs?: number;
  /**
   * Trading windows of the tick's instrument on the tick's IST day (default: the built-in
   * session rules of lib/market/sessions.ts). Called once per instrument and day.
   */
  sessionWindows?: (tick: Tick) => SessionWindow[];
}

/**
 * What was stored for an instrument-day before this process saw its first tick of that day
 * (built by worker/pipeline/candle-seed.ts). Units as in Candle: rupees, epoch ms UTC.
 */
export interface InstrumentSeed {
  instrumentToken: number;
  /** "EXCHANGE:TRADINGSYMBOL". */
  symbol: string;
  /** IST day start, epoch ms. */
  day: number;
  /** Cumulative day volume of the newest stored tick of that day, or null when none is stored. */
  lastVolume: number | null;
  /**
   * Stored 1m candles of that day (ascending): folded into the open candle of each timeframe
   * that contains the newest of them, so a restart continues the candle in progress.
   */
  candles: readonly Omit<Candle, 'symbol' | 'timeframe' | 'closed' | 'instrumentToken'>[];
}

interface InstrumentState {
  symbol: string;
  /** Highest cumulative volume seen today, or null before the first tick (baseline unknown). */
  lastVolume: number | null;
  /** IST day start (epoch ms) of the last tick, or -Infinity before the first. */
  day: number;
  /** Trading windows of `day`. */
  windows: SessionWindow[];
  /** Volume traded outside the session but before a later window of the day (pre-open auction). */
  carry: number;
  /** Baseline decided for `day` (by a seed or the first tick). */
  baselineSet: boolean;
  /** Seeded state: `windows` still to be computed from the first tick (which names the exchange). */
  windowsPending: boolean;
  open: (Candle | undefined)[];
  lastClosed: (Candle | undefined)[];
  /** Exchange time of the last tick applied to each open candle (to order late amendments). */
  lastTickTime: number[];
  /** Exchange time of the last tick applied to each timeframe's last closed candle. */
  lastClosedTickTime: number[];
}

export class CandleAggregator {
  private readonly states = new Map<number, InstrumentState>();
  private readonly timeframes: readonly Timeframe[];
  private readonly widths: number[];
  private readonly onClose: (candle: Candle) => void;
  private readonly graceMs: number;
  private readonly sessionWindows: (tick: Tick) => SessionWindow[];
  /** Ticks older than the last closed bucket, left out of candles. */
  lateTicks = 0;
  /** Ticks outside their instrument's session (pre-open, post-close, holidays), left out of candles. */
  outOfSession = 0;
  /** Candles closed so far (amendments not counted). */
  closedCount = 0;

  constructor(options: AggregatorOptions) {
    this.timeframes = options.timeframes;
    this.widths = options.timeframes.map((tf) => TIMEFRAME_MS[tf]);
    this.onClose = options.onClose;
    this.graceMs = options.graceMs ?? 0;
    this.sessionWindows = options.sessionWindows ?? ((tick) => defaultMarketSessions.windows(tick, tick.exchangeTime));
  }

  /**
   * Continue an instrument-day from stored data (call right before its first tick of that day
   * is applied). Candles of the instrument still open are closed first; its state is replaced.
   */
  seed(seed: InstrumentSeed): void {
    const previous = this.states.get(seed.instrumentToken);
    if (previous) {
      // Candles still open from an earlier day are finished before the day starts over.
      for (let i = 0; i < this.timeframes.length; i++) if (previous.open[i]) this.close(previous, i);
    }
    const state = this.newState(seed.symbol, seed.day, []);
    state.windowsPending = true; // the windows need the instrument's exchange: from its first tick
    state.lastVolume = seed.lastVolume;
    state.baselineSet = seed.lastVolume !== null;
    const newest = seed.candles.at(-1);
    if (newest) {
      for (let i = 0; i < this.timeframes.length; i++) {
        const bucket = bucketStart(newest.bucket, this.timeframes[i]);
        let candle: Candle | undefined;
        for (const c of seed.candles) {
          if (c.bucket < bucket) continue;
          if (!candle) {
            candle = { ...c, instrumentToken: seed.instrumentToken, symbol: seed.symbol, timeframe: this.timeframes[i], bucket, closed: false };
            if (!c.partial) delete candle.partial;
            continue;
          }
          if (c.high > candle.high) candle.high = c.high;
          if (c.low < candle.low) candle.low = c.low;
          candle.close = c.close;
          candle.volume += c.volume;
          if (c.oi !== null) candle.oi = c.oi;
          if (c.partial) candle.partial = true;
        }
        state.open[i] = candle;
        state.lastTickTime[i] = newest.bucket;
      }
    }
    this.states.set(seed.instrumentToken, state);
  }

  /** Apply one tick to every timeframe of its instrument. */
  apply(tick: Tick): void {
    const time = tick.exchangeTime;
    let state = this.states.get(tick.instrumentToken);
    if (!state) {
      state = this.newState(symbolOf(tick), Number.NEGATIVE_INFINITY, []);
      this.states.set(tick.instrumentToken, state);
    }
    const day = istDayStart(time);
    if (day > state.day) {
      state.day = day;
      state.windows = this.sessionWindows(tick);
      state.lastVolume = null;
      state.baselineSet = false;
      state.carry = 0;
    } else if (state.windowsPending) {
      state.windows = this.sessionWindows(tick);
      state.windowsPending = false;
    }
    const windows = state.windows;
    let inSession = false;
    let laterWindow = false;
    for (const w of windows) {
      if (time >= w.open && time < w.close) inSession = true;
      else if (time < w.open) laterWindow = true;
    }
    let partial = false;
    let delta: number;
    if (!state.baselineSet) {
      state.baselineSet = true;
      const first = windows[0];
      if (first && time < first.open + 60_000) {
        delta = tick.volume;
      } else {
        delta = 0;
        partial = inSession;
      }
      state.lastVolume = tick.volume;
    } else if (day < state.day) {
      delta = 0; // a tick of an earlier day (late): no volume for it
    } else {
      const base = state.lastVolume ?? tick.volume;
      delta = tick.volume > base ? tick.volume - base : 0;
      if (state.lastVolume === null || tick.volume > state.lastVolume) state.lastVolume = tick.volume;
    }

    if (!inSession) {
      this.outOfSession++;
      if (laterWindow && day === state.day) state.carry += delta;
      return;
    }
    if (state.carry > 0 && day === state.day) {
      delta += state.carry;
      state.carry = 0;
    }

    for (let i = 0; i < this.timeframes.length; i++) {
      const bucket = bucketStart(time, this.timeframes[i]);
      const open = state.open[i];
      if (open && open.bucket === bucket) {
        this.extend(open, tick, delta, time >= state.lastTickTime[i]);
        if (partial) open.partial = true;
        if (time > state.lastTickTime[i]) state.lastTickTime[i] = time;
        continue;
      }
      const closed = state.lastClosed[i];
      const newest = open ? open.bucket : closed ? closed.bucket : -Infinity;
      if (bucket > newest) {
        if (open) this.close(state, i);
        const candle = this.start(tick, state.symbol, this.timeframes[i], bucket, delta);
        if (partial) candle.partial = true;
        state.open[i] = candle;
        state.lastTickTime[i] = time;
      } else if (closed && closed.bucket === bucket) {
        // A tick of the bucket closed last (closed early by the timer, or a late tick): amend it;
        // the close moves only if the tick is newer than every tick already in the candle.
        const amended: Candle = { ...closed };
        const newer = time >= state.lastClosedTickTime[i];
        this.extend(amended, tick, delta, newer);
        if (newer) state.lastClosedTickTime[i] = time;
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

  /** The open candle of an instrument and timeframe, else the one closed last (live object). */
  newestCandle(instrumentToken: number, timeframe: Timeframe): Candle | undefined {
    const index = this.timeframes.indexOf(timeframe);
    const state = index < 0 ? undefined : this.states.get(instrumentToken);
    return state?.open[index] ?? state?.lastClosed[index];
  }

  /** IST day (epoch ms) the aggregator holds state for, per instrument (-Infinity when none). */
  dayOf(instrumentToken: number): number {
    return this.states.get(instrumentToken)?.day ?? Number.NEGATIVE_INFINITY;
  }

  private newState(symbol: string, day: number, windows: SessionWindow[]): InstrumentState {
    const n = this.timeframes.length;
    return {
      symbol,
      lastVolume: null,
      day,
      windows,
      carry: 0,
      baselineSet: false,
      windowsPending: false,
      open: new Array(n),
      lastClosed: new Array(n),
      lastTickTime: new Array(n).fill(0),
      lastClosedTickTime: new Array(n).fill(0),
    };
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
    state.lastClosedTickTime[index] = state.lastTickTime[index];
    this.closedCount++;
    this.onClose(candle);
  }
}
