/**
 * `npm run bench`: throughput report on the embedded database (a report, not a test).
 *
 * 1. End to end: replay feed at max speed over a generated tick file (marketdesk CSV) →
 *    aggregator + write-ahead journal + buffer → idempotent set-based writer, until every tick
 *    is stored (the worker's real path).
 * 2. Raw write ceiling: binary COPY of the same rows, already in memory, in 10k batches; and
 *    the idempotent INSERT … ON CONFLICT the writer uses, on the same rows.
 * 3. Per-row INSERT path (one statement per tick, what the seeds do), on a sample.
 * 4. Aggregator alone (6 timeframes), ticks/s.
 * Then the ratios between them. BENCH_TICKS (default 300000) sets the size.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openEmbeddedDatabase, type Database } from '@/lib/db/client';
import { migrateDatabase } from '@/lib/db/migrate';
import { copyTicks, countTicks, insertTicks } from '@/lib/db/queries/ticks';
import type { Tick } from '@/lib/market/tick';
import { TIMEFRAMES } from '@/lib/market/timeframes';
import { createReplayFeed } from '@/worker/sources/replay/replay';
import { formatMarketdeskCsvRow, MARKETDESK_HEADER } from '@/worker/sources/formats';
import { CandleAggregator } from '@/worker/pipeline/aggregator';
import { TickPipeline } from '@/worker/pipeline/pipeline';

const TICKS = Number(process.env.BENCH_TICKS ?? 300_000);
const INSTRUMENTS = 200;
const PER_ROW_SAMPLE = 3_000;
/** The worker's FLUSH_SIZE default (1,000); BENCH_FLUSH_SIZE shows the effect of larger batches. */
const FLUSH_SIZE = Number(process.env.BENCH_FLUSH_SIZE ?? 1000);

/** Deterministic ticks: INSTRUMENTS instruments, ~4 ticks/s each from 09:15 IST. */
function generateTicks(count: number, startMs = Date.parse('2025-12-29T09:15:00+05:30')): Tick[] {
  const ticks: Tick[] = new Array(count);
  const prices = Array.from({ length: INSTRUMENTS }, (_, i) => 100 + i * 7.5);
  const volumes = new Array(INSTRUMENTS).fill(0);
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  for (let n = 0; n < count; n++) {
    const i = n % INSTRUMENTS;
    prices[i] = Math.max(1, Math.round((prices[i] * (1 + (random() - 0.5) * 0.002)) * 20) / 20);
    const quantity = 1 + Math.floor(random() * 500);
    volumes[i] += quantity;
    ticks[n] = {
      instrumentToken: 5_000_000 + i,
      exchange: 'NSE',
      tradingsymbol: `BENCH${i}`,
      exchangeTime: startMs + Math.floor((n / INSTRUMENTS) * 250),
      ltp: prices[i],
      lastQuantity: quantity,
      volume: volumes[i],
      averagePrice: prices[i],
      oi: null,
      bidPrice: prices[i] - 0.05,
      bidQuantity: 100,
      askPrice: prices[i] + 0.05,
      askQuantity: 120,
      feed: 'replay',
    };
  }
  return ticks;
}

async function freshDatabase(dir: string): Promise<Database> {
  const db = await openEmbeddedDatabase(dir);
  await migrateDatabase(db);
  return db;
}

