/**
 * The real-time scanner: follows every instrument that ticks, keeps its day statistics and
 * per-timeframe indicators (instrument-state.ts), and answers preset queries (presets.ts).
 *
 * Wiring (worker/runtime.ts): the pipeline's `onTicks` and `onClosedCandle` callbacks feed it;
 * `openCandles` (the pipeline's aggregator) gives each timeframe's current candle volume.
 *
 * Warm start: an instrument seen for the first time is queued; a background loop loads, for
 * batches of up to `warmBatch` instruments, their newest stored candles per timeframe
 * (lib/db/queries/scanner-history.ts) and their volume by minute of day over the previous ≤20
 * sessions, so indicators and volume ratios are valid from the first minute. Closed live
 * candles arriving meanwhile are queued and applied after the history. A failed load is retried
 * after 5 s; nothing blocks the tick path. On a new IST day an instrument's volume profile and
 * its stored previous close are reloaded (yesterday becomes part of its history).
 *
 * Previous close and day change (lib/market/change.ts): the tick's `prevClose` when the feed
 * sends one, else getPreviousCloses (lib/db/queries/previous-close.ts) as of the instrument's IST
 * day; null until one of them is known (never the day's open or the first price seen).
 */
import type { OpenCandleSource } from '@/lib/contracts/candle';
import type { Logger } from 'pino';
import type { Database } from '@/lib/db/client';
import { getPreviousCloses } from '@/lib/db/queries/previous-close';
import { getMinuteVolumeHistory, getRecentCandlesForMany } from '@/lib/db/queries/scanner-history';
import { DAY_MS, bucketStart, istDayStart } from '@/lib/market/session';
import type { ScannerAccess, ScannerQuery, ScannerResult, ScannerRow } from '@/lib/market/scanner';
import type { Candle, Tick } from '@/lib/market/tick';
import { TIMEFRAMES, type Timeframe } from '@/lib/market/timeframes';
import { InstrumentScanState, type HistoryCandle, type WarmHistory } from './instrument-state';
import { applyPreset } from './presets';
import { VolumeProfile } from './volume-profile';


/** How far back warm-start history looks per timeframe (calendar days) and how many candles it keeps. */
export const WARM_LOOKBACK_DAYS: Record<Timeframe, number> = { '1m': 4, '5m': 10, '15m': 20, '30m': 40, '1h': 60, '1d': 400 };
export const WARM_CANDLES = 100;

export type { OpenCandleSource };

export interface ScannerOptions {
  db: Database;
  logger?: Pick<Logger, 'info' | 'warn' | 'error'>;
  openCandles?: OpenCandleSource;
  /** Instruments warmed per database round (default 200). */
  warmBatch?: number;
  /** Wall clock for `asOf` (default Date.now). */
  now?: () => number;
}

export class Scanner implements ScannerAccess {
  private readonly states = new Map<number, InstrumentScanState>();
  private readonly bySymbol = new Map<string, number>();
  private readonly warmQueue = new Set<number>();
  private readonly profileQueue = new Set<number>();
  private timer: NodeJS.Timeout | null = null;
  private loading: Promise<void> | null = null;
  private retryAt = 0;
  /** Warm start waits while this is set (history still being written, holdWarmStart). */
  private hold: Promise<unknown> | null = null;
  /** Bumped by every tick batch and closed candle: rows computed at an older generation are stale. */
  private generation = 0;
  private readonly rowsMemo = new Map<Timeframe, { generation: number; rows: ScannerRow[] }>();
  /** Instruments whose history has been loaded. */
  warmed = 0;
  warmErrors = 0;

  constructor(private readonly options: ScannerOptions) {}

  /** Start the warm-start loop (every 200 ms while work is queued). */
  start(): void {
    this.timer ??= setInterval(() => void this.warmPending(), 200);
  }

  /** Stop the loop and wait for a load in flight. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.loading;
  }

  /** Number of instruments followed. */
  get size(): number {
    return this.states.size;
  }

