/**
 * Reports of a collector (worker/collectors/collector.ts): the snapshot shown in lists, the
 * API, the collectors page and metrics, and the detail with per-instrument liveness.
 *
 * Liveness: an instrument that has ticked is `live`; outside watch hours (market hours from the
 * exchange calendar, or always) or while stopped it is `waiting`; otherwise, with no tick
 * `liveness.neverTickedMs` after it was subscribed (in market-hours mode: after the later of
 * its subscription and today's 09:15 IST open) it is `never_ticked`.
 */
import { sessionOpen } from '@/lib/market/session';
import { symbolOf } from '@/lib/market/tick';
import type { BrokerStream } from '../sources/stream';
import type { Slot, Subscription } from './connection-slot';
import type { CollectorDefinition, CollectorDetail, CollectorMetrics, CollectorSnapshot, CollectorState, InstrumentLiveness } from './types';

/** A collector's state as the reports read it (built by `Collector.reportView`). */
export interface CollectorReportView {
  name: string;
  definition: CollectorDefinition;
  state: CollectorState;
  running: boolean;
  connectionsNeeded: number;
  limits: BrokerStream['limits'];
  subscriptions: readonly Subscription[];
  connections: readonly Slot[];
  metrics: Omit<CollectorMetrics, 'ticksPerSecond' | 'lastTickAt' | 'lastExchangeTime'> & {
    lastTickAt: number | null;
    lastExchangeTime: number | null;
  };
  ticksPerSecond: number;
  inWatchHours: boolean;
  /** Epoch ms. */
  now: number;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function liveness(view: CollectorReportView, sub: Subscription): InstrumentLiveness {
  if (sub.lastTickAt !== null) return 'live';
  if (!view.running || !view.inWatchHours) return 'waiting';
  const since = view.definition.watchdog.hours === 'market' ? Math.max(sub.subscribedAt, sessionOpen(view.now)) : sub.subscribedAt;
  return view.now - since >= view.definition.liveness.neverTickedMs ? 'never_ticked' : 'waiting';
}

/** Summary: state, modes, budget (requested vs allowed per connection and per key), connections, metrics. */
export function collectorSnapshot(view: CollectorReportView, connectionsUsedByKey: number): CollectorSnapshot {
  const modes: CollectorSnapshot['modes'] = { ltp: 0, quote: 0, full: 0 };
  let neverTicked = 0;
  for (const sub of view.subscriptions) {
    modes[sub.mode] += 1;
    if (liveness(view, sub) === 'never_ticked') neverTicked += 1;
  }
  const { limits } = view;
  const spare = view.connections.reduce((n, slot) => n + (limits.instrumentsPerConnection - slot.tokens.size), 0);
  const freeConnections = Math.max(0, limits.connectionsPerKey - connectionsUsedByKey - (view.running ? 0 : view.connectionsNeeded));
  const key = view.definition.credentials.apiKey;
  const m = view.metrics;
  return {
    name: view.name,
    broker: view.definition.broker,
    state: view.state,
    autoStart: view.definition.autoStart,
    apiKey: key.length > 4 ? `${'*'.repeat(Math.min(key.length - 4, 8))}${key.slice(-4)}` : '****',
    endpoint: view.definition.endpoint ?? null,
    instruments: view.subscriptions.length,
    modes,
    neverTicked,
    budget: {
      requested: view.subscriptions.length,
      perConnection: limits.instrumentsPerConnection,
      connectionsPerKey: limits.connectionsPerKey,
      connections: view.connections.length,
      connectionsUsedByKey,
      remaining: spare + freeConnections * limits.instrumentsPerConnection,
    },
    connections: view.connections.map((slot) => ({
      id: slot.id,
      state: slot.state,
      instruments: slot.tokens.size,
      attempts: slot.attempts,
      connectedAt: iso(slot.connectedAt),
      nextAttemptAt: iso(slot.nextAttemptAt),
      lastError: slot.lastError,
    })),
    metrics: { ...m, ticksPerSecond: view.ticksPerSecond, lastTickAt: iso(m.lastTickAt), lastExchangeTime: iso(m.lastExchangeTime) },
  };
}

/** Snapshot plus each instrument's mode, connection, last tick and liveness. */
export function collectorDetail(view: CollectorReportView, connectionsUsedByKey: number): CollectorDetail {
  return {
    ...collectorSnapshot(view, connectionsUsedByKey),
    instrumentStatus: view.subscriptions.map((sub) => ({
      instrumentToken: sub.instrument.instrumentToken,
      symbol: symbolOf(sub.instrument),
      mode: sub.mode,
      connection: sub.slot,
      subscribedAt: new Date(sub.subscribedAt).toISOString(),
      lastTickAt: iso(sub.lastTickAt),
      lastExchangeTime: iso(sub.lastExchangeTime),
      status: liveness(view, sub),
    })),
  };
}
