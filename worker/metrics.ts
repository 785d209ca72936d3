/**
 * Prometheus metrics (prom-client): the worker's own registry, read at scrape time from the
 * collectors' snapshots and the worker's health() (pipeline, storage, feed, realtime), plus
 * Node's default process metrics. Served at GET /metrics by the stand-alone worker and at
 * GET /api/metrics by the web app (embedded: through lib/runtime/host.ts; server mode: proxied).
 *
 * Names: marketdesk_collector_* (label `collector`, and `broker`/`state` where noted),
 * marketdesk_pipeline_*, marketdesk_feed_*, marketdesk_realtime_*, marketdesk_gap_repair_*
 * (automatic gap repair: state, instruments, queued requests, requests/repaired minutes/failed
 * requests/runs totals, last run time). Counters are *_total;
 * timestamps are *_timestamp_seconds (Unix seconds).
 */
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { WorkerHealth } from '@/lib/runtime/host';
import type { CollectorSnapshot } from './collectors/types';
import { COLLECTOR_STATES } from './collectors/types';

export interface MetricsSources {
  /** The worker's health, or undefined while it starts (pipeline metrics are then absent). */
  health(): WorkerHealth | undefined;
  collectors(): CollectorSnapshot[];
}

export interface WorkerMetrics {
  readonly registry: Registry;
  /** The exposition text and its content type. */
  render(): Promise<{ contentType: string; body: string }>;
}

const seconds = (iso: string | null | undefined) => (iso ? Date.parse(iso) / 1000 : 0);

