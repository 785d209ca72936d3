/**
 * Subscription sets: clients subscribed to the same set of tick symbols share one room, so a
 * conflated `ticks` array is encoded once per distinct set, not once per client (fan-out.ts).
 *
 * - `update(socketId, symbols)`: the socket's current tick symbols (any order; empty = none).
 *   The socket moves to the room of that set (`s:<n>`, n increasing, never reused) through
 *   `move(socketId, fromRoom, toRoom)`; a set nobody holds any more is dropped at once.
 * - `remove(socketId)`: on disconnect (Socket.IO leaves the rooms itself; only our maps shrink).
 * - `batches(ticks)`: for the ticks of one interval, each set room with the ticks of its symbols,
 *   in the ticks' order. Cost: the number of (tick, set holding its symbol) pairs, i.e. the
 *   output size, never sets × symbols.
 *
 * Memory: one entry per connected socket, one per distinct set, and a symbol → sets index;
 * everything is released when the last member leaves (flat under connect/disconnect churn).
 */
import type { Tick } from '@/lib/market/tick';

interface SubscriptionSet {
  readonly key: string;
  readonly room: string;
  readonly symbols: readonly string[];
  members: number;
}

export class SubscriptionSets {
  private readonly byKey = new Map<string, SubscriptionSet>();
  private readonly bySocket = new Map<string, SubscriptionSet>();
  private readonly bySymbol = new Map<string, Set<SubscriptionSet>>();
  private next = 0;

  constructor(private readonly move: (socketId: string, fromRoom: string | null, toRoom: string | null) => void) {}

  /** Distinct sets held by at least one socket. */
  get size(): number {
    return this.byKey.size;
  }

  /** Sockets tracked (tests: back to 0 once every client left). */
  get sockets(): number {
    return this.bySocket.size;
  }

  /** Record `socketId`'s tick symbols now, moving it between set rooms when the set changed. */
  update(socketId: string, symbols: readonly string[]): void {
    const sorted = [...new Set(symbols)].sort();
    const key = sorted.join('\n');
    const before = this.bySocket.get(socketId);
    if (before?.key === key) return;
    let after: SubscriptionSet | undefined;
    if (sorted.length > 0) {
      after = this.byKey.get(key);
      if (!after) {
        after = { key, room: `s:${++this.next}`, symbols: sorted, members: 0 };
        this.byKey.set(key, after);
        for (const symbol of sorted) {
          let sets = this.bySymbol.get(symbol);
          if (!sets) this.bySymbol.set(symbol, (sets = new Set()));
          sets.add(after);
        }
      }
      after.members++;
      this.bySocket.set(socketId, after);
    } else {
      this.bySocket.delete(socketId);
    }
    if (before) this.release(before);
    this.move(socketId, before?.room ?? null, after?.room ?? null);
  }

  /** Forget a disconnected socket. */
  remove(socketId: string): void {
    const set = this.bySocket.get(socketId);
    if (!set) return;
    this.bySocket.delete(socketId);
    this.release(set);
  }

  /** Each set room with the ticks (of `ticks`) of its symbols; rooms without any are left out. */
  batches(ticks: Iterable<Tick>): Map<string, Tick[]> {
    const out = new Map<string, Tick[]>();
    for (const tick of ticks) {
      const sets = this.bySymbol.get(`${tick.exchange}:${tick.tradingsymbol}`);
      if (!sets) continue;
      for (const set of sets) {
        const list = out.get(set.room);
        if (list) list.push(tick);
        else out.set(set.room, [tick]);
      }
    }
    return out;
  }

  private release(set: SubscriptionSet): void {
    if (--set.members > 0) return;
    this.byKey.delete(set.key);
    for (const symbol of set.symbols) {
      const sets = this.bySymbol.get(symbol);
      sets?.delete(set);
      if (sets?.size === 0) this.bySymbol.delete(symbol);
    }
  }
}
