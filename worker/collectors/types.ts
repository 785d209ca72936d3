/**
 * Collector types of the worker: the policies and definition a collector runs with. The shapes
 * that cross the worker's boundary (snapshots, details, subscription changes and specs, the
 * CollectorControl port) are contracts (lib/contracts/collector.ts), re-exported here for the
 * collectors' modules.
 *
 * Units: times are ISO-8601 UTC strings in snapshots (epoch ms inside the worker); durations ms.
 */
import type { BrokerId } from '../sources/stream';
import type { SubscriptionSpec } from '@/lib/contracts/collector';

export { COLLECTOR_STATES } from '@/lib/contracts/collector';
export type {
  CollectorControl,
  CollectorDetail,
  CollectorMetrics,
  CollectorSnapshot,
  CollectorState,
  ConnectionSnapshot,
  ConnectionState,
  InstrumentLiveness,
  InstrumentStatus,
  SubscriptionBudget,
  SubscriptionChange,
  SubscriptionSpec,
} from '@/lib/contracts/collector';

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