async function timed<T>(run: () => Promise<T>): Promise<{ result: T; seconds: number }> {
  const started = process.hrtime.bigint();
  const result = await run();
  return { result, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

const rate = (n: number, seconds: number) => Math.round(n / seconds);
const fmt = (n: number) => n.toLocaleString('en-US');

async function main(): Promise<void> {
  const work = mkdtempSync(path.join(tmpdir(), 'marketdesk-bench-'));
  const ticks = generateTicks(TICKS);
  const file = path.join(work, 'ticks.csv');
  writeFileSync(file, `${MARKETDESK_HEADER}\n${ticks.map((t) => formatMarketdeskCsvRow(t)).join('\n')}\n`);
  console.log(`marketdesk bench: ${fmt(TICKS)} ticks, ${INSTRUMENTS} instruments, flush size ${fmt(FLUSH_SIZE)}, embedded PGlite+TimescaleDB on disk`);

  // 1. End to end.
  const db = await freshDatabase(path.join(work, 'db'));
  const feed = createReplayFeed({ file, speed: 'max' });
  const pipeline = new TickPipeline({
    db,
    flushSize: FLUSH_SIZE,
    flushIntervalMs: 1000,
    maxBufferTicks: 200_000,
    candleGraceMs: 0,
    clock: () => feed.now(),
    journalDir: path.join(work, 'journal'),
  });
  pipeline.start();
  const endToEnd = await timed(async () => {
    for await (const batch of feed.ticks(new AbortController().signal)) {
      const wait = pipeline.accept(batch);
      if (wait) await wait;
    }
    return pipeline.stop({ finalise: true });
  });
  const stored = await countTicks(db);
  if (stored !== TICKS) throw new Error(`end to end stored ${stored} of ${TICKS} ticks`);

  // 2. Raw COPY ceiling on the same rows.
  await db.query('TRUNCATE ticks');
  const copy = await timed(async () => {
    for (let i = 0; i < ticks.length; i += 10_000) await copyTicks(db, ticks.slice(i, i + 10_000));
  });

  // 2b. The idempotent set-based INSERT the worker uses (same rows, 10k batches), no journal.
  await db.query('TRUNCATE ticks');
  const sequenced = ticks.map((t) => ({ ...t, seq: 0 }));
  const idempotent = await timed(async () => {
    for (let i = 0; i < sequenced.length; i += 10_000) await insertTicks(db, sequenced.slice(i, i + 10_000));
  });

  // 3. Per-row INSERT.
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
  await db.close();

  // 4. Aggregator alone: several passes over ever-later copies of the ticks.
  let closed = 0;
  const aggregator = new CandleAggregator({ timeframes: TIMEFRAMES, onClose: () => closed++ });
  const passes = Math.max(1, Math.ceil(2_000_000 / TICKS));
  const span = ticks[ticks.length - 1].exchangeTime - ticks[0].exchangeTime + 86_400_000;
  const shifted = Array.from({ length: passes }, (_, p) => ticks.map((t) => ({ ...t, exchangeTime: t.exchangeTime + p * span })));
  const aggregate = await timed(async () => {
    for (const pass of shifted) for (const t of pass) aggregator.apply(t);
  });

  const e2eRate = rate(TICKS, endToEnd.seconds);
  const copyRate = rate(TICKS, copy.seconds);
  const idempotentRate = rate(TICKS, idempotent.seconds);
  const perRowRate = rate(PER_ROW_SAMPLE, perRow.seconds);
  const aggregatorRate = rate(TICKS * passes, aggregate.seconds);
  console.table({
    'end to end (replay max → aggregator + journal + idempotent writer)': { 'ticks/s': fmt(e2eRate), seconds: endToEnd.seconds.toFixed(2) },
    'raw write ceiling: binary COPY (10k batches)': { 'ticks/s': fmt(copyRate), seconds: copy.seconds.toFixed(2) },
    'idempotent INSERT … ON CONFLICT (10k batches)': { 'ticks/s': fmt(idempotentRate), seconds: idempotent.seconds.toFixed(2) },
    [`per-row INSERT (${fmt(PER_ROW_SAMPLE)} sample)`]: { 'ticks/s': fmt(perRowRate), seconds: perRow.seconds.toFixed(2) },
    [`aggregator alone (6 timeframes, ${fmt(TICKS * passes)} ticks)`]: { 'ticks/s': fmt(aggregatorRate), seconds: aggregate.seconds.toFixed(2) },
  });
  console.log(`end to end / raw COPY ceiling: ${((e2eRate / copyRate) * 100).toFixed(0)}%   (aim ≥ 70%)`);
  console.log(`end to end / idempotent INSERT ceiling: ${((e2eRate / idempotentRate) * 100).toFixed(0)}%`);
  console.log(`end to end / per-row INSERT:   ${(e2eRate / perRowRate).toFixed(1)}×   (aim ≥ 20×)`);
  console.log(`end to end:                    ${fmt(e2eRate)} ticks/s   (aim ≥ 40,000)`);
  console.log(`aggregator alone:              ${fmt(aggregatorRate)} ticks/s   (aim ≥ 2,000,000; ${closed} candles closed)`);
  rmSync(work, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
