/**
 * Ingest area (issue 12 point 4): on one fresh database per run,
 *
 * 1. end to end: replay feed at max speed over a generated marketdesk CSV (BENCH_TICKS ticks,
 *    default 300,000) → sequencer → write-ahead journal → tick buffer (FLUSH_SIZE, default the
 *    worker's 1,000) → idempotent writer (binary COPY, ON CONFLICT fallback), aggregator, candle
 *    writer and aggregate refreshes, until every tick is stored; checks the count and that no
 *    natural key is stored twice → `ingest_ticks_per_s`;
 * 2. the ceiling: binary COPY of the same rows (encoded in the loop, 10k per statement) into the
 *    same `ticks` table with the same indexes, after TRUNCATE → `copy_ceiling_ticks_per_s`;
 * 3. per-row INSERT, one autocommit statement per tick, on a sample → `per_row_ticks_per_s`;
 * 4. the aggregator alone over ≥ 2M ticks → `aggregator_ticks_per_s`;
 * and, for the notes, the database time of the end-to-end span by statement and each
 * serving-side stage alone (parse delivery, sequencer + journal, COPY encoding): where the time goes.
 * The embedded database runs on its thread unless EMBEDDED_DB_THREAD=0 (the "before" path).
 */
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { copyTicks, countDuplicateTicks, countTicks, encodeTicks } from '@/lib/db/queries/ticks';
import type { Tick } from '@/lib/market/tick';
import { TIMEFRAMES } from '@/lib/market/timeframes';
import { CandleAggregator } from '@/worker/pipeline/aggregator';
import { TickPipeline } from '@/worker/pipeline/pipeline';
import { formatMarketdeskCsvRow, MARKETDESK_HEADER } from '@/worker/sources/formats';
import { createReplayFeed, parseThreadByDefault } from '@/worker/sources/replay/replay';
import { TickJournal } from '@/worker/storage/journal';
import { TickSequencer } from '@/worker/storage/tick-sequencer';
import type { BenchArea, BenchContext } from './figures';
import { threadTimingsSince, timedDatabase } from './db-timing';
import { benchDatabase, generateTicks, INSTRUMENTS } from './ticks';

const TICKS = Number(process.env.BENCH_TICKS ?? 300_000);
const PER_ROW_SAMPLE = Number(process.env.BENCH_PER_ROW ?? 1_000);
const FLUSH_SIZE = Number(process.env.BENCH_FLUSH_SIZE ?? 1000);
const COPY_BATCH = 10_000;

