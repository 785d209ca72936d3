/**
 * A concurrency limit with a bounded wait queue (docs/security.md, "Limits"): at most `max`
 * tasks run at once, at most `maxQueue` wait (FIFO); past that, run() rejects at once with an
 * AppError 429 `too_many_requests` carrying `retryAfterSec` (the route wrapper sends it as
 * `Retry-After`). Used for the database-heavy routes (heavy-routes.ts) and webhook deliveries
 * (worker/alerts/delivery-queue.ts).
 */
import { AppError } from '@/lib/http/errors';

export interface ConcurrencyLimitOptions {
  /** Tasks running at once (≥ 1). */
  max: number;
  /** Tasks waiting for a slot (≥ 0); more are refused. */
  maxQueue: number;
  /** Seconds a refused caller should wait (Retry-After); default 1. */
  retryAfterSec?: number;
  /** What is saturated, for the 429 message. */
  what?: string;
}

/** An AppError 429 with the Retry-After seconds. */
export class SaturatedError extends AppError<'too_many_requests'> {
  constructor(
    message: string,
    readonly retryAfterSec: number,
  ) {
    super('too_many_requests', message);
  }
}

/** Retry-After of a thrown value (a SaturatedError from any module copy), or undefined. */
export function retryAfterOf(error: unknown): number | undefined {
  const value = (error as { retryAfterSec?: unknown } | null)?.retryAfterSec;
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export class ConcurrencyLimit {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly options: ConcurrencyLimitOptions) {}

  /** Tasks running now. */
  get active(): number {
    return this.running;
  }

  /** Tasks waiting for a slot. */
  get queued(): number {
    return this.waiting.length;
  }

  /**
   * Run `task` within the limit.
   * @throws SaturatedError (429) when `max` run and `maxQueue` wait already
   */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.options.max) {
      if (this.waiting.length >= this.options.maxQueue) {
        const retry = this.options.retryAfterSec ?? 1;
        throw new SaturatedError(`${this.options.what ?? 'server'} busy: ${this.running} requests running and ${this.waiting.length} waiting; retry after ${retry} s`, retry);
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running += 1;
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next(); // hand the slot over: `running` unchanged
      else this.running -= 1;
    }
  }
}
