/**
 * Assigns each accepted tick its `seq`: the occurrence number among ticks of the same instrument
 * with the same exchange time, cumulative volume and LTP, in feed order. Together with those
 * fields it forms the natural key of `ticks` (drizzle/0002_storage.sql):
 *
 * - a resent batch or a replayed journal carries the seq it was given once → dropped by the
 *   unique key, never stored twice;
 * - two real snapshots that look alike (an index printing the same value twice in one
 *   timestamp, a depth-only change with no trade) get seq 0 and 1 → both kept;
 * - a replay of the same file assigns the same seqs (deterministic), so replaying twice, or
 *   restarting a replay after a crash, stores every tick once.
 *
 * Memory: per instrument, the counts of the current exchange timestamp only.
 */
import type { StoredTick } from '@/lib/db/queries/ticks';
import type { Tick } from '@/lib/market/tick';

export class TickSequencer {
  private readonly state = new Map<number, { time: number; counts: Map<string, number> }>();

  /** The ticks with their seq (new objects; the input is not modified). */
  assign(ticks: readonly Tick[]): StoredTick[] {
    const out: StoredTick[] = new Array(ticks.length);
    for (let i = 0; i < ticks.length; i++) {
      const tick = ticks[i];
      let entry = this.state.get(tick.instrumentToken);
      if (!entry || entry.time !== tick.exchangeTime) {
        entry = { time: tick.exchangeTime, counts: new Map() };
        this.state.set(tick.instrumentToken, entry);
      }
      const key = `${tick.volume}|${tick.ltp}`;
      const seq = entry.counts.get(key) ?? 0;
      entry.counts.set(key, seq + 1);
      out[i] = { ...tick, seq };
    }
    return out;
  }
}
