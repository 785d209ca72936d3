/**
 * The clock tick sources run on: wall time and timers in one injectable object, so tests can
 * drive replay pacing, the collector watchdog and reconnect backoff without waiting on the
 * wall clock (test/support/manual-clock.ts is the test implementation).
 *
 * Units: epoch ms UTC for `now()`, ms for delays.
 */

/** A scheduled callback; `cancel()` is idempotent. */
export interface ClockTimer {
  cancel(): void;
}

export interface Clock {
  /** Current time, epoch ms. */
  now(): number;
  /** Run `fn` once after `ms` (≥ 0) milliseconds. */
  schedule(ms: number, fn: () => void): ClockTimer;
}

/** Date.now and setTimeout; timers are unref'd so a pending reconnect never keeps the process alive. */
export const systemClock: Clock = {
  now: () => Date.now(),
  schedule(ms, fn) {
    const handle = setTimeout(fn, Math.max(0, ms));
    handle.unref?.();
    return { cancel: () => clearTimeout(handle) };
  },
};

/**
 * Abortable sleep on `clock`: resolves after `ms`, or as soon as `signal` aborts (it resolves
 * rather than rejects, so callers re-check `signal.aborted`).
 */
export function sleepOn(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted || ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const onAbort = () => {
      timer.cancel();
      resolve();
    };
    const timer = clock.schedule(ms, () => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Run `fn` every `periodMs` on `clock` until the returned timer is cancelled (the next run is
 * scheduled after the previous one returns, so runs never overlap).
 */
export function every(clock: Clock, periodMs: number, fn: () => void): ClockTimer {
  let current: ClockTimer | null = null;
  let cancelled = false;
  const arm = () => {
    current = clock.schedule(periodMs, () => {
      if (cancelled) return;
      fn();
      if (!cancelled) arm();
    });
  };
  arm();
  return {
    cancel() {
      cancelled = true;
      current?.cancel();
    },
  };
}
