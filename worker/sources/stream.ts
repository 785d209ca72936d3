/**
 * The contract of a broker's streaming market-data socket, behind which Kite (KiteTicker in a
 * worker thread) and Fyers sit. A collector (worker/collectors/collector.ts) owns one or more
 * connections per broker account and does reconnects, resubscription, the watchdog and
 * liveness itself; a connection is one socket lifetime: it is never reopened, a reconnect
 * creates a new one.
 *
 * Instruments are keyed by our instrument token (Kite's instrument_token); adapters map to the
 * broker's own identifiers (Fyers symbols) through `lookup`.
 */
import type { Instrument } from '@/lib/market/instrument';
import type { Tick } from '@/lib/market/tick';

/** Kite's streaming modes (ltp: price only; quote: + volume, OHLC; full: + depth, OI, timestamps). */
export const STREAM_MODES = ['ltp', 'quote', 'full'] as const;
export type StreamMode = (typeof STREAM_MODES)[number];

export type BrokerId = 'kite' | 'fyers';

export interface StreamCredentials {
  apiKey: string;
  accessToken: string;
}

export interface StreamLimits {
  /** Instruments one connection may carry (Kite: 3,000). */
  instrumentsPerConnection: number;
  /** Connections one API key may hold at once (Kite: 3). */
  connectionsPerKey: number;
}

export interface StreamCloseInfo {
  reason: string;
  /** The broker refused the credentials (Kite: HTTP 403 on connect): do not retry. */
  tokenRejected: boolean;
}

export interface StreamEvents {
  onOpen(): void;
  /** Decoded ticks mapped to our Tick; receive time is the caller's clock. */
  onTicks(ticks: Tick[]): void;
  onHeartbeat(): void;
  /** A frame that could not be decoded; it was skipped. */
  onMalformed(detail: string): void;
  /** Ticks for tokens not subscribed through this collector (skipped). */
  onUnknown(count: number): void;
  onError(message: string): void;
  /** Exactly once per connection, unless `close()` was called first. */
  onClose(info: StreamCloseInfo): void;
}

export interface StreamConnection {
  /** Add tokens in `mode` (or change their mode). Only valid after onOpen. */
  subscribe(tokens: readonly number[], mode: StreamMode): void;
  unsubscribe(tokens: readonly number[]): void;
  /** Close the socket and release its resources; no onClose follows. */
  close(): Promise<void>;
}

export interface ConnectOptions {
  credentials: StreamCredentials;
  /** Broker endpoint override (tests: a local server), e.g. "ws://127.0.0.1:PORT/". */
  endpoint?: string;
  /** Instrument of a subscribed token (for exchange/tradingsymbol of ticks). */
  lookup(token: number): Instrument | undefined;
}

export interface BrokerStream {
  readonly broker: BrokerId;
  readonly limits: StreamLimits;
  connect(options: ConnectOptions, events: StreamEvents): StreamConnection;
}
