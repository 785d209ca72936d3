/**
 * Replay feed: streams a recorded tick CSV (any format in worker/sources/formats) as a `TickFeed`.
 *
 * - Streams with csv-parse (./records.ts; on a worker thread at speed 'max' when the machine
 *   has a core for it: ./parse-thread.ts, PARSE_THREAD_MIN_CORES; the file is never loaded
 *   whole); each record is normalised by its format; bad records (wrong column count, bad
 *   numbers, CSV syntax errors) are counted and skipped with a reason (`skipped`,
 *   `skippedRecords()`, `status().detail`), never thrown.
 * - Ticks are yielded in file order. Files are expected in exchange-time order; one that steps
 *   backwards (Breeze receive-time jitter) is NOT reordered: pacing follows the running maximum
 *   exchange time (see replay-clock.ts).
 * - speed 1 = real time, N = N× faster (sleeps the inter-tick gap / N), 'max' = no sleeping,
 *   batches of up to `batchSize` (default 1000) ticks, paced by the consumer pulling; every
 *   SLICE_MS of continuous work the replay lets the event loop serve I/O (setImmediate).
 * - Pacing runs on an injectable `clock` (real time and timers; worker/sources/clock.ts).
 * - State changes (starting → live → finished | stopped | failed) are `state` events on `events`.
 * - `now()` is the virtual clock (exchange time of the replay position); `instruments()` the
 *   format's known instruments (NIFTY 50 for nse-index-csv, else []): every tick carries
 *   exchange, tradingsymbol and token, from which the pipeline upserts instruments.
 * - Creation throws a clear Error for a missing file, an unknown format, an undetectable
 *   format or a header lacking the format's columns.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Instrument } from '@/lib/market/instrument';
import type { Tick } from '@/lib/market/tick';
import { detectFormat, FORMAT_IDS, getFormat, type FormatId, type TickFormat } from '../formats';
import { splitHeaderLine } from '../formats/fields';
import { sleepOn, systemClock, type Clock } from '../clock';
import type { FeedStatus, TickFeed } from '../feed';
import { SourceEvents, StateTracker } from '../source-events';
import { usableCores } from '../../cpu-budget';
import { ReplayClock } from './replay-clock';
import { readRecordChunks, type SkippedRecord } from './records';
import { readRecordChunksOnThread } from './threaded-records';

export interface ReplayFeedOptions {
  /** Path of the CSV file (relative paths resolve against the process cwd). */
  file: string;
  /** Format id, or 'auto' (default) to detect it from the first line. */
  format?: 'auto' | FormatId;
  /** 1 = real time, N > 0 = N× faster, 'max' = as fast as the consumer pulls. */
  speed: number | 'max';
  /** Largest batch yielded (default 1000). */
  batchSize?: number;
  /**
   * Parse and normalise the file on a worker thread (./parse-thread.ts), off the event loop that
   * serves HTTP and Socket.IO. Default: `parseThreadByDefault` (at speed 'max' with a core to
   * spare for it; a real-time replay parses ~ticks/s only).
   */
  parseThread?: boolean;
  logger?: Pick<Logger, 'info' | 'warn'>;
  /** Real clock and timers for pacing and state-change times (default systemClock; tests inject one). */
  clock?: Clock;
}

/** A skipped record: 1-based line number in the file (0 if unknown) and the reason. */
export type { SkippedRecord } from './records';

export interface ReplayFeed extends TickFeed {
  /** Absolute path of the replayed file. */
  readonly file: string;
  readonly format: FormatId;
  /** Number of records skipped so far. */
  readonly skipped: number;
  /** The first SKIPPED_SAMPLE_LIMIT skipped records with reasons. */
  skippedRecords(): SkippedRecord[];
}

