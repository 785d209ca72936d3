/**
 * Collector contracts shared by the collector, the manager, the worker's HTTP endpoints and the
 * web routes (type-only: the web bundle imports no worker code through this file).
 *
 * Units: times are ISO-8601 UTC strings in snapshots (epoch ms inside the worker); durations ms.
 */
import type { BrokerId, StreamMode } from '../sources/stream';

/** stopped → connecting → live → reconnecting → token_expired / failed (issue 3). */
export const COLLECTOR_STATES = ['stopped', 'connecting', 'live', 'reconnecting', 'token_expired', 'failed'] as const;
export type CollectorState = (typeof COLLECTOR_STATES)[number];

export interface ReconnectPolicy {
  /** Attempts after a drop before the connection is `failed` (default 10). */
  maxRetries: number;
  /** First delay, ms (default 1,000); doubles per attempt. */
  baseDelayMs: number;
  /** Delay cap, ms (default 60,000). */
  maxDelayMs: number;
}

export interface WatchdogPolicy {
  /** A connected socket with no tick for this long is reconnected (default 30,000 ms). */
  silenceMs: number;
  /** 'market': only during NSE market hours (lib/market/session.ts); 'always': any time (tests, MCX). */
  hours: 'market' | 'always';
}

export interface LivenessPolicy {
  /** A subscribed instrument with no tick this long into market hours is flagged (default 60,000 ms). */
  neverTickedMs: number;
}

/** One subscription request: instruments by symbol, token or watchlist, in one mode. */
export interface SubscriptionSpec {
  mode: StreamMode;
  symbols?: string[];
  tokens?: number[];
  watchlist?: string;
}

/** A collector's definition (from the YAML config or POST /api/collectors). */
export interface CollectorDefinition {
  name: string;
  broker: BrokerId;
  credentials: { apiKey: string; accessToken: string };
  /** Streaming endpoint override (a local server in tests); the broker's default otherwise. */
  endpoint?: string;
  autoStart: boolean;
  reconnect: ReconnectPolicy;
  watchdog: WatchdogPolicy;
  liveness: LivenessPolicy;
  subscriptions: SubscriptionSpec[];
  /** Broker REST settings (used by the service: instruments sync); optional for API-created collectors. */
  rest?: { endpoint?: string; syncInstruments: boolean };
}

export type ConnectionState = Exclude<CollectorState, 'stopped'> | 'idle';

export interface ConnectionSnapshot {
  id: number;
  state: ConnectionState;
  instruments: number;
  /** Consecutive failed attempts since the last successful open. */
  attempts: number;
  connectedAt: string | null;
  nextAttemptAt: string | null;
  lastError: string | null;
}

export interface CollectorMetrics {
  ticksReceived: number;
  /** Ticks per second over the last 10 s. */
  ticksPerSecond: number;
  reconnects: number;
  watchdogReconnects: number;
  /** Receive time of the last tick. */
  lastTickAt: string | null;
  /** Exchange timestamp of the last tick. */
  lastExchangeTime: string | null;
  errors: number;
  malformedFrames: number;
  unknownTicks: number;
  lastError: string | null;
}

export interface SubscriptionBudget {
  /** Instruments this collector subscribes. */
  requested: number;
  perConnection: number;
  connectionsPerKey: number;
  /** Connections this collector uses. */
  connections: number;
  /** Connections all collectors on the same API key use. */
  connectionsUsedByKey: number;
  /** Instruments this collector could still add with the key's remaining connections. */
  remaining: number;
}

export interface CollectorSnapshot {
  name: string;
  broker: BrokerId;
  state: CollectorState;
  autoStart: boolean;
  /** API key with all but the last 4 characters masked. */
  apiKey: string;
  endpoint: string | null;
  instruments: number;
  modes: Record<StreamMode, number>;
  neverTicked: number;
  budget: SubscriptionBudget;
  connections: ConnectionSnapshot[];
  metrics: CollectorMetrics;
}

export type InstrumentLiveness = 'live' | 'waiting' | 'never_ticked';

export interface InstrumentStatus {
  instrumentToken: number;
  symbol: string;
  mode: StreamMode;
  connection: number;
  subscribedAt: string;
  lastTickAt: string | null;
  lastExchangeTime: string | null;
  status: InstrumentLiveness;
}

export interface CollectorDetail extends CollectorSnapshot {
  instrumentStatus: InstrumentStatus[];
}

/** Result of a subscribe/unsubscribe: what changed. */
export interface SubscriptionChange {
  added: number;
  modeChanged: number;
  removed: number;
  instruments: number;
}

/**
 * The operations behind /api/collectors (embedded: the in-process manager; server mode: the
 * worker's /collectors endpoints). Methods throw CollectorError (worker/collectors/errors.ts)
 * or reject with an error carrying `status` and `code`.
 */
export interface CollectorControl {
  list(): Promise<CollectorSnapshot[]>;
  get(name: string): Promise<CollectorDetail>;
  create(definition: CollectorDefinition): Promise<CollectorSnapshot>;
  start(name: string): Promise<CollectorSnapshot>;
  stop(name: string): Promise<CollectorSnapshot>;
  subscribe(name: string, spec: SubscriptionSpec): Promise<SubscriptionChange>;
  unsubscribe(name: string, spec: Omit<SubscriptionSpec, 'mode'>): Promise<SubscriptionChange>;
  setAccessToken(name: string, accessToken: string): Promise<CollectorSnapshot>;
}
