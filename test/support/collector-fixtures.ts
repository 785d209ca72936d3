/**
 * Helpers for collector tests: synthetic NSE instruments (Kite-style tokens, segment 1), a fast
 * collector definition, a price path the local ticker server publishes, polling, and awaiting
 * state events.
 */
import type { Instrument } from '@/lib/market/instrument';
import type { CollectorDefinition, SubscriptionSpec } from '@/worker/collectors/types';
import type { SourceEvents, SourceState, StateChange } from '@/worker/sources/source-events';
import type { KitePacketValues } from './kite-packets';

/** `count` NSE equities: token (i+1)·256 + 1 (segment 1 = NSE), symbol NSE:SYMi. */
export function syntheticInstruments(count: number, offset = 0): Instrument[] {
  return Array.from({ length: count }, (_, k) => {
    const i = k + offset;
    return {
      instrumentToken: ((i + 1) << 8) | 1,
      exchange: 'NSE',
      tradingsymbol: `SYM${i}`,
      name: null,
      segment: 'NSE',
      instrumentType: 'EQ',
      tickSize: 0.05,
      lotSize: 1,
      expiry: null,
      strike: null,
    };
  });
}

/** Exchange time of round `seq`: 2025-12-29 10:00:00 IST + seq seconds (Kite stamps whole seconds). */
export const ROUND_ZERO_MS = Date.UTC(2025, 11, 29, 4, 30, 0);

/** The values the server publishes for `instrument` in round `seq` (prices in rupees, on the 0.05 grid). */
export function packetValues(instrument: Instrument, seq: number): KitePacketValues {
  const base = 100 + (instrument.instrumentToken >> 8);
  const ltp = Math.round((base + seq * 0.05) * 100) / 100;
  return {
    instrument_token: instrument.instrumentToken,
    last_price: ltp,
    last_traded_quantity: 1 + (seq % 7),
    average_traded_price: base,
    volume_traded: 1000 + seq * 10,
    total_buy_quantity: 500,
    total_sell_quantity: 700,
    ohlc: { open: base, high: ltp + 1, low: base - 1, close: base - 0.5 },
    last_trade_time: ROUND_ZERO_MS + seq * 1000,
    exchange_timestamp: ROUND_ZERO_MS + seq * 1000,
    depth: {
      buy: [{ price: Math.round((ltp - 0.05) * 100) / 100, quantity: 10, orders: 2 }],
      sell: [{ price: Math.round((ltp + 0.05) * 100) / 100, quantity: 12, orders: 3 }],
    },
  };
}

/** A Kite collector definition with fast test timings (reconnect 100 ms … 1 s, watchdog always on). */
export function testDefinition(
  name: string,
  endpoint: string,
  subscriptions: SubscriptionSpec[],
  overrides: Partial<CollectorDefinition> = {},
): CollectorDefinition {
  return {
    name,
    broker: 'kite',
    credentials: { apiKey: 'test_api_key', accessToken: 'token-1' },
    endpoint,
    autoStart: true,
    reconnect: { maxRetries: 10, baseDelayMs: 100, maxDelayMs: 1000 },
    watchdog: { silenceMs: 1500, hours: 'always' },
    liveness: { neverTickedMs: 1000 },
    subscriptions,
    ...overrides,
  };
}

/** Poll `check` every 50 ms until it returns true; throws `label` after `timeoutMs`. */
export async function waitFor(check: () => boolean, label: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${label}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Resolves with the first `state` event entering `state` (from `source`, when given) on
 * `events`, or at once when `current()` already is `state`.
 */
export function stateReached(
  events: SourceEvents,
  state: SourceState,
  options: { source?: string; current?: () => SourceState } = {},
): Promise<StateChange> {
  return new Promise((resolve) => {
    if (options.current?.() === state) {
      resolve({ source: options.source ?? '', state, previous: null, at: Date.now(), detail: null });
      return;
    }
    const listener = (change: StateChange) => {
      if (change.state !== state || (options.source && change.source !== options.source)) return;
      events.off('state', listener);
      resolve(change);
    };
    events.on('state', listener);
  });
}