  /** Pipeline callback: a batch of ticks (cheap: state updates only). */
  onTicks(ticks: readonly Tick[]): void {
    this.generation++;
    for (const tick of ticks) {
      let state = this.states.get(tick.instrumentToken);
      if (!state) {
        state = new InstrumentScanState(tick.instrumentToken, tick.exchange, tick.tradingsymbol, tick);
        this.states.set(tick.instrumentToken, state);
        this.bySymbol.set(state.symbol, tick.instrumentToken);
        this.warmQueue.add(tick.instrumentToken);
      }
      state.applyTick(tick);
      if (state.profileStale && state.warm === 'ready') {
        state.profileStale = false;
        this.profileQueue.add(tick.instrumentToken);
      }
    }
  }

  /** Pipeline callback: a closed candle of any timeframe. */
  onClosedCandle(candle: Candle): void {
    this.generation++;
    this.states.get(candle.instrumentToken)?.applyClosed(candle);
  }

  /**
   * Hold warm starts until `until` settles (resolved or rejected): the simulator's first-start
   * history is written in the background (worker/sources/simulator/history-seed.ts), and an
   * instrument warmed before it lands would miss it until the next day. Ticks are followed
   * meanwhile; queued instruments are warmed once it settles.
   */
  holdWarmStart(until: Promise<unknown>): void {
    const hold = until.then(
      () => undefined,
      () => undefined,
    );
    this.hold = hold;
    void hold.then(() => {
      if (this.hold === hold) this.hold = null;
    });
  }

  /** Load history for queued instruments now (also called by the loop); resolves when done. */
  warmPending(): Promise<void> {
    if (this.hold) return this.hold.then(() => this.warmPending());
    if (this.loading) return this.loading;
    if (this.warmQueue.size === 0 && this.profileQueue.size === 0) return Promise.resolve();
    if (Date.now() < this.retryAt) return Promise.resolve();
    this.loading = this.loadBatch()
      .catch((error) => {
        this.warmErrors += 1;
        this.retryAt = Date.now() + 5000;
        this.options.logger?.warn({ err: error }, 'scanner warm start failed; retrying in 5 s');
      })
      .finally(() => {
        this.loading = null;
      });
    return this.loading;
  }

  private async loadBatch(): Promise<void> {
    const size = this.options.warmBatch ?? 200;
    const warmTokens = [...this.warmQueue].slice(0, size);
    if (warmTokens.length) {
      const states = warmTokens.map((token) => this.states.get(token)!);
      const histories = await this.loadHistory(states);
      for (const state of states) {
        state.warmStart(histories.get(state.instrumentToken)!);
        this.warmQueue.delete(state.instrumentToken);
        this.warmed += 1;
      }
      return;
    }
    // A new IST day: reload the volume profile and the stored previous close for that day.
    const profileTokens = [...this.profileQueue].slice(0, size);
    const states = profileTokens.map((token) => this.states.get(token)!);
    const byDay = groupBy(states, (state) => state.dayStart);
    for (const [day, group] of byDay) {
      const tokens = group.map((s) => s.instrumentToken);
      const profiles = await getMinuteVolumeHistory(this.options.db, tokens, new Date(day));
      const closes = await getPreviousCloses(this.options.db, tokens, day);
      for (const state of group) {
        state.profile = toProfile(profiles.get(state.instrumentToken));
        state.setStoredPrevClose(day, closes.get(state.instrumentToken)?.close ?? null);
      }
    }
    for (const token of profileTokens) this.profileQueue.delete(token);
  }

