/**
 * A Clock (worker/sources/clock.ts) the test moves by hand: `advance(ms)` runs every timer due
 * within the step, in due order, with the promise jobs they start settled in between; nothing
 * waits on the wall clock.
 */
import type { Clock, ClockTimer } from '@/worker/sources/clock';

interface Pending {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

export class ManualClock implements Clock {
  private time: number;
  private seq = 0;
  private pending: Pending[] = [];
  private waiters: (() => void)[] = [];

  constructor(start: number) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  schedule(ms: number, fn: () => void): ClockTimer {
    const entry: Pending = { at: this.time + Math.max(0, ms), seq: this.seq++, fn, cancelled: false };
    this.pending.push(entry);
    for (const wake of this.waiters.splice(0)) wake();
    return { cancel: () => void (entry.cancelled = true) };
  }

  /** Timers scheduled and not yet run or cancelled. */
  get timers(): number {
    return this.live().length;
  }

  /** Ms until the next timer is due, or null when none is pending. */
  nextDelay(): number | null {
    const next = this.live()[0];
    return next ? next.at - this.time : null;
  }

  /** Resolves once a timer is pending (at once if one is). */
  async timerScheduled(): Promise<void> {
    await settle();
    if (this.timers > 0) return;
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  /** Move time forward by `ms`, running the timers due on the way (and settling their work). */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      await settle();
      const next = this.live()[0];
      if (!next || next.at > end) break;
      this.time = next.at;
      next.cancelled = true;
      next.fn();
    }
    this.time = end;
    await settle();
  }

  /** Run timers one after another until `done` settles; returns the clock time that passed, ms. */
  async runUntil(done: Promise<unknown>): Promise<number> {
    const start = this.time;
    let finished = false;
    void done.then(
      () => (finished = true),
      () => (finished = true),
    );
    for (;;) {
      await settle();
      if (finished) return this.time - start;
      const delay = this.nextDelay();
      if (delay === null) {
        await Promise.race([done.catch(() => undefined), this.timerScheduled()]);
        continue;
      }
      await this.advance(delay);
    }
  }

  private live(): Pending[] {
    this.pending = this.pending.filter((p) => !p.cancelled);
    return this.pending.sort((a, b) => a.at - b.at || a.seq - b.seq);
  }
}
