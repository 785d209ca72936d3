/**
 * The tick pipeline: feed batches → aggregator (synchronous, per tick) and buffer → writer;
 * closed candles → candle writer and broadcaster; ticks → broadcaster.
 *
 * Data flows one way. Timers: a candle-close timer on the feed's clock (so a replay closes
 * candles on its virtual time), and the candle writer's flush.
 */
import type { Logger } from 'pino';
import type { Database } from '@/lib/db/client';
import { insertOrderBook } from '@/lib/db/queries/order-book';
import { writeTicks } from '@/lib/db/queries/ticks';
import type { Candle, Tick } from '@/lib/market/tick';
import { TIMEFRAMES } from '@/lib/market/timeframes';
import { AggregateRefresher } from './aggregate-refresher';
import type { SessionWindow } from '@/lib/market/calendar';
import { CandleAggregator } from './aggregator';
import { CandleCache, candleCacheCapacity } from './candle-cache';
import { applySeeded, databaseSeedLoader, type PreparedSeeds } from './candle-seed';
import { PreviousCloseBook } from './previous-close-book';
import { SeedGate } from './seed-gate';
import { CandleWriter } from './candle-writer';
import { InstrumentRegistry } from './instrument-registry';
import { TickBuffer } from './tick-buffer';
import { CandleJournal } from '../storage/candle-journal';
import { TickJournal } from '../storage/journal';
import { TickSequencer } from '../storage/tick-sequencer';

export interface PipelineOptions {
  db: Database;
  logger?: Logger;
  flushSize: number;
  flushIntervalMs: number;
  /** Ticks held in memory; beyond it they live only in the journal (or, without one, the feed waits). */
  maxBufferTicks: number;
  /**
   * Write-ahead journal folder (DATA_DIR/journal in the worker). Leftover segments from a
   * previous run are replayed first. Without it, unwritten ticks are lost if the process dies.
   */
  journalDir?: string;
  /** Journal size beyond which the feed is made to wait (bytes). */
  maxJournalBytes?: number;
  /** A tick write slower than this is treated as failed and retried (idempotently). */
  writeTimeoutMs?: number;
  candleGraceMs: number;
  /** The feed's clock, epoch ms (virtual time for replays). */
  clock: () => number;
  /** Trading windows of a tick's instrument on its IST day (default: lib/market/sessions.ts built-in rules). */
  sessionWindows?: (tick: Tick) => SessionWindow[];
  /**
   * Continue each instrument-day from stored data before aggregating its first tick (restart
   * continuation, worker/pipeline/candle-seed.ts). Default false (tests that build candles
   * from scratch); the worker turns it on.
   */
  continueFromStorage?: boolean;
  /** Receives ticks and closed candles for browsers (optional: tests and CLIs run without one). */
  onTicks?: (ticks: readonly Tick[]) => void;
  onClosedCandle?: (candle: Candle) => void;
}

export class TickPipeline {
  readonly aggregator: CandleAggregator;
  /** Recent closed candles + the open ones, for reads at memory speed (candle-cache.ts). */
  readonly recent: CandleCache;
  readonly buffer: TickBuffer;
  readonly candles: CandleWriter;
  readonly registry: InstrumentRegistry;
  readonly refresher: AggregateRefresher;
  readonly sequencer = new TickSequencer();
  /** Holds batches until their instrument-days are continued from storage (candle-seed.ts). */
  readonly gate: SeedGate;
  /** Stored previous closes stamped on broadcast ticks that lack the feed's own. */
  readonly previousCloses = new PreviousCloseBook();
  ticksAccepted = 0;
  private timers: NodeJS.Timeout[] = [];