/**
 * Longest stretch, ms, that a replay keeps the event loop to itself (its consumer's work on the
 * batches included) before letting I/O through with a `setImmediate`. Without it a max-speed
 * replay fed by the parse thread ran for seconds without returning to the loop (a MessagePort
 * delivers every queued chunk in one callback, and the thread refills it), stalling HTTP.
 * 4 ms (was 8): the health bench's event-loop delay p99 went 44–48 → 36 ms (docs/operations.md).
 */
export const SLICE_MS = 4;

/** Yields to the event loop once `ms` of continuous work has passed since the last yield. */
class WorkSlice {
  private started = performance.now();
  constructor(private readonly ms: number) {}
  async check(): Promise<void> {
    if (performance.now() - this.started < this.ms) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.started = performance.now();
  }
}

/**
 * Cores a machine needs before a max-speed replay parses on its own thread: one each for the
 * serving thread, the embedded database thread and the parser. With fewer, the three threads
 * (and V8's compiler and GC helpers) queue for the cores: on 2 cores, ingest ran at 64–68% of the
 * COPY ceiling with the parse thread and 72–76% parsing in process (`npm run bench`, ingest), the
 * health probe's p99 under load staying within its aim either way (the replay yields every
 * SLICE_MS). docs/operations.md, "Replay parsing".
 */
export const PARSE_THREAD_MIN_CORES = 3;

/**
 * Whether a replay at `speed` parses on a thread when not told: at 'max' with PARSE_THREAD_MIN_CORES
 * usable cores (affinity CPUs capped by a container's CPU quota, worker/cpu-budget.ts).
 */
export function parseThreadByDefault(speed: number | 'max', cores = usableCores()): boolean {
  return speed === 'max' && cores >= PARSE_THREAD_MIN_CORES;
}

/** How many skipped records are kept with their reasons (the count is always exact). */
export const SKIPPED_SAMPLE_LIMIT = 100;
const LOGGED_SKIPS = 20;

/** First line of a file without terminator or BOM ('' for an empty file). Reads at most 64 KiB. */
export function readFirstLine(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const n = readSync(fd, buffer, 0, buffer.length, 0);
    const text = buffer.subarray(0, n).toString('utf8').replace(/^\uFEFF/, '');
    const end = text.search(/\r?\n/);
    return end === -1 ? text : text.slice(0, end);
  } finally {
    closeSync(fd);
  }
}

/** Resolve the format of `file` from the option, or by detection. Throws a descriptive Error. */
export function resolveReplayFormat(file: string, option: 'auto' | string, firstLine: string): TickFormat {
  if (option !== 'auto') {
    const format = getFormat(option);
    if (format.columns === null) {
      const have = new Set(splitHeaderLine(firstLine));
      const missing = format.requiredColumns.filter((c) => !have.has(c));
      if (missing.length) throw new Error(`${file}: header lacks columns required by format ${format.id}: ${missing.join(', ')}`);
    }
    return format;
  }
  const id = detectFormat(firstLine);
  if (!id) {
    throw new Error(
      `${file}: cannot detect the tick format from the first line ${JSON.stringify(firstLine.slice(0, 120))}; ` +
        `known formats: ${FORMAT_IDS.join(', ')}`,
    );
  }
  return getFormat(id);
}

/**
 * Create a replay feed over `options.file`. Validates eagerly (throws on a missing file,
 * unknown or undetectable format, bad speed or batchSize); the file is read when `ticks()`
 * is iterated, which may be done once.
 */
