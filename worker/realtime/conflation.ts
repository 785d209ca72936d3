/**
 * When the realtime fan-out sends what is pending (issue 12 point 2): the conflation timer of
 * the worker's Broadcaster.
 *
 * Rule (leading edge, then at most one send per interval):
 * - `mark()` says something became pending. When no send is scheduled, one is scheduled at
 *   max(now, last send + `intervalMs`): a tick arriving after a quiet interval goes out at once
 *   (on the next macrotask, so the rest of its batch joins it), ticks arriving sooner wait until
 *   `intervalMs` has passed since the last send.
 * - The send calls `flush()` and records its time; nothing is scheduled again until the next
 *   `mark()`, so an idle stream costs no timer.
 *
 * Hence sends are at least `intervalMs` apart (each client gets at most one `ticks` array per
 * interval) and a pending tick waits at most `intervalMs`, counted from the last send rather
 * than from a free-running interval whose phase ignores when ticks arrive. Times are the
 * clock's epoch ms; `intervalMs` is CONFLATE_MS (lib/config/worker-env.ts).
 */
import { systemClock, type Clock, type ClockTimer } from '../sources/clock';

export class ConflationTimer {
  private lastSend = Number.NEGATIVE_INFINITY;
  private pending: ClockTimer | null = null;
  private running = false;

  /**
   * @param intervalMs minimum ms between two sends (> 0)
   * @param flush sends what is pending (called from the clock's timer)
   * @throws Error when `intervalMs` is not a positive number
   */
  constructor(
    private readonly intervalMs: number,
    private readonly flush: () => void,
    private readonly clock: Clock = systemClock,
  ) {
    if (!(intervalMs > 0)) throw new Error(`intervalMs must be > 0, got ${intervalMs}`);
  }

  /** Allow sends; `hasPending` true schedules one for what was marked before the start. */
  start(hasPending = false): void {
    this.running = true;
    if (hasPending) this.mark();
  }

  /** Cancel a scheduled send and allow none until `start()`. */
  stop(): void {
    this.running = false;
    this.pending?.cancel();
    this.pending = null;
  }

  /** Something became pending: schedule a send by the rule above (no-op while one is scheduled). */
  mark(): void {
    if (!this.running || this.pending) return;
    const delay = Math.max(0, this.lastSend + this.intervalMs - this.clock.now());
    this.pending = this.clock.schedule(delay, () => {
      this.pending = null;
      this.lastSend = this.clock.now();
      this.flush();
    });
  }

  /** True while a send is scheduled (tests). */
  get scheduled(): boolean {
    return this.pending !== null;
  }
}
