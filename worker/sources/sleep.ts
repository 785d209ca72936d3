/**
 * Abortable sleep for feeds: resolves after `ms` milliseconds, or as soon as `signal` aborts
 * (it resolves rather than rejects, so callers just re-check `signal.aborted`).
 */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted || ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** A sleep function as feeds accept it (injectable so tests can drive time). */
export type SleepFn = (ms: number, signal: AbortSignal) => Promise<void>;