  /** History of a batch: per timeframe, candles before the bucket of each instrument's first tick. */
  private async loadHistory(states: InstrumentScanState[]): Promise<Map<number, WarmHistory>> {
    const { db } = this.options;
    const result = new Map<number, WarmHistory>(
      states.map((state) => [state.instrumentToken, { candles: {}, today: null, profile: null, prevClose: null }]),
    );
    const tokens = states.map((s) => s.instrumentToken);
    const latestFirst = Math.max(...states.map((s) => s.firstTime));
    for (const timeframe of TIMEFRAMES) {
      // One statement for the batch up to the latest first-tick bucket (+1 day for today's 1d
      // candle); each instrument then keeps what lies before its own first bucket.
      const to = timeframe === '1d' ? istDayStart(latestFirst) + DAY_MS : bucketStart(latestFirst, timeframe);
      const from = new Date(Math.min(...states.map((s) => s.firstTime)) - WARM_LOOKBACK_DAYS[timeframe] * DAY_MS);
      const candles = await getRecentCandlesForMany(db, {
        instrumentTokens: tokens,
        timeframe,
        from,
        to: new Date(to),
        perInstrument: WARM_CANDLES + 1,
      });
      for (const state of states) {
        const history = result.get(state.instrumentToken)!;
        const limit = timeframe === '1d' ? istDayStart(state.firstTime) : bucketStart(state.firstTime, timeframe);
        const list: HistoryCandle[] = [];
        for (const candle of candles.get(state.instrumentToken) ?? []) {
          const item = { ...candle, bucket: candle.bucket.getTime() };
          if (item.bucket < limit) list.push(item);
          else if (timeframe === '1d' && item.bucket === limit) history.today = item;
        }
        history.candles[timeframe] = list.slice(-WARM_CANDLES);
      }
    }
    for (const [day, group] of groupBy(states, (state) => istDayStart(state.firstTime))) {
      const profiles = await getMinuteVolumeHistory(db, group.map((s) => s.instrumentToken), new Date(day));
      for (const state of group) result.get(state.instrumentToken)!.profile = toProfile(profiles.get(state.instrumentToken));
    }
    // Previous session close as of each instrument's current IST day (the one definition).
    for (const [day, group] of groupBy(states, (state) => state.dayStart)) {
      const closes = await getPreviousCloses(db, group.map((s) => s.instrumentToken), day);
      for (const state of group) result.get(state.instrumentToken)!.prevClose = closes.get(state.instrumentToken)?.close ?? null;
    }
    return result;
  }

  /**
   * Every followed instrument's row on `timeframe` (unordered). Built once per timeframe until the
   * next tick batch or closed candle (`generation`), so a full rescan (every preset, issue 12
   * point 5) computes the rows once per timeframe and only filters and sorts per preset. The
   * array and rows are shared: callers must not mutate them.
   */
  rows(timeframe: Timeframe): ScannerRow[] {
    const memo = this.rowsMemo.get(timeframe);
    if (memo && memo.generation === this.generation) return memo.rows;
    const rows: ScannerRow[] = [];
    for (const state of this.states.values()) {
      if (state.ltp <= 0) continue;
      rows.push(state.row(timeframe, this.options.openCandles?.current(state.instrumentToken, timeframe)));
    }
    this.rowsMemo.set(timeframe, { generation: this.generation, rows });
    return rows;
  }

  /** One instrument's row, or undefined when it has not ticked. */
  row(instrumentToken: number, timeframe: Timeframe): ScannerRow | undefined {
    const state = this.states.get(instrumentToken);
    return state && state.ltp > 0 ? state.row(timeframe, this.options.openCandles?.current(instrumentToken, timeframe)) : undefined;
  }

  /** Ranked rows of a preset (ScannerAccess). */
  scan(query: ScannerQuery): ScannerResult {
    const asOf = (this.options.now ?? Date.now)();
    if (query.symbols) {
      const rows: ScannerRow[] = [];
      for (const symbol of query.symbols) {
        const token = this.bySymbol.get(symbol);
        const row = token === undefined ? undefined : this.row(token, query.timeframe);
        if (row) rows.push(row);
      }
      return { preset: query.preset, timeframe: query.timeframe, asOf, universe: this.states.size, rows };
    }
    const all = this.rows(query.timeframe);
    return {
      preset: query.preset,
      timeframe: query.timeframe,
      asOf,
      universe: all.length,
      rows: applyPreset(all, query.preset, query.limit, query.exchange),
    };
  }
}

function toProfile(history: { minutes: Map<number, number>; sessions: number } | undefined): VolumeProfile | null {
  return history && history.sessions > 0 ? new VolumeProfile(history.minutes, history.sessions) : null;
}

function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
