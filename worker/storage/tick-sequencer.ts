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

/** Equality as the former string key had it (NaN equals NaN, 0 equals -0, null/undefined alike). */
const same = (a: number | null | undefined, b: number | null | undefined): boolean =>
  a === b || (a == null && b == null) || (a !== a && b !== b);

/**
 * `tick` with its `seq`, as a new object built field by field: a spread (`{ ...tick, seq }`)
 * gave objects that every later reader (journal, COPY encoder) accessed ~6× slower, and cost
 * 10× more to build (`npm run bench`, ingest). Carries every field of lib/contracts/tick.ts
 * (test/unit/tick-sequencer.test.ts checks the list against the schema); the optional ones only
 * when present.
 */
export function withSeq(tick: Tick, seq: number): StoredTick {
  const stored: StoredTick = {
    instrumentToken: tick.instrumentToken,
    exchange: tick.exchange,
    tradingsymbol: tick.tradingsymbol,
    exchangeTime: tick.exchangeTime,
    ltp: tick.ltp,
    lastQuantity: tick.lastQuantity,
    volume: tick.volume,
    averagePrice: tick.averagePrice,
    oi: tick.oi,
    bidPrice: tick.bidPrice,
    bidQuantity: tick.bidQuantity,
    askPrice: tick.askPrice,
    askQuantity: tick.askQuantity,
    feed: tick.feed,
    seq,
  };
  if (tick.prevClose !== undefined) stored.prevClose = tick.prevClose;
  if (tick.depth !== undefined) stored.depth = tick.depth;
  return stored;
}

export class TickSequencer {
  /**
   * Per instrument: the current exchange time and, flat, [volume, ltp, count] of each distinct
   * (volume, ltp) seen at it (usually one or two; a linear scan beats a Map of string keys).
   */
  private readonly state = new Map<number, { time: number; seen: (number | null)[] }>();

  /** The ticks with their seq (new objects; the input is not modified). */
  assign(ticks: readonly Tick[]): StoredTick[] {
    const out: StoredTick[] = new Array(ticks.length);
    for (let i = 0; i < ticks.length; i++) {
      const tick = ticks[i];
      let entry = this.state.get(tick.instrumentToken);
      if (!entry) {
        entry = { time: tick.exchangeTime, seen: [] };
        this.state.set(tick.instrumentToken, entry);
      } else if (entry.time !== tick.exchangeTime) {
        entry.time = tick.exchangeTime;
        entry.seen.length = 0;
      }
      const seen = entry.seen;
      let seq = 0;
      let at = 0;
      for (; at < seen.length; at += 3) if (same(seen[at], tick.volume) && same(seen[at + 1], tick.ltp)) break;
      if (at < seen.length) {
        seq = seen[at + 2] as number;
        seen[at + 2] = seq + 1;
      } else seen.push(tick.volume ?? null, tick.ltp ?? null, 1);
      out[i] = withSeq(tick, seq);
    }
    return out;
  }
}
