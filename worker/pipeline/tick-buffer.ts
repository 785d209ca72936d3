/**
 * Durable, bounded tick buffer in front of the database writer.
 *
 * - Write-ahead: with a journal (worker/storage/journal.ts) every pushed tick is appended to it
 *   first; a journal segment is deleted only once all its ticks are in the database. After a
 *   SIGKILL or a crash, `recover` replays what was left, in order.
 * - Bounded memory: ticks are also kept in memory up to `maxTicks`; beyond that (database down
 *   for minutes) new ticks live only in the journal ("spilled") and are read back segment by
 *   segment, in order, when the database returns. Without a journal (CLIs, some tests), `push`
 *   makes the producer wait instead while `maxTicks` are unwritten; with one, it waits only when
 *   the journal exceeds `maxJournalBytes`.
 * - Writes: flush at `flushSize` ticks or every `flushIntervalMs`, at most `maxBatch` per
 *   statement. A failed (or timed-out, `writeTimeoutMs`) write keeps its ticks and is retried
 *   with capped exponential backoff (250 ms … 10 s). Writes must be idempotent (a timed-out
 *   write may still commit; the retry then stores nothing twice): lib/db/queries/ticks.ts.
 */
import type { Logger } from 'pino';
import type { StoredTick } from '@/lib/db/queries/ticks';
import type { JournalSegment, TickJournal } from '../storage/journal';

export interface TickBufferOptions {
  /** Persist one batch idempotently; resolve to the rows actually inserted (or void); throw on failure. */
  write: (ticks: StoredTick[]) => Promise<number | void>;
  flushSize: number;
  flushIntervalMs: number;
  maxBatch?: number;
  /** Ticks held in memory before spilling to the journal (or, without one, before the producer waits). */
  maxTicks?: number;
  journal?: TickJournal;
  /** Journal size beyond which the producer waits (bytes, default 2 GiB). */
  maxJournalBytes?: number;
  /** Ticks per journal segment before it is sealed (default `maxBatch`). */
  segmentTicks?: number;
  /** A write taking longer than this counts as failed and is retried (default 30 s). */
  writeTimeoutMs?: number;
  logger?: Logger;
  now?: () => number;
}

export interface TickBufferStats {
  /** Ticks accepted but not yet in the database (memory + journal). */
  depth: number;
  /** Of those, ticks held in memory. */
  memoryTicks: number;
  /** Of those, ticks only on disk (spilled or recovered). */
  spilledTicks: number;
  journalBytes: number;
  journalSegments: number;
  /** Age of the oldest unwritten tick, ms since it was accepted (null when none). */
  oldestUnflushedMs: number | null;
  written: number;
  /** Rows a write found already stored (a resent batch, a replayed journal). */
  duplicatesSkipped: number;
  writeErrors: number;
  journalErrors: number;
  recoveredTicks: number;
  lastFlushAt: number | null;
  lastError: string | null;
}

/** A write that did not finish within `writeTimeoutMs` (it may still be running). */
class WriteTimeout extends Error {
  constructor(ms: number) {
    super(`tick write timed out after ${ms} ms`);
  }
}

interface Segment {
  /** Journal segment id, or null when the ticks exist only in memory. */
  journalId: number | null;
  /** In-memory copy, or null when spilled (read back from the journal when its turn comes). */
  ticks: StoredTick[] | null;
  count: number;
  done: number;
  sealed: boolean;
  /** [first index, accepted at ms] per push, for the oldest-unflushed age. */
  marks: [number, number][];
}

/** The part of one segment a write covers: ticks [start, start + length) of `seg`. */
interface Span {
  seg: Segment;
  start: number;
  length: number;
}

export class TickBuffer {
  private segments: Segment[] = [];
  private flushing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private retryDelayMs = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  /** The last write that timed out, while it may still be running (see settleTimedOut). */
  private timedOut: { write: Promise<unknown>; spans: Span[]; length: number } | null = null;
  private waiters: (() => void)[] = [];
  private journalBroken = false;
  private readonly maxBatch: number;
  private readonly maxTicks: number;
  private readonly maxJournalBytes: number;
  private readonly segmentTicks: number;
  private readonly writeTimeoutMs: number;
  private readonly now: () => number;
  private counters = { written: 0, duplicatesSkipped: 0, writeErrors: 0, journalErrors: 0, recoveredTicks: 0 };
  private lastFlushAt: number | null = null;
  private lastError: string | null = null;

