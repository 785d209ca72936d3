/**
 * The worker's composition: feed → pipeline (aggregator, buffer/writer) → broadcaster, plus the
 * embedded TimescaleDB job runner. Used by the single-process host (worker/host.ts) and by the
 * stand-alone worker (worker/index.ts); both own the HTTP/Socket.IO server and the database.
 */
import type { Logger } from 'pino';
import type { WorkerEnv } from '@/lib/config/worker-env';
import type { Database } from '@/lib/db/client';
import path from 'node:path';
import { configuredSessions } from '@/lib/config/history-env';
import { applyStoragePolicy } from '@/lib/db/queries/policies';
import type { WorkerHealth } from '@/lib/runtime/host';
import type { TickFeed } from './sources/feed';
import { planSimulatorHistorySeed } from './sources/simulator/history-seed';
import { isSimulatorFeed } from './sources/simulator/simulator';
import { createFeed } from './sources';
import { pumpSource } from './sources/pump';
import { recordStateChanges } from './sources/state-recorder';
import { CollectorsSource } from './collectors/collectors-source';
import { startCollectors, type CollectorService } from './collectors/service';
import { EmbeddedJobRunner } from './jobs/embedded-jobs';
import { TickPipeline } from './pipeline/pipeline';
import { Broadcaster, type RealtimeServer } from './realtime/broadcaster';
import { startDesk, type Desk } from './scanner/desk';
import type { HistoricalCandleSource } from './sources/historical';
import { GapRepairer } from './backfill/gap-repairer';

export interface WorkerHandle {
  readonly feed: TickFeed;
  readonly pipeline: TickPipeline;
  /** Scanner and alert engine (worker/scanner/desk.ts). */
  readonly desk: Desk;
  /** Broker collectors (issue 3, worker/collectors/service.ts). */
  readonly collectors: CollectorService;
  health(): WorkerHealth;
  /** Automatic gap repair from the history source (worker/backfill/gap-repairer.ts). */
  readonly gapRepair: GapRepairer;
  /** Resolves when the feed ends by itself (a replay reaching the end of its file). */
  readonly feedEnded: Promise<void>;
  /** Resolves when the simulator's first-start history is written (at once when none is needed; never rejects). */
  readonly historySeeded: Promise<void>;
  /** Stop the feed, persist buffered ticks and candles (bounded by `timeoutMs`), stop timers. */
  stop(timeoutMs?: number): Promise<boolean>;
}

