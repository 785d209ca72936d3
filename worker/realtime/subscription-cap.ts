/**
 * Bound on one Socket.IO connection's subscriptions (docs/security.md, "Limits"): a socket's
 * rooms `t:<symbol>` (ticks) and `c:<symbol>:<timeframe>` (candles) together stay at or below
 * MAX_SOCKET_SUBSCRIPTIONS. A subscribe that would pass it is refused whole (nothing joined), and
 * acks carry counts and the request's own symbols, never the socket's whole list.
 */
import { MAX_SOCKET_SUBSCRIPTIONS } from '@/lib/contracts/realtime';
import type { SubscriptionAck } from '@/lib/realtime/events';

/** Most rooms (tick + candle streams) one connection may hold. */
export { MAX_SOCKET_SUBSCRIPTIONS };

const isSubscriptionRoom = (room: string) => room.startsWith('t:') || room.startsWith('c:');

/** Number of tick and candle rooms in `rooms` (a socket's `rooms`, which also holds its own id). */
export function subscriptionCount(rooms: ReadonlySet<string>): number {
  let count = 0;
  for (const room of rooms) if (isSubscriptionRoom(room)) count += 1;
  return count;
}

/**
 * The rooms a subscribe would add (tickRoom / candleRoom names from the caller) beyond those held.
 * @returns null when they fit under `cap`, else the refusal message (naming `symbols`)
 */
export function capRefusal(held: ReadonlySet<string>, wanted: Iterable<string>, cap: number = MAX_SOCKET_SUBSCRIPTIONS): string | null {
  const added = new Set<string>();
  for (const room of wanted) if (!held.has(room)) added.add(room);
  const now = subscriptionCount(held);
  if (now + added.size <= cap) return null;
  return `symbols: at most ${cap} subscriptions (symbols + candle streams) per connection; this one holds ${now} and asked for ${added.size} more`;
}

/** The ack of a subscribe/unsubscribe: the request's symbols and the socket's total count. */
export function subscriptionAck(ok: boolean, symbols: readonly string[], rooms: ReadonlySet<string>, error?: string): SubscriptionAck {
  return { ok, symbols: [...symbols], subscribed: subscriptionCount(rooms), ...(error ? { error } : {}) };
}