  constructor(private readonly options: TickBufferOptions) {
    this.maxBatch = options.maxBatch ?? 10_000;
    this.maxTicks = options.maxTicks ?? 200_000;
    this.maxJournalBytes = options.maxJournalBytes ?? 2 * 1024 ** 3;
    this.segmentTicks = options.segmentTicks ?? this.maxBatch;
    this.writeTimeoutMs = options.writeTimeoutMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  /** Queue journal segments left by a previous run (they are written before any new tick). */
  recover(segments: readonly JournalSegment[]): void {
    const recovered: Segment[] = segments.map((s) => ({
      journalId: s.id,
      ticks: null,
      count: s.count,
      done: 0,
      sealed: true,
      marks: [[0, s.modifiedAt]],
    }));
    this.segments.unshift(...recovered);
    for (const s of segments) {
      this.counters.recoveredTicks += s.count;
      if (s.damagedRecords > 0) {
        this.counters.journalErrors += s.damagedRecords;
        this.lastError = `journal segment ${s.id}: ${s.damagedRecords} damaged record(s) skipped (CRC mismatch)`;
        this.options.logger?.error({ segment: s.id, damagedRecords: s.damagedRecords }, 'tick journal records damaged on disk: their ticks are skipped');
      }
    }
  }

  get stats(): TickBufferStats {
    let depth = 0;
    let memoryTicks = 0;
    let spilledTicks = 0;
    let oldest: number | null = null;
    for (const seg of this.segments) {
      const left = seg.count - seg.done;
      depth += left;
      if (seg.ticks) memoryTicks += left;
      else spilledTicks += left;
      if (oldest === null && left > 0) {
        for (const [start, at] of seg.marks) if (start <= seg.done) oldest = at;
      }
    }
    return {
      depth,
      memoryTicks,
      spilledTicks,
      journalBytes: this.options.journal?.bytes ?? 0,
      journalSegments: this.options.journal?.segments ?? 0,
      oldestUnflushedMs: oldest === null ? null : Math.max(0, this.now() - oldest),
      ...this.counters,
      lastFlushAt: this.lastFlushAt,
      lastError: this.lastError,
    };
  }

  /** Start the interval flush. */
  start(): void {
    this.timer ??= setInterval(() => void this.flush(), this.options.flushIntervalMs);
  }

  private get pending(): number {
    let n = 0;
    for (const seg of this.segments) n += seg.count - seg.done;
    return n;
  }

  private get memoryHeld(): number {
    let n = 0;
    for (const seg of this.segments) if (seg.ticks) n += seg.ticks.length;
    return n;
  }

  private get journalUsable(): boolean {
    return this.options.journal !== undefined && !this.journalBroken;
  }

  private overBound(): boolean {
    if (this.journalUsable) return this.options.journal!.bytes >= this.maxJournalBytes;
    return this.memoryHeld >= this.maxTicks;
  }

  private seal(seg: Segment): void {
    if (seg.sealed) return;
    seg.sealed = true;
    if (seg.journalId !== null && this.options.journal?.activeId === seg.journalId) this.options.journal.seal();
  }

  /**
   * Queue ticks (journaled first when there is a journal). Resolves at once, or, when the
   * buffer is over its bound, once it has room again (the caller should await it).
   */
  push(ticks: readonly StoredTick[]): Promise<void> | void {
    if (ticks.length === 0) return;
    let journalId: number | null = null;
    if (this.journalUsable) {
      try {
        journalId = this.options.journal!.append(ticks);
      } catch (error) {
        // Disk full or gone: keep the ticks in memory (with backpressure) rather than lose them.
        this.journalBroken = true;
        this.counters.journalErrors++;
        this.lastError = error instanceof Error ? error.message : String(error);
        this.options.logger?.error({ err: error }, 'tick journal append failed; continuing in memory only');
      }
    }
    let active = this.segments.at(-1);
    if (!active || active.sealed || active.journalId !== journalId) {
      if (active) this.seal(active);
      active = { journalId, ticks: [], count: 0, done: 0, sealed: false, marks: [] };
      this.segments.push(active);
    }
    if (active.ticks) for (const tick of ticks) active.ticks.push(tick);
    active.marks.push([active.count, this.now()]);
    active.count += ticks.length;
    if (active.ticks && active.journalId !== null && this.memoryHeld > this.maxTicks) {
      // Spill: this segment's ticks are safe in the journal; drop the memory copy.
      active.ticks = null;
    }
    if (active.count >= this.segmentTicks) this.seal(active);
    if (this.pending >= this.options.flushSize && this.retryDelayMs === 0) void this.flush();
    if (this.overBound()) return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Write everything now (retrying failures); resolves true when all is written, false at `deadline`. */
  async drain(deadline = Number.POSITIVE_INFINITY): Promise<boolean> {
    while (this.pending > 0 && this.now() < deadline) {
      await this.flush(true);
      if (this.pending > 0 && this.retryDelayMs > 0) {
        await new Promise((r) => setTimeout(r, Math.min(this.retryDelayMs, Math.max(0, deadline - this.now()))));
      }
    }
    if (this.flushing) await this.flushing;
    this.dropFinished();
    return this.pending === 0;
  }

  /** Stop timers and seal the journal (call `drain` first; unwritten ticks stay in the journal for the next start). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.timer = null;
    this.retryTimer = null;
    this.options.journal?.close();
  }

  /** Run one flush cycle (concurrent calls share the in-flight one). */
  flush(all = false): Promise<void> {
    if (this.flushing) return this.flushing;
    if (this.pending === 0) {
      this.dropFinished();
      return Promise.resolve();
    }
    this.flushing = this.writeLoop(all).finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  /** Remove fully written segments from the front (deleting their journal files). */
  private dropFinished(): void {
    while (this.segments.length > 0) {
      const seg = this.segments[0];
      if (seg.done < seg.count) return;
      if (!seg.sealed && seg.count === 0) return;
      this.seal(seg);
      if (seg.journalId !== null) {
        const segment = seg.journalId;
        this.options.journal!.remove(segment, (error) => {
          this.counters.journalErrors++;
          this.options.logger?.warn({ err: error, segment }, 'could not delete a written journal segment');
        });
      }
      this.segments.shift();
    }
  }

  private scheduleRetry(): void {
    if (!this.timer) return;
    this.retryDelayMs = Math.max(this.retryDelayMs, 250);
    this.retryTimer ??= setTimeout(() => {
      this.retryTimer = null;
      void this.flush();
    }, this.retryDelayMs);
  }

  private async timed<T>(promise: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new WriteTimeout(this.writeTimeoutMs)), this.writeTimeoutMs);
    });
    try {
      return await Promise.race([promise, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * A write that timed out but may still be running (the embedded database thread, a slow
   * server): the next attempt waits for it first instead of piling another write on top, and if
   * it succeeded its ticks count as written. Returns false while it is still running (or failed
   * again by timing out): the caller retries later.
   */
  private async settleTimedOut(): Promise<boolean> {
    const pending = this.timedOut;
    if (!pending) return true;
    try {
      const inserted = await this.timed(pending.write);
      this.timedOut = null;
      if (pending.spans.every((span) => span.seg.done === span.start && this.segments.includes(span.seg))) {
        if (typeof inserted === 'number') this.counters.duplicatesSkipped += pending.length - inserted;
        for (const span of pending.spans) span.seg.done += span.length;
        this.counters.written += pending.length;
        this.lastFlushAt = this.now();
      }
      return true;
    } catch (error) {
      if (error instanceof WriteTimeout) return false;
      this.timedOut = null; // it failed for real: its ticks are written again by a fresh attempt
      return true;
    }
  }

  private async writeLoop(all: boolean): Promise<void> {
    for (;;) {
      if (!(await this.settleTimedOut())) {
        this.scheduleRetry();
        return;
      }
      this.dropFinished();
      const seg = this.segments[0];
      if (!seg || seg.done >= seg.count) return;
      if (!seg.ticks) {
        this.seal(seg);
        seg.ticks = this.options.journal!.read(seg.journalId!);
        seg.count = seg.ticks.length;
        if (seg.done >= seg.count) continue;
      }
      const { batch, spans } = this.nextBatch();
      const write = this.options.write(batch);
      try {
        const inserted = await this.timed(write);
        if (typeof inserted === 'number') this.counters.duplicatesSkipped += batch.length - inserted;
      } catch (error) {
        write.catch(() => {}); // a timed-out write may still fail later: nothing to do then
        if (error instanceof WriteTimeout) this.timedOut = { write, spans, length: batch.length };
        this.counters.writeErrors++;
        this.lastError = error instanceof Error ? error.message : String(error);
        this.retryDelayMs = Math.min(Math.max(this.retryDelayMs * 2, 250), 10_000);
        this.options.logger?.warn({ err: error, batch: batch.length, retryInMs: this.retryDelayMs }, 'tick write failed; will retry');
        this.scheduleRetry();
        return;
      }
      this.retryDelayMs = 0;
      for (const span of spans) span.seg.done += span.length;
      this.counters.written += batch.length;
      this.lastFlushAt = this.now();
      this.dropFinished();
      if (!this.overBound()) this.releaseWaiters();
      if (!all && this.pending < this.options.flushSize) return;
    }
  }

  /**
   * The next write: up to `maxBatch` unwritten ticks from the first segment (already in memory)
   * and the in-memory segments right after it, in order. Spanning segments keeps statements
   * full-sized when a backlog exists (segments are sealed at `segmentTicks`, and the tail of
   * a half-written one would otherwise go alone): fewer, larger COPYs.
   */
  private nextBatch(): { batch: StoredTick[]; spans: Span[] } {
    const batch: StoredTick[] = [];
    const spans: Span[] = [];
    for (const seg of this.segments) {
      if (!seg.ticks || batch.length >= this.maxBatch) break;
      const length = Math.min(seg.count - seg.done, this.maxBatch - batch.length);
      if (length <= 0) continue;
      for (let i = seg.done; i < seg.done + length; i++) batch.push(seg.ticks[i]);
      spans.push({ seg, start: seg.done, length });
    }
    return { batch, spans };
  }

  private releaseWaiters(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}
