/**
 * Automatic gap repair (issue 8, item 6): the worker finds the session minutes missing from
 * `candles_1m` for every instrument it collects and backfills them from the configured broker
 * history source (HISTORY_SOURCE), without anyone reading a chart.
 *
 * Which instruments: every instrument that ticks in this process (except the simulator's
 * synthetic ones, which no broker knows), plus the instruments subscribed by broker collectors of
 * the same broker as the history source (Kite tokens are only meaningful to Kite).
 *
 * When a run happens (runs never overlap; requests are coalesced):
 * - at start, and the first time an instrument ticks (a start or restart mid-session);
 * - when the live 1m candles of an instrument jump over session minutes (a feed reconnect or a
 *   dropped connection left a hole), and when a collector reports a reconnect;
 * - every `intervalMs` (default 1 min) while any tracked instrument's session is open or has
 *   just closed.
 *
 * What a run checks, per instrument (its own session calendar: configuredSessions().calendarFor):
 * the first time on an IST day, from the day of its previous stored session (at most
 * `lookbackDays` back) to now; afterwards, only from where the previous check ended. A minute
 * counts only once settled (./gap-rules.ts `settledBefore`: the current minute and the most
 * recent one are never gaps). Partial candles (candles_1m.partial) count as missing and are
 * replaced by the broker's candle. Minutes the live aggregator closed complete in this process
 * are known present without a query, so a healthy feed costs no database work.
 *
 * Once per gap: a closed day (history fetched after its close, `history_fetches`) is never asked
 * again; a gap of today is asked once it is closed (a later minute has a candle, or its trading
 * window has ended: a feed that is still down is not asked a minute at a time), and a minute of
 * today is asked at most once by this process (a restart may ask once more), whether or not the
 * broker had a candle for it (gap-rules.ts `selectWanted`). Requests go through the source, whose one
 * limiter per process paces them (Kite historical: 3 requests/s, ≤ 60 days of minute candles
 * per request: ../shared/notes/market.md); instruments are processed `requestsPerSecond` at a
 * time. A failing run (dead token, broker down) backs off 1, 2, 4 … 30 minutes.
 *
 * Modules: this file schedules runs and stores what they fetch; ./minute-ledger.ts keeps each
 * instrument's minute flags; ./repair-plan.ts decides what a run asks for.
 *
 * Progress: `health()` (GET /api/health → worker.gapRepair) and Prometheus metrics
 * (worker/metrics.ts). Without a history source the repairer is `off`: gaps stay listed by
 * GET /api/gaps.
 */
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { configuredSessions } from '@/lib/config/history-env';
import type { Database } from '@/lib/db/client';
import { findInstrumentsByTokens } from '@/lib/db/queries/instruments';
import type { Instrument } from '@/lib/market/instrument';
import { istDayStart } from '@/lib/market/session';
import type { MarketSessions } from '@/lib/market/sessions';
import type { Candle, FeedSource, Tick } from '@/lib/market/tick';
import type { GapRepairHealth } from '@/lib/runtime/host';
import type { HistoricalCandleSource } from '../sources/historical';
import { storeBrokerMinutes, type StoreProgress } from './backfill';
import { backoffMs, MINUTE_MS } from './gap-rules';
import { MinuteLedger } from './minute-ledger';
import type { PlannedRequest } from './plan';
import { planRepair, type RepairWork } from './repair-plan';

/** Emitted as 'run' after every run. */
export interface GapRepairRun {
  reason: string;
  instruments: number;
  requests: number;
  repaired: number;
  failed: number;
}

/** The collectors' view the repairer needs (worker/collectors/manager.ts CollectorManager). */
export interface CollectorsProbe {
  snapshots(): { name: string; broker: string; metrics: { reconnects: number } }[];
  get(name: string): Promise<{ instrumentStatus: { instrumentToken: number }[] }>;
}

export interface GapRepairerOptions {
  db: Database;
  /** The process's one history source (its limiter paces every request), or null: off. */
  source: HistoricalCandleSource | null;
  logger?: Logger;
  /** The feed's clock, epoch ms (virtual time for a replay): "now" for settledness and "today". */
  clock: () => number;
  /** CANDLE_GRACE_MS: how long after its end a 1m candle is closed. */
  graceMs: number;
  /** Extra wait for the candle writer to store a closed candle, ms (default 3,000). */
  settleMs?: number;
  /** Period of the scheduled runs, wall-clock ms (default 60,000). */
  intervalMs?: number;
  /** How far back the previous stored session is looked for, days (default 7). */
  lookbackDays?: number;
  /** Session rules (default configuredSessions(): MARKET_CALENDAR_EXTRA applied). */
  sessions?: MarketSessions;
  /** Broker collectors: their subscribed instruments are tracked, their reconnects trigger runs. */
  collectors?: () => CollectorsProbe | undefined;
  /**
   * Called with the instrument token after repaired candles were stored (after each request's
   * upsert and once more after the aggregate refresh), so memory and response caches drop what
   * the repair changed (worker/runtime.ts: CandleCache.invalidate; issue 12 point 3).
   */
  onStored?: (instrumentToken: number) => void;
}