/** Build a registry reading `sources` on every scrape. */
export function createWorkerMetrics(sources: MetricsSources): WorkerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'marketdesk_' });

  const collectorGauge = (name: string, help: string, pick: (s: CollectorSnapshot) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['collector'],
      registers: [registry],
      collect() {
        this.reset();
        for (const s of sources.collectors()) this.set({ collector: s.name }, pick(s));
      },
    });
  const collectorCounter = (name: string, help: string, pick: (s: CollectorSnapshot) => number) =>
    new Counter({
      name,
      help,
      labelNames: ['collector'],
      registers: [registry],
      collect() {
        this.reset();
        for (const s of sources.collectors()) this.inc({ collector: s.name }, pick(s));
      },
    });

  new Gauge({
    name: 'marketdesk_collector_state',
    help: 'Collector state: 1 for the current state, 0 for the others',
    labelNames: ['collector', 'broker', 'state'],
    registers: [registry],
    collect() {
      this.reset();
      for (const s of sources.collectors()) {
        for (const state of COLLECTOR_STATES) this.set({ collector: s.name, broker: s.broker, state }, s.state === state ? 1 : 0);
      }
    },
  });
  collectorCounter('marketdesk_collector_ticks_received_total', 'Ticks received from the broker', (s) => s.metrics.ticksReceived);
  collectorGauge('marketdesk_collector_ticks_per_second', 'Ticks per second over the last 10 s', (s) => s.metrics.ticksPerSecond);
  collectorCounter('marketdesk_collector_reconnects_total', 'Reconnect attempts (drops and watchdog)', (s) => s.metrics.reconnects);
  collectorCounter('marketdesk_collector_watchdog_reconnects_total', 'Reconnects of silent connections', (s) => s.metrics.watchdogReconnects);
  collectorCounter('marketdesk_collector_errors_total', 'Connection and decoding errors', (s) => s.metrics.errors);
  collectorCounter('marketdesk_collector_malformed_frames_total', 'Binary frames skipped as malformed', (s) => s.metrics.malformedFrames);
  collectorGauge('marketdesk_collector_last_tick_timestamp_seconds', 'Receive time of the last tick (0 = none)', (s) => seconds(s.metrics.lastTickAt));
  collectorGauge('marketdesk_collector_instruments', 'Instruments subscribed', (s) => s.instruments);
  collectorGauge('marketdesk_collector_instruments_never_ticked', 'Subscribed instruments with no tick N s into market hours', (s) => s.neverTicked);
  collectorGauge('marketdesk_collector_connections', 'Broker connections held', (s) => s.budget.connections);

  const pipelineGauge = (name: string, help: string, pick: (h: WorkerHealth) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.reset();
        const health = sources.health();
        if (health) this.set(pick(health));
      },
    });
  const pipelineCounter = (name: string, help: string, pick: (h: WorkerHealth) => number) =>
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        this.reset();
        const health = sources.health();
        if (health) this.inc(pick(health));
      },
    });

  pipelineCounter('marketdesk_pipeline_ticks_accepted_total', 'Ticks accepted by the pipeline', (h) => h.pipeline.ticksAccepted);
  pipelineCounter('marketdesk_pipeline_ticks_written_total', 'Ticks written to the ticks hypertable', (h) => h.pipeline.ticksWritten);
  pipelineGauge('marketdesk_pipeline_buffer_depth', 'Ticks accepted but not yet written', (h) => h.pipeline.bufferDepth);
  pipelineCounter('marketdesk_pipeline_write_errors_total', 'Failed tick or candle writes (retried)', (h) => h.pipeline.writeErrors);
  pipelineCounter('marketdesk_pipeline_candles_closed_total', 'Candles closed by the aggregator', (h) => h.pipeline.candlesClosed);
  pipelineCounter('marketdesk_pipeline_late_ticks_total', 'Ticks too late for their candle', (h) => h.pipeline.lateTicks);
  pipelineCounter('marketdesk_pipeline_out_of_session_ticks_total', 'Ticks outside their instrument session (stored, in no candle)', (h) => h.pipeline.outOfSessionTicks ?? 0);
  pipelineGauge('marketdesk_pipeline_last_flush_timestamp_seconds', 'Time of the last successful write (0 = none)', (h) => seconds(h.pipeline.lastFlushAt));
  pipelineGauge('marketdesk_pipeline_journal_bytes', 'Bytes in the write-ahead tick journal', (h) => h.pipeline.storage?.journalBytes ?? 0);
  pipelineGauge('marketdesk_pipeline_oldest_unflushed_seconds', 'Age of the oldest unwritten tick', (h) => (h.pipeline.storage?.oldestUnflushedMs ?? 0) / 1000);
  pipelineGauge('marketdesk_realtime_clients', 'Socket.IO clients connected', (h) => h.realtime.clients);
  new Counter({
    name: 'marketdesk_feed_ticks_emitted_total',
    help: 'Ticks emitted by the built-in feed',
    labelNames: ['feed'],
    registers: [registry],
    collect() {
      this.reset();
      const h = sources.health();
      if (h) this.inc({ feed: h.feed.name }, h.feed.ticksEmitted);
    },
  });
  // Gap repair (worker/backfill/gap-repairer.ts): absent until the worker reports it.
  const gapRepair = (h: WorkerHealth | undefined) => h?.gapRepair;
  new Gauge({
    name: 'marketdesk_gap_repair_state',
    help: 'Gap repair state: 1 for the current state (off, idle, running, backoff), 0 for the others',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      this.reset();
      const g = gapRepair(sources.health());
      if (g) for (const state of ['off', 'idle', 'running', 'backoff'] as const) this.set({ state }, g.state === state ? 1 : 0);
    },
  });
  const gapGauge = (name: string, help: string, pick: (g: NonNullable<WorkerHealth['gapRepair']>) => number, counter = false) => {
    const collect = function (this: Gauge | Counter) {
      this.reset();
      const g = gapRepair(sources.health());
      if (!g) return;
      if (this instanceof Counter) this.inc(pick(g));
      else this.set(pick(g));
    };
    return counter ? new Counter({ name, help, registers: [registry], collect }) : new Gauge({ name, help, registers: [registry], collect });
  };
  gapGauge('marketdesk_gap_repair_instruments', 'Instruments watched for gaps', (g) => g.instruments);
  gapGauge('marketdesk_gap_repair_queued_requests', 'Broker history requests planned by the current run, not yet made', (g) => g.queued);
  gapGauge('marketdesk_gap_repair_requests_total', 'Broker history requests made by gap repair', (g) => g.requests, true);
  gapGauge('marketdesk_gap_repair_repaired_minutes_total', '1m candles stored from the broker by gap repair', (g) => g.repaired, true);
  gapGauge('marketdesk_gap_repair_failed_requests_total', 'Gap repair broker requests that failed', (g) => g.failed, true);
  gapGauge('marketdesk_gap_repair_runs_total', 'Gap repair runs completed', (g) => g.runs, true);
  gapGauge('marketdesk_gap_repair_last_run_timestamp_seconds', 'End of the last gap repair run (0 = none)', (g) => seconds(g.lastRunAt));
  new Gauge({
    name: 'marketdesk_worker_up',
    help: '1 when the worker reports ok',
    registers: [registry],
    collect() {
      this.set(sources.health()?.ok ? 1 : 0);
    },
  });

  return {
    registry,
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