export function createReplayFeed(options: ReplayFeedOptions): ReplayFeed {
  const file = path.resolve(options.file);
  const { speed, logger } = options;
  if (speed !== 'max' && !(typeof speed === 'number' && Number.isFinite(speed) && speed > 0)) {
    throw new Error(`replay speed must be a positive number or 'max', got ${String(speed)}`);
  }
  const batchSize = options.batchSize ?? 1000;
  const parseThread = options.parseThread ?? parseThreadByDefault(speed);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batchSize must be a positive integer, got ${batchSize}`);

  let isFile = false;
  try {
    isFile = statSync(file).isFile();
  } catch {
    throw new Error(`replay file not found: ${file}`);
  }
  if (!isFile) throw new Error(`replay path is not a file: ${file}`);
  const format = resolveReplayFormat(file, options.format ?? 'auto', readFirstLine(file));

  const name = `replay:${path.basename(file)}`;
  const realClock = options.clock ?? systemClock;
  const clock = new ReplayClock(speed, () => realClock.now());
  const skippedSample: SkippedRecord[] = [];
  let skippedCount = 0;
  const events = new SourceEvents();
  const tracker = new StateTracker(name, 'starting', events, () => realClock.now());
  let ticksEmitted = 0;
  let lastTickTime: number | null = null;
  let failure: string | null = null;
  let started = false;

  function skip(line: number, reason: string): void {
    skippedCount++;
    if (skippedSample.length < SKIPPED_SAMPLE_LIMIT) skippedSample.push({ line, reason });
    if (skippedCount <= LOGGED_SKIPS) logger?.warn({ file, line, reason }, 'replay: skipped record');
  }

  function emit(batch: Tick[]): Tick[] {
    for (const tick of batch) clock.emitted(tick.exchangeTime);
    ticksEmitted += batch.length;
    lastTickTime = batch[batch.length - 1].exchangeTime;
    return batch;
  }

  async function* ticks(signal: AbortSignal): AsyncGenerator<Tick[]> {
    if (started) throw new Error(`${name}: ticks() can be iterated only once`);
    started = true;
    tracker.set('live', `${file} (${format.id})`);
    logger?.info({ file, format: format.id, speed }, 'replay: started');
    const chunks = parseThread
      ? readRecordChunksOnThread(file, format.id, batchSize, signal)
      : readRecordChunks(file, format, batchSize, signal);
    let batch: Tick[] = [];
    const slice = new WorkSlice(SLICE_MS);
    try {
      for await (const chunk of chunks) {
        if (signal.aborted) break;
        for (const skipped of chunk.skips) skip(skipped.line, skipped.reason);
        for (const tick of chunk.ticks) {
          const wait = clock.delayFor(tick.exchangeTime);
          if (wait > 0) {
            if (batch.length) {
              yield emit(batch);
              batch = [];
            }
            await sleepOn(realClock, wait, signal);
            if (signal.aborted) break;
          }
          batch.push(tick);
          if (batch.length >= batchSize) {
            yield emit(batch);
            batch = [];
            if (signal.aborted) break;
            await slice.check();
          }
        }
        if (signal.aborted) break;
      }
      if (!signal.aborted && batch.length) yield emit(batch);
      clock.finish();
      tracker.set(signal.aborted ? 'stopped' : 'finished');
    } catch (err) {
      failure = err instanceof Error ? err.message : String(err);
      clock.finish();
      tracker.set('failed', failure);
      throw new Error(`${name}: reading ${file} failed: ${failure}`, { cause: err });
    } finally {
      await chunks.return(undefined);
      clock.finish();
      tracker.set(tracker.state === 'live' ? 'stopped' : tracker.state); // consumer stopped iterating early
      logger?.info({ file, state: tracker.state, ticksEmitted, skipped: skippedCount }, 'replay: ended');
    }
  }

  function status(): FeedStatus {
    const parts = [`${file} (${format.id}, speed ${speed === 'max' ? 'max' : `${speed}x`})`, `${skippedCount} skipped`];
    if (skippedSample.length) {
      const last = skippedSample[skippedSample.length - 1];
      parts.push(`last skip: line ${last.line}: ${last.reason}`);
    }
    if (failure) parts.push(`error: ${failure}`);
    return { name, state: tracker.state, ticksEmitted, lastTickTime, detail: parts.join('; ') };
  }

  return {
    name,
    file,
    format: format.id,
    get skipped() {
      return skippedCount;
    },
    skippedRecords: () => skippedSample.slice(),
    instruments: (): Instrument[] => [...format.knownInstruments],
    ticks,
    now: () => clock.now(),
    status,
    events,
  };
}
