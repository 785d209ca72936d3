/**
 * The queue between a live socket (which cannot be paused) and the pull-based source contract:
 * `push` is synchronous and never drops; `batches(signal)` yields what arrived since the last
 * pull as one batch (in arrival order), waiting while the queue is empty. Memory is bounded by
 * the consumer: the pipeline journals every batch it accepts, and only while it applies
 * backpressure do batches wait here.
 */
import type { Tick } from '@/lib/market/tick';

export class LiveTickQueue {
  private queued: Tick[][] = [];
  private wake: (() => void) | null = null;
  private consumed = false;

  /** Ticks waiting for the consumer. */
  get depth(): number {
    return this.queued.reduce((n, b) => n + b.length, 0);
  }

  /** Queue a decoded batch (empty batches are ignored). */
  push(ticks: readonly Tick[]): void {
    if (ticks.length === 0) return;
    this.queued.push(ticks.slice());
    this.wake?.();
  }

  /**
   * Yield queued ticks, coalesced per pull, until `signal` aborts; then yield what is still
   * queued as a last batch (the producers are stopped before the abort, so nothing is left in
   * memory). Only one consumer may iterate at a time; throws otherwise.
   */
  async *batches(signal: AbortSignal): AsyncGenerator<Tick[]> {
    if (this.consumed) throw new Error('LiveTickQueue: already being consumed');
    this.consumed = true;
    const onAbort = () => this.wake?.();
    signal.addEventListener('abort', onAbort);
    try {
      while (!signal.aborted) {
        if (this.queued.length === 0) {
          await new Promise<void>((resolve) => (this.wake = resolve));
          this.wake = null;
          continue;
        }
        const taken = this.queued;
        this.queued = [];
        yield taken.length === 1 ? taken[0] : taken.flat();
      }
      // Stopping: the sockets are closed first, so what is still queued is the last of it.
      // Hand it over too (the pipeline journals it) rather than leave it in memory.
      if (this.queued.length > 0) {
        const rest = this.queued;
        this.queued = [];
        yield rest.flat();
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      this.wake = null;
      this.consumed = false;
    }
  }
}