  constructor(private readonly options: PipelineOptions) {
    this.registry = new InstrumentRegistry(options.db);
    const tickJournal = options.journalDir ? TickJournal.open(options.journalDir) : undefined;
    this.candles = new CandleWriter(
      options.db,
      options.logger,
      options.journalDir ? new CandleJournal(options.journalDir) : undefined,
    );
    this.refresher = new AggregateRefresher(options.db, options.logger);
    this.aggregator = new CandleAggregator({
      timeframes: TIMEFRAMES,
      graceMs: options.candleGraceMs,
      sessionWindows: options.sessionWindows,
      onClose: (candle) => {
        this.candles.add(candle);
        this.recent.add(candle);
        options.onClosedCandle?.(candle);
      },
    });
    this.recent = new CandleCache(this.aggregator, candleCacheCapacity());
    this.gate = new SeedGate(
      options.continueFromStorage ? databaseSeedLoader(options.db) : null,
      (ticks, seeds) => this.deliver(ticks, seeds),
      options.logger,
    );
    this.buffer = new TickBuffer({
      flushSize: options.flushSize,
      flushIntervalMs: options.flushIntervalMs,
      maxTicks: options.maxBufferTicks,
      journal: tickJournal?.journal,
      maxJournalBytes: options.maxJournalBytes,
      writeTimeoutMs: options.writeTimeoutMs,
      logger: options.logger,
      // The three statements are independent (no foreign keys; each is idempotent, so a batch
      // retried after one of them failed stores nothing twice): sent together, they queue on
      // the database thread (or run on pooled connections) without a round trip between them.
      write: async (batch) => {
        const [, inserted] = await Promise.all([
          this.registry.registerFromTicks(batch),
          writeTicks(options.db, batch),
          insertOrderBook(options.db, batch),
        ]);
        return inserted;
      },
    });
    if (tickJournal && tickJournal.recovered.length > 0) {
      this.buffer.recover(tickJournal.recovered);
      options.logger?.warn(
        { segments: tickJournal.recovered.length, ticks: this.buffer.stats.recoveredTicks },
        'replaying the tick journal left by the previous run',
      );
    }
  }

  /**
   * Start the flush and candle-close timers. When a previous run left ticks in the journal,
   * they are written first (within `recoveryTimeoutMs`) so that restart continuation sees them.
   */
  async start({ recoveryTimeoutMs = 30_000 } = {}): Promise<void> {
    if (this.buffer.stats.recoveredTicks > 0) {
      const written = await this.buffer.drain(Date.now() + recoveryTimeoutMs);
      if (!written) this.options.logger?.warn('journal from the previous run not fully written yet; continuing');
    }
    this.buffer.start();
    this.timers.push(
      // Candles close on the feed's clock, but not while batches wait for seeds: the clock is
      // then ahead of ticks not yet aggregated, which would close their candles early.
      setInterval(() => {
        if (!this.gate.busy) this.aggregator.closeDue(this.options.clock());
      }, 250),
      setInterval(() => void this.flushCandles(), this.options.flushIntervalMs),
    );
  }

  /**
   * Upsert closed 1m candles, then make 5m … 1d reflect them (aggregate-refresher.ts: refreshes
   * the aggregates whose watermark is past the written buckets; called on every flush, empty or
   * failed ones included, so its own retries run). False when the upsert failed.
   */
  private async flushCandles(): Promise<boolean> {
    const written = await this.candles.flush();
    // Rows below the memory coverage changed: the web side's cached database rows are stale.
    if (written && written.length > 0) this.recent.written(written);
    await this.refresher.afterWrite(written ? written.map((candle) => candle.bucket) : []);
    return written !== null;
  }

  /**
   * Accept one batch from a feed. Resolves at once, or once the buffer has room again when it
   * is over its bound (the caller should await it before pulling the next batch).
   */
  accept(ticks: readonly Tick[]): Promise<void> | void {
    // Journal first (inside push): from here on the ticks survive a crash.
    const wait = this.buffer.push(this.sequencer.assign(ticks));
    this.ticksAccepted += ticks.length;
    this.gate.push(ticks);
    return wait;
  }

  /** Aggregate and broadcast a batch whose instrument-days are continued from storage. */
  private deliver(ticks: readonly Tick[], seeds?: PreparedSeeds): void {
    applySeeded(this.aggregator, ticks, seeds, (prepared) =>
      this.previousCloses.note(prepared, (token) => this.aggregator.newestCandle(token, '1d')),
    );
    this.options.onTicks?.(this.previousCloses.stamp(ticks));
  }

  /** Resolves once every accepted tick has reached the aggregator (none waits for a seed). */
  settle(): Promise<void> {
    return this.gate.idle();
  }

  /**
   * Stop timers and persist: all buffered ticks, closed candles, and the open 1m candles as
   * they stand (`finalise`), within `timeoutMs`. Returns false if something could not be written.
   */
  async stop({ timeoutMs = 10_000, finalise = true } = {}): Promise<boolean> {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    const deadline = Date.now() + timeoutMs;
    await Promise.race([this.gate.idle(), new Promise((r) => setTimeout(r, Math.max(0, timeoutMs / 2)))]);
    if (finalise) this.aggregator.closeDue(this.options.clock());
    const ticksDrained = await this.buffer.drain(deadline);
    this.buffer.stop();
    if (finalise) this.aggregator.closeAll();
    let candlesWritten = await this.flushCandles();
    while (!candlesWritten && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      candlesWritten = await this.flushCandles();
    }
    this.candles.close();
    await this.refresher.refresh();
    return ticksDrained && candlesWritten;
  }
}
