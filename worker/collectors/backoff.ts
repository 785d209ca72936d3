/**
 * Capped exponential backoff for reconnects: attempt n (1-based) waits
 * min(maxDelayMs, baseDelayMs × 2^(n−1)). Defaults follow seed 000 (10 retries, 60 s max);
 * KiteTicker's own scheme is similar (2^n s, max_delay ≥ 5 s), but it calls process.exit when
 * it gives up, so the collector does this itself.
 */
import type { ReconnectPolicy } from './types';

export const DEFAULT_RECONNECT: ReconnectPolicy = { maxRetries: 10, baseDelayMs: 1000, maxDelayMs: 60_000 };

/** Delay before reconnect attempt `attempt` (1-based), ms. */
export function reconnectDelayMs(attempt: number, policy: Pick<ReconnectPolicy, 'baseDelayMs' | 'maxDelayMs'>): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exponent);
}

/** The delay before attempt `attempt` (1-based), ms, or null once `maxRetries` are used up (give up: `failed`). */
export function nextReconnect(attempt: number, policy: ReconnectPolicy): number | null {
  return attempt > policy.maxRetries ? null : reconnectDelayMs(attempt, policy);
}
