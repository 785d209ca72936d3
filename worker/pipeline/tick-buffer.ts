/**
 * Bounded tick buffer in front of the database writer.
 *
 * - Flushes when `flushSize` ticks are waiting or every `flushIntervalMs`, writing at most
 *   `maxBatch` ticks per statement (a backlog drains in large set-based batches).
 * - A failed write keeps its ticks at the front of the buffer and is retried with capped
 *   exponential backoff; ticks are removed only after the database accepted them.
 * - Bounded memory: `push` returns a promise that resolves only once the buffer is below
 *   `maxTicks`, so a fast producer (replay at max speed) waits instead of growing memory.
 */
import type { Logger } from 'pino';
import type { Tick } from '@/lib/market/tick';

export interface TickBufferOptions {
  /** Persist one batch; throw on failure (the batch is retried). */
  write: (ticks: Tick[]) => Promise<void>;
  flushSize: number;
  flushIntervalMs: number;
  maxBatch?: number;
  maxTicks?: number;
  logger?: Logger;
}

export interface TickBufferStats {
  depth: number;
  written: number;
  writeErrors: number;
  lastFlushAt: number | null;
  lastError: string | null;
}

export class TickBuffer {
  private pending: Tick[] = [];
  private flushing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private retryDelayMs = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private waiters: (() => void)[] = [];
  private readonly maxBatch: number;
  private readonly maxTicks: number;
  readonly stats: TickBufferStats = { depth: 0, written: 0, writeErrors: 0, lastFlushAt: null, lastError: null };

  constructor(private readonly options: TickBufferOptions) {
    this.maxBatch = options.maxBatch ?? 10_000;
    this.maxTicks = options.maxTicks ?? 200_000;
  }

  /** Start the interval flush. */
  start(): void {
    this.timer ??= setInterval(() => void this.flush(), this.options.flushIntervalMs);
  }

  /** Queue ticks; resolves immediately unless the buffer is over its bound (then when it drains below). */
  push(ticks: readonly Tick[]): Promise<void> | void {
    for (const tick of ticks) this.pending.push(tick);
    this.stats.depth = this.pending.length;
    if (this.pending.length >= this.options.flushSize && this.retryDelayMs === 0) void this.flush();
    if (this.pending.length >= this.maxTicks) {
      return new Promise((resolve) => this.waiters.push(resolve));
    }
  }

  /** Write everything now (retrying failures) and resolve when the buffer is empty or `deadline` passes. */
  async drain(deadline = Number.POSITIVE_INFINITY): Promise<boolean> {
    while (this.pending.length > 0 && Date.now() < deadline) {
      await this.flush();
      if (this.pending.length > 0 && this.retryDelayMs > 0) {
        await new Promise((r) => setTimeout(r, Math.min(this.retryDelayMs, Math.max(0, deadline - Date.now()))));
      }
    }
    if (this.flushing) await this.flushing;
    return this.pending.length === 0;
  }

  /** Stop timers (call `drain` first to persist what is left). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.timer = null;
    this.retryTimer = null;
  }

  /** Run one flush cycle (concurrent calls share the in-flight one). */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    if (this.pending.length === 0) return Promise.resolve();
    this.flushing = this.writeLoop().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private async writeLoop(): Promise<void> {
    while (this.pending.length > 0) {
      const count = Math.min(this.pending.length, this.maxBatch);
      const batch = this.pending.slice(0, count);
      try {
        await this.options.write(batch);
      } catch (error) {
        this.stats.writeErrors++;
        this.stats.lastError = error instanceof Error ? error.message : String(error);
        this.retryDelayMs = Math.min(Math.max(this.retryDelayMs * 2, 250), 10_000);
        this.options.logger?.warn({ err: error, batch: count, retryInMs: this.retryDelayMs }, 'tick write failed; will retry');
        if (this.timer) {
          this.retryTimer ??= setTimeout(() => {
            this.retryTimer = null;
            void this.flush();
          }, this.retryDelayMs);
        }
        return;
      }
      this.retryDelayMs = 0;
      this.pending.splice(0, count);
      this.stats.depth = this.pending.length;
      this.stats.written += count;
      this.stats.lastFlushAt = Date.now();
      if (this.pending.length < this.maxTicks) this.releaseWaiters();
      if (this.pending.length < this.options.flushSize) break;
    }
  }

  private releaseWaiters(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}
