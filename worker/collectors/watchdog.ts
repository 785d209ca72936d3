/**
 * The collector's watchdog rule (issue 3): an open connection carrying instruments that has
 * had no tick for `silenceMs` is silent and gets reconnected; consecutive silent trips double
 * the threshold (up to 2^5 = 32×) so a quiet holiday does not cause a reconnect storm. Checks
 * run only in watch hours (market hours from the exchange calendar, or always). Pure.
 */
import type { Slot } from './connection-slot';

/** How often the watchdog checks, ms: silenceMs / 4, within [100, 1000]. */
export function watchdogPeriodMs(silenceMs: number): number {
  return Math.min(1000, Math.max(100, silenceMs / 4));
}

/** The silence threshold of `slot` after its consecutive trips, ms. */
export function silenceThresholdMs(slot: Pick<Slot, 'silentTrips'>, silenceMs: number): number {
  return silenceMs * 2 ** Math.min(slot.silentTrips, 5);
}

/** The live, subscribed slots silent at `now` (epoch ms). */
export function silentSlots(slots: Iterable<Slot>, now: number, silenceMs: number): Slot[] {
  const silent: Slot[] = [];
  for (const slot of slots) {
    if (slot.state !== 'live' || slot.tokens.size === 0) continue;
    if (now - slot.lastDataAt >= silenceThresholdMs(slot, silenceMs)) silent.push(slot);
  }
  return silent;
}