export const GAP_REPAIR_DEFAULTS = { settleMs: 3000, intervalMs: 60_000, lookbackDays: 7 } as const;

export class GapRepairer extends EventEmitter {
  private readonly tracked = new Map<number, MinuteLedger>();
  /** Tokens seen ticking from the simulator (never repaired). */
  private readonly ignored = new Set<number>();
  private readonly settleMs: number;
  private readonly intervalMs: number;
  private readonly lookbackDays: number;
  private readonly sessions: MarketSessions;
  private timers: NodeJS.Timeout[] = [];
  private scheduled: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private rerun: string | null = null;
  private stopped = true;
  private failures = 0;
  private retryAt = 0;
  private lastReconnects = -1;
  private readonly abort = new AbortController();
  private readonly stats = { queued: 0, requests: 0, repaired: 0, failed: 0, runs: 0, lastRunAt: null as string | null, lastError: null as string | null };

  constructor(private readonly options: GapRepairerOptions) {
    super();
    this.settleMs = options.settleMs ?? GAP_REPAIR_DEFAULTS.settleMs;
    this.intervalMs = options.intervalMs ?? GAP_REPAIR_DEFAULTS.intervalMs;
    this.lookbackDays = options.lookbackDays ?? GAP_REPAIR_DEFAULTS.lookbackDays;
    this.sessions = options.sessions ?? configuredSessions();
  }

  /** Start the timers and a first run (no-op without a source). */
  start(): void {
    if (!this.options.source || !this.stopped) return;
    this.stopped = false;
    this.timers.push(
      setInterval(() => {
        if (this.inSession()) this.request('periodic');
      }, this.intervalMs),
      setInterval(() => this.pollCollectors(), 1000),
    );
    this.pollCollectors();
    this.request('start');
  }

  /** Stop the timers, abort a running request, and wait for the run to end. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    if (this.scheduled) clearTimeout(this.scheduled);
    this.scheduled = null;
    this.abort.abort();
    await this.running?.catch(() => undefined);
  }

  /** Pipeline hook (every accepted batch): track instruments as they first tick. O(1) per tick. */
  onTicks(ticks: readonly Tick[]): void {
    if (!this.options.source) return;
    let fresh = false;
    for (const tick of ticks) {
      if (this.tracked.has(tick.instrumentToken) || this.ignored.has(tick.instrumentToken)) continue;
      if (tick.feed === 'simulator') {
        this.ignored.add(tick.instrumentToken);
        continue;
      }
      this.track(
        {
          instrumentToken: tick.instrumentToken, exchange: tick.exchange, tradingsymbol: tick.tradingsymbol,
          name: null, segment: null, instrumentType: null, tickSize: null, lotSize: null, expiry: null, strike: null,
        },
        tick.feed,
      );
      fresh = true;
    }
    if (fresh) this.request('new instrument');
  }

  /** Pipeline hook (every closed candle): note live 1m candles and request a run on a hole. */
  onClosedCandle(candle: Candle): void {
    if (candle.timeframe !== '1m') return;
    const ledger = this.tracked.get(candle.instrumentToken);
    if (ledger?.noteClosed(candle)) this.request('hole');
  }

  health(): GapRepairHealth {
    const source = this.options.source;
    let state: GapRepairHealth['state'] = 'idle';
    if (!source) state = 'off';
    else if (this.running) state = 'running';
    else if (this.retryAt > Date.now()) state = 'backoff';
    return {
      state,
      source: source?.name ?? null,
      instruments: this.tracked.size,
      queued: this.stats.queued,
      requests: this.stats.requests,
      repaired: this.stats.repaired,
      failed: this.stats.failed,
      runs: this.stats.runs,
      lastRunAt: this.stats.lastRunAt,
      retryAt: state === 'backoff' ? new Date(this.retryAt).toISOString() : null,
      lastError: this.stats.lastError,
    };
  }

  /**
   * Ask for a run (coalesced: one run at a time, at most one more queued; while backing off, the
   * run waits for the retry time). `reason` is logged and reported in the 'run' event.
   */
  request(reason: string): void {
    if (this.stopped || !this.options.source) return;
    if (this.running) {
      this.rerun ??= reason;
      return;
    }
    if (this.scheduled) return;
    const delay = Math.max(0, this.retryAt - Date.now(), 50);
    this.scheduled = setTimeout(() => {
      this.scheduled = null;
      this.running = this.run(reason).finally(() => {
        this.running = null;
        const again = this.rerun;
        this.rerun = null;
        if (again) this.request(again);
      });
    }, delay);
  }

  private track(instrument: Instrument, feed: FeedSource | undefined): MinuteLedger {
    const calendar = this.sessions.calendarFor({ exchange: instrument.exchange, tradingsymbol: instrument.tradingsymbol, feed });
    const ledger = new MinuteLedger(instrument, feed, calendar, istDayStart(this.options.clock()));
    this.tracked.set(instrument.instrumentToken, ledger);
    return ledger;
  }

