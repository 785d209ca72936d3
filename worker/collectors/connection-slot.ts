/**
 * The records a collector keeps per subscribed instrument and per broker connection ("slot":
 * one socket at a time, recreated on every reconnect), and how the connections' states fold
 * into the collector's state. Pure data and functions.
 */
import type { Instrument } from '@/lib/market/instrument';
import type { ClockTimer } from '../sources/clock';
import type { StreamConnection, StreamMode } from '../sources/stream';
import type { ConnectionState } from './types';

export interface Subscription {
  instrument: Instrument;
  mode: StreamMode;
  /** Id of the slot carrying it. */
  slot: number;
  /** Epoch ms. */
  subscribedAt: number;
  lastTickAt: number | null;
  lastExchangeTime: number | null;
}

export interface Slot {
  id: number;
  tokens: Set<number>;
  state: ConnectionState;
  connection: StreamConnection | null;
  /** Consecutive failed attempts since the last successful open. */
  attempts: number;
  /** Opened at least once (a later attempt is a reconnect). */
  opened: boolean;
  timer: ClockTimer | null;
  connectedAt: number | null;
  nextAttemptAt: number | null;
  lastError: string | null;
  /** Last tick (or open) on this connection, epoch ms: the watchdog's reference. */
  lastDataAt: number;
  /** Consecutive watchdog trips without a tick in between. */
  silentTrips: number;
}

/** A fresh, idle slot. */
export function newSlot(id: number, now: number): Slot {
  return {
    id,
    tokens: new Set(),
    state: 'idle',
    connection: null,
    attempts: 0,
    opened: false,
    timer: null,
    connectedAt: null,
    nextAttemptAt: null,
    lastError: null,
    lastDataAt: now,
    silentTrips: 0,
  };
}

const STATE_RANK: Record<ConnectionState, number> = {
  token_expired: 5,
  failed: 4,
  reconnecting: 3,
  connecting: 2,
  idle: 1,
  live: 0,
};

/**
 * The worst of the slots' states (token_expired > failed > reconnecting > connecting > live);
 * an idle slot of a running collector counts as connecting. 'live' for no slots.
 */
export function worstState(slots: Iterable<Slot>): Exclude<ConnectionState, 'idle'> {
  let worst: ConnectionState = 'live';
  for (const slot of slots) if (STATE_RANK[slot.state] > STATE_RANK[worst]) worst = slot.state;
  return worst === 'idle' ? 'connecting' : worst;
}