/** Start the worker on an open, migrated database and an attached Socket.IO server. */
export async function startWorker(options: {
  db: Database;
  env: WorkerEnv;
  io: RealtimeServer;
  logger: Logger;
  feed?: TickFeed;
  /** The process's broker history source (HISTORY_SOURCE), for gap repair; null/absent: off. */
  history?: HistoricalCandleSource | null;
}): Promise<WorkerHandle> {
  const { db, env, io, logger } = options;
  let collectors: CollectorService | undefined;
  // Every tick source has one contract (worker/sources/feed.ts); the broker collectors are one
  // more source, and the main feed when FEED=collectors.
  const collectorsSource = new CollectorsSource();
  const feed = options.feed ?? (env.FEED === 'collectors' ? collectorsSource : await createFeed(env, logger));
  const startedAt = new Date().toISOString();
  let broadcaster: Broadcaster | undefined;
  const sessions = configuredSessions();
  const desk = startDesk({ db, io, logger, openCandles: () => pipeline.aggregator });
  // Gap repair from the broker history source (off without one): docs/storage.md.
  const gapRepair = new GapRepairer({
    db, source: options.history ?? null, logger, clock: () => feed.now(), graceMs: env.CANDLE_GRACE_MS, collectors: () => collectors?.manager,
    // Repaired candles replace what memory and the /api/candles caches hold (issue 12 point 3).
    onStored: (token) => pipeline.recent.invalidate(token),
  });
  const pipeline = new TickPipeline({
    db,
    logger,
    flushSize: env.FLUSH_SIZE,
    flushIntervalMs: env.FLUSH_INTERVAL_MS,
    maxBufferTicks: env.MAX_BUFFER_TICKS,
    journalDir: env.JOURNAL_DIR ? path.resolve(env.JOURNAL_DIR) : path.join(env.dataDir, 'journal'),
    maxJournalBytes: env.MAX_JOURNAL_MB * 1024 * 1024,
    writeTimeoutMs: env.WRITE_TIMEOUT_MS,
    candleGraceMs: env.CANDLE_GRACE_MS,
    sessionWindows: (tick) => sessions.windows(tick, tick.exchangeTime),
    continueFromStorage: true,
    clock: () => feed.now(),
    onTicks: (ticks) => {
      broadcaster?.onTicks(ticks);
      desk.onTicks(ticks);
      gapRepair.onTicks(ticks);
    },
    onClosedCandle: (candle) => {
      broadcaster?.onClosedCandle(candle);
      desk.onClosedCandle(candle);
      gapRepair.onClosedCandle(candle);
    },
  });
  broadcaster = new Broadcaster(io, pipeline.aggregator, env.CONFLATE_MS);
  const jobs = db.kind === 'embedded' ? new EmbeddedJobRunner(db, logger) : null;

  try {
    const changed = await applyStoragePolicy(db, {
      retentionDays: {
        ticks: env.RETENTION_TICKS_DAYS,
        order_book: env.RETENTION_ORDER_BOOK_DAYS,
        candles_1m: env.RETENTION_1M_DAYS,
        candles_5m: env.RETENTION_5M_DAYS,
        candles_15m: env.RETENTION_15M_DAYS,
        candles_30m: env.RETENTION_30M_DAYS,
        candles_1h: env.RETENTION_1H_DAYS,
        candles_1d: env.RETENTION_1D_DAYS,
      },
      compressAfterHours: env.COMPRESS_TICKS_AFTER_HOURS,
    });
    if (changed.length > 0) logger.info({ changed }, 'storage policies updated from configuration');
  } catch (error) {
    logger.warn({ err: error }, 'could not apply storage policies; keeping the existing ones');
  }
  // Feed state changes → feed_events (the gap ledger's record of disconnects and reconnects),
  // subscribed to the feed's typed state events: no change is missed, however short.
  const initial = feed.status();
  const feedEvents = recordStateChanges(db, feed.events, logger, [
    { source: initial.name, state: initial.state, previous: null, at: Date.now(), detail: initial.detail ?? null },
  ]);

  await pipeline.registry.register(feed.instruments());
  // First start on the simulator: a few sessions of 1m history (worker/sources/simulator/history-seed.ts),
  // decided now (candles_1m empty) and written in the background while the live feed runs; the
  // scanner's warm start waits for it.
  let historySeeded: Promise<void> = Promise.resolve();
  if (isSimulatorFeed(feed)) {
    const plan = await planSimulatorHistorySeed(db, feed, { beforeMs: feed.now() });
    if (plan) {
      const startedMs = Date.now();
      historySeeded = plan.run().then(
        (seed) => logger.info({ days: seed.days, candles: seed.candles, ms: Date.now() - startedMs }, 'simulator history seeded'),
        (error: unknown) => logger.error({ err: error }, 'simulator history seed failed'),
      );
      desk.scanner.holdWarmStart(historySeeded);
    }
  }
  await pipeline.start();
  // Broker collectors: drained like the feed, the pipeline's backpressure awaited before the next
  // batch (a socket cannot be paused: its ticks wait in the source's live queue meanwhile).
  const live = new AbortController();
  const collectorsDrained =
    feed === collectorsSource
      ? Promise.resolve()
      : pumpSource(collectorsSource, (ticks) => pipeline.accept(ticks), live.signal).then(
          () => undefined,
          (error: unknown) => logger.error({ err: error }, 'collectors source failed'),
        );
  collectors = await startCollectors({ db, configPath: env.MARKETDESK_CONFIG, source: collectorsSource, logger });
  broadcaster.start();
  jobs?.start();
  gapRepair.start();

  const abort = new AbortController();
  let feedError: string | null = null;
  const feedEnded = (async () => {
    try {
      await pumpSource(feed, (batch) => pipeline.accept(batch), abort.signal);
      if (!abort.signal.aborted) {
        // The recording is over: its last candles will get no more ticks, so close them now.
        await pipeline.settle();
        const closed = pipeline.aggregator.closeAll();
        logger.info({ feed: feed.name, ticks: pipeline.ticksAccepted, closed }, 'feed ended; open candles closed');
      }
    } catch (error) {
      feedError = error instanceof Error ? error.message : String(error);
      logger.error({ err: error, feed: feed.name }, 'feed failed');
    }
  })();

  return {
    feed,
    pipeline,
    collectors,
    desk,
    gapRepair,
    feedEnded,
    historySeeded,
    health() {
      const status = feed.status();
      const buffer = pipeline.buffer.stats;
      return {
        ok: feedError === null && status.state !== 'failed',
        startedAt,
        feed: {
          name: status.name,
          state: feedError ? 'failed' : status.state,
          ticksEmitted: status.ticksEmitted,
          lastTickTime: status.lastTickTime === null ? null : new Date(status.lastTickTime).toISOString(),
          detail: feedError ?? status.detail,
        },
        pipeline: {
          ticksAccepted: pipeline.ticksAccepted,
          ticksWritten: buffer.written,
          bufferDepth: buffer.depth,
          writeErrors: buffer.writeErrors + pipeline.candles.errors,
          lastFlushAt: buffer.lastFlushAt === null ? null : new Date(buffer.lastFlushAt).toISOString(),
          candlesClosed: pipeline.aggregator.closedCount,
          lateTicks: pipeline.aggregator.lateTicks,
          outOfSessionTicks: pipeline.aggregator.outOfSession,
          continued: { instrumentDays: pipeline.gate.seeds, failures: pipeline.gate.failures },
          storage: {
            memoryTicks: buffer.memoryTicks,
            spilledTicks: buffer.spilledTicks,
            journalBytes: buffer.journalBytes,
            journalSegments: buffer.journalSegments,
            oldestUnflushedMs: buffer.oldestUnflushedMs,
            duplicatesSkipped: buffer.duplicatesSkipped,
            journalErrors: buffer.journalErrors,
            recoveredTicks: buffer.recoveredTicks,
            lastError: buffer.lastError,
          },
        },
        realtime: { clients: broadcaster!.clients },
        collectors: collectors!.health(),
        gapRepair: gapRepair.health(),
      };
    },
    async stop(timeoutMs = 10_000) {
      await collectors!.stop();
      abort.abort();
      live.abort();
      await Promise.race([Promise.all([feedEnded, collectorsDrained]), new Promise((r) => setTimeout(r, 2000))]);
      collectorsSource.close();
      feedEvents.stop();
      await feedEvents.idle();
      broadcaster!.stop();
      await gapRepair.stop();
      const persisted = await pipeline.stop({ timeoutMs });
      await historySeeded; // the seed's COPY and refreshes finish before the database closes
      await desk.stop();
      await jobs?.stop();
      return persisted;
    },
  };
}