  /** True while a tracked instrument's session is open, or closed within the last few minutes. */
  private inSession(): boolean {
    const now = this.options.clock();
    const recent = now - 2 * MINUTE_MS - this.options.graceMs - this.settleMs;
    for (const t of this.tracked.values()) if (t.calendar.isOpen(now) || t.calendar.isOpen(recent)) return true;
    return false;
  }

  private pollCollectors(): void {
    const probe = this.options.collectors?.();
    if (!probe || !this.options.source) return;
    const snapshots = probe.snapshots().filter((s) => s.broker === this.options.source!.name);
    const reconnects = snapshots.reduce((n, s) => n + s.metrics.reconnects, 0);
    if (this.lastReconnects >= 0 && reconnects > this.lastReconnects) this.request('reconnect');
    this.lastReconnects = reconnects;
  }

  /** Track the instruments subscribed by collectors of the source's broker (rows from `instruments`). */
  private async trackSubscribed(): Promise<void> {
    const probe = this.options.collectors?.();
    if (!probe) return;
    const tokens = new Set<number>();
    for (const snapshot of probe.snapshots()) {
      if (snapshot.broker !== this.options.source!.name) continue;
      const detail = await probe.get(snapshot.name).catch(() => null);
      for (const status of detail?.instrumentStatus ?? []) {
        if (!this.tracked.has(status.instrumentToken)) tokens.add(status.instrumentToken);
      }
    }
    if (tokens.size === 0) return;
    for (const instrument of await findInstrumentsByTokens(this.options.db, [...tokens])) {
      if (!this.tracked.has(instrument.instrumentToken)) this.track(instrument, this.options.source!.name === 'kite' ? 'kite' : undefined);
    }
  }

  private async run(reason: string): Promise<void> {
    const source = this.options.source!;
    const summary: GapRepairRun = { reason, instruments: 0, requests: 0, repaired: 0, failed: 0 };
    let error: unknown = null;
    try {
      await this.trackSubscribed();
      const work: RepairWork[] = [];
      const context = { db: this.options.db, source, graceMs: this.options.graceMs, settleMs: this.settleMs, lookbackDays: this.lookbackDays };
      for (const ledger of this.tracked.values()) {
        if (this.stopped) break;
        const item = await planRepair(ledger, { ...context, now: this.options.clock() });
        if (item) work.push(item);
      }
      summary.instruments = work.length;
      this.stats.queued = work.reduce((n, w) => n + w.requests.length, 0);
      const concurrency = Math.max(1, Math.floor(source.limits.requestsPerSecond));
      const next = () => work.shift();
      const lanes = Array.from({ length: Math.min(concurrency, work.length) }, async () => {
        for (let item = next(); item && !this.stopped; item = next()) {
          try {
            await this.repair(item, summary);
          } catch (e) {
            error = e;
          }
        }
      });
      await Promise.all(lanes);
    } catch (e) {
      error = e;
    }
    this.stats.queued = 0;
    this.stats.runs++;
    this.stats.lastRunAt = new Date().toISOString();
    if (error && !this.stopped) {
      this.failures++;
      this.retryAt = Date.now() + backoffMs(this.failures);
      this.stats.lastError = error instanceof Error ? error.message : String(error);
      this.options.logger?.warn({ err: error, retryInMs: backoffMs(this.failures) }, 'gap repair failed; backing off');
    } else if (!error) {
      this.failures = 0;
      this.retryAt = 0;
    }
    if (summary.requests > 0) this.options.logger?.info(summary, 'gap repair run');
    this.emit('run', summary);
  }

  /** Fetch and store one instrument's planned requests; mark today's asked minutes. Throws the source's error. */
  private async repair(item: RepairWork, summary: GapRepairRun): Promise<void> {
    const { ledger: tracked, requests } = item;
    const today = tracked.day;
    const progress: StoreProgress = { fetched: 0, stored: 0, filled: [], requestsDone: 0 };
    const markAsked = (request: PlannedRequest) => tracked.markAsked(request.from, request.to);
    try {
      await storeBrokerMinutes(this.options.db, this.options.source!, tracked.instrument, requests, item.wanted, progress, {
        signal: this.abort.signal,
        onRequest: (request, stored) => {
          if (stored > 0) this.options.onStored?.(tracked.instrument.instrumentToken);
          markAsked(request);
          this.stats.requests++;
          this.stats.repaired += stored;
          this.stats.queued = Math.max(0, this.stats.queued - 1);
          summary.requests++;
          summary.repaired += stored;
        },
      });
      if (progress.stored > 0) this.options.onStored?.(tracked.instrument.instrumentToken); // 5m…1d refreshed
      if (tracked.day === today) tracked.checkedThrough = item.advanceTo;
    } catch (error) {
      if (progress.stored > 0) this.options.onStored?.(tracked.instrument.instrumentToken);
      if (this.stopped) return;
      this.stats.failed++;
      this.stats.requests++;
      summary.failed++;
      summary.requests++;
      throw error;
    }
  }
}