async function timed<T>(run: () => Promise<T> | T): Promise<{ result: T; seconds: number }> {
  const started = process.hrtime.bigint();
  const result = await run();
  return { result, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

const rate = (n: number, seconds: number) => Math.round(n / seconds);

/**
 * Seconds each serving-thread stage takes alone over `ticks`: the replay feed's delivery of the
 * parsed file (on its thread + hand-over, or in process: parseThreadByDefault), the sequencer
 * with the journal append (sync writes into `journalDir`, sealed every 10k ticks as the buffer
 * does), and the binary COPY encoding.
 */
async function stageTimes(file: string, ticks: readonly Tick[], journalDir: string) {
  const parse = await timed(async () => {
    let n = 0;
    for await (const batch of createReplayFeed({ file, speed: 'max' }).ticks(new AbortController().signal)) n += batch.length;
    return n;
  });
  const { journal } = TickJournal.open(journalDir);
  const sequencer = new TickSequencer();
  const journalled = await timed(() => {
    for (let i = 0; i < ticks.length; i += 1000) {
      journal.append(sequencer.assign(ticks.slice(i, i + 1000)));
      if ((i + 1000) % 10_000 === 0) journal.seal();
    }
    journal.close();
  });
  rmSync(journalDir, { recursive: true, force: true });
  const encode = await timed(() => {
    for (let i = 0; i < ticks.length; i += COPY_BATCH) encodeTicks(ticks.slice(i, i + COPY_BATCH));
  });
  return { parse: parse.seconds, journal: journalled.seconds, encode: encode.seconds };
}

async function run(context: BenchContext) {
  const ticks = generateTicks(TICKS);
  const file = path.join(context.workDir, 'ticks.csv');
  writeFileSync(file, `${MARKETDESK_HEADER}\n${ticks.map((t) => formatMarketdeskCsvRow(t)).join('\n')}\n`);
  context.log(`ingest: ${TICKS.toLocaleString('en-US')} ticks, ${INSTRUMENTS} instruments, flush size ${FLUSH_SIZE}`);
  const { db, drop } = await benchDatabase(context, 'ingest');
  try {
    // 1. End to end.
    const feed = createReplayFeed({ file, speed: 'max' });
    const timing = timedDatabase(db);
    const threadBefore = threadTimingsSince(db, null);
    const pipeline = new TickPipeline({
      db: timing.db,
      flushSize: FLUSH_SIZE,
      flushIntervalMs: 1000,
      maxBufferTicks: 200_000,
      candleGraceMs: 0,
      clock: () => feed.now(),
      journalDir: path.join(context.workDir, `journal-${context.backend.kind}`),
    });
    await pipeline.start();
    const endToEnd = await timed(async () => {
      for await (const batch of feed.ticks(new AbortController().signal)) {
        const wait = pipeline.accept(batch);
        if (wait) await wait;
      }
      return pipeline.stop({ finalise: true });
    });
    // Database time of the timed span only (the checks below are not part of it). On the
    // database thread: execution time (queueing excluded); otherwise wall time per call.
    const statements = threadTimingsSince(db, threadBefore) ?? timing.timings();
    const stored = await countTicks(db);
    const duplicates = await countDuplicateTicks(db);
    if (stored !== TICKS || duplicates !== 0) throw new Error(`end to end stored ${stored} of ${TICKS} ticks, ${duplicates} duplicates`);
    const dbTime =
      `${statements.reduce((sum, t) => sum + t.ms, 0) / 1000 > 0 ? (statements.reduce((sum, t) => sum + t.ms, 0) / 1000).toFixed(2) : '0'} s in all: ` +
      statements
        .slice(0, 5)
        .map((t) => `${t.kind} ×${t.count} ${(t.ms / 1000).toFixed(2)} s`)
        .join(', ');
    context.log(`ingest: end to end ${endToEnd.seconds.toFixed(2)} s; database calls: ${dbTime}`);

    // 2. COPY ceiling on the same rows, same table and indexes.
    await db.query('TRUNCATE ticks');
    const copy = await timed(async () => {
      for (let i = 0; i < ticks.length; i += COPY_BATCH) await copyTicks(db, ticks.slice(i, i + COPY_BATCH));
    });
    context.log(`ingest: COPY ceiling ${copy.seconds.toFixed(2)} s`);

    // 3. Per-row INSERT on a sample.
    await db.query('TRUNCATE ticks');
    const sample = ticks.slice(0, PER_ROW_SAMPLE);
    const perRow = await timed(async () => {
      for (const t of sample) {
        await db.query(
          `INSERT INTO ticks (time, instrument_token, ltp, last_quantity, volume, average_price, oi, bid_price, bid_quantity, ask_price, ask_quantity, feed)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
          [new Date(t.exchangeTime).toISOString(), t.instrumentToken, t.ltp, t.lastQuantity, t.volume, t.averagePrice, t.oi, t.bidPrice, t.bidQuantity, t.askPrice, t.askQuantity, t.feed],
        );
      }
    });

    // Where the end-to-end time goes: each stage alone over the same ticks (single-threaded
    // figures; end to end runs parsing, the serving thread and the database thread in parallel).
    const stages = await stageTimes(file, ticks, path.join(context.workDir, 'journal-stages'));

    // 4. Aggregator alone: passes over ever-later copies of the ticks.
    const aggregator = new CandleAggregator({ timeframes: TIMEFRAMES, onClose: () => {} });
    const passes = Math.max(1, Math.ceil(2_000_000 / TICKS));
    const span = ticks[ticks.length - 1].exchangeTime - ticks[0].exchangeTime + 86_400_000;
    const shifted = Array.from({ length: passes }, (_, p) => ticks.map((t) => ({ ...t, exchangeTime: t.exchangeTime + p * span })));
    const aggregate = await timed(() => {
      for (const pass of shifted) for (const t of pass) aggregator.apply(t);
    });

    const ingest = rate(TICKS, endToEnd.seconds);
    const ceiling = rate(TICKS, copy.seconds);
    const perRowRate = rate(PER_ROW_SAMPLE, perRow.seconds);
    return {
      figures: {
        ingest_ticks_per_s: ingest,
        copy_ceiling_ticks_per_s: ceiling,
        per_row_ticks_per_s: perRowRate,
        aggregator_ticks_per_s: rate(TICKS * passes, aggregate.seconds),
      },
      notes: {
        'ingest / COPY ceiling': `${((ingest / ceiling) * 100).toFixed(0)}% (aim ≥ 70%)`,
        'ingest / per-row': `${(ingest / perRowRate).toFixed(1)}× (aim ≥ 20×)`,
        'ingest database time (end to end, by statement)': dbTime,
        'ingest stages alone (s)': `replay parse (CSV → ticks, delivered; ${parseThreadByDefault('max') ? 'on its thread' : 'in process'}) ${stages.parse.toFixed(2)}, sequencer + journal append ${stages.journal.toFixed(2)}, aggregator ${(TICKS / rate(TICKS * passes, aggregate.seconds)).toFixed(2)}, COPY encode ${stages.encode.toFixed(2)}, COPY ceiling (encode + COPY) ${copy.seconds.toFixed(2)}; end to end ${endToEnd.seconds.toFixed(2)}`,
        'ingest setup': `${TICKS.toLocaleString('en-US')} ticks, flush size ${FLUSH_SIZE}, ${context.backend.kind === 'embedded' ? `embedded ${process.env.EMBEDDED_DB_THREAD === '0' ? 'in-process' : 'on its thread'}` : 'server'}; stored ${stored}, duplicates ${duplicates}`,
      },
    };
  } finally {
    await drop();
  }
}

export const ingestArea: BenchArea = {
  id: 'ingest',
  keys: ['ingest_ticks_per_s', 'copy_ceiling_ticks_per_s', 'per_row_ticks_per_s', 'aggregator_ticks_per_s'],
  run,
};
