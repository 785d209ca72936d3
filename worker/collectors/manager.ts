/**
 * The collector manager: several named collectors at once (different brokers, credentials,
 * instruments and modes), all drained into one tick source, `source` (collectors-source.ts),
 * whose `collectorEvents` carry each collector's state changes. Implements CollectorControl,
 * which the worker's /collectors endpoints and, in embedded mode, the web routes call.
 *
 * API-key budget: Kite allows 3 connections per API key across all sockets, so collectors
 * sharing a key share the budget; a start or subscription that would exceed it is refused with
 * CollectorError('subscription_cap').
 */
import type { Logger } from 'pino';
import type { Clock } from '../sources/clock';
import type { BrokerId, BrokerStream } from '../sources/stream';
import { Collector } from './collector';
import { CollectorsSource } from './collectors-source';
import { CollectorError } from './errors';
import { resolveSpec, type InstrumentResolver } from './instrument-resolver';
import type {
  CollectorControl,
  CollectorDefinition,
  CollectorDetail,
  CollectorSnapshot,
  SubscriptionChange,
  SubscriptionSpec,
} from './types';

export interface CollectorManagerOptions {
  streams: Partial<Record<BrokerId, BrokerStream>>;
  resolver: InstrumentResolver;
  logger?: Logger;
  /** Time and timers of every collector (default systemClock). */
  clock?: Clock;
  /** The source the collectors are drained into (default: a new one, see `source`). */
  source?: CollectorsSource;
}

const NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/i;

export class CollectorManager implements CollectorControl {
  private readonly collectors = new Map<string, Collector>();
  /** Every collector's ticks and state changes (the worker pumps it into the pipeline). */
  readonly source: CollectorsSource;

  constructor(private readonly options: CollectorManagerOptions) {
    this.source = options.source ?? new CollectorsSource(options.clock);
  }

  /** Collectors, for metrics and health. */
  all(): Collector[] {
    return [...this.collectors.values()];
  }

  async list(): Promise<CollectorSnapshot[]> {
    return this.snapshots();
  }

  /** Snapshots of every collector, synchronously (metrics scrapes). */
  snapshots(): CollectorSnapshot[] {
    return this.all().map((c) => c.snapshot(this.usedByKey(c)));
  }

  async get(name: string): Promise<CollectorDetail> {
    const collector = this.find(name);
    return collector.detail(this.usedByKey(collector));
  }

  /**
   * Create a collector, subscribe its configured instruments, and start it when `autoStart`.
   * Throws CollectorError: conflict (name taken), invalid_request (bad name, unsupported broker,
   * unknown instruments), subscription_cap.
   */
  async create(definition: CollectorDefinition): Promise<CollectorSnapshot> {
    if (!NAME.test(definition.name)) {
      throw new CollectorError('invalid_request', 'name: 1-64 letters, digits, "-" or "_", starting with a letter or digit');
    }
    if (this.collectors.has(definition.name)) throw new CollectorError('conflict', `collector ${definition.name} already exists`);
    const stream = this.options.streams[definition.broker];
    if (!stream) throw new CollectorError('invalid_request', `broker: ${definition.broker} streaming is not available`);
    const collector: Collector = new Collector({
      definition,
      stream,
      connectionsUsedByOthers: (): number => this.usedByKey(collector, true),
      logger: this.options.logger,
      clock: this.options.clock,
    });
    for (const spec of definition.subscriptions) {
      collector.subscribe(await resolveSpec(this.options.resolver, spec), spec.mode);
    }
    this.collectors.set(definition.name, collector);
    this.source.add(collector);
    if (definition.autoStart) await this.start(definition.name);
    return collector.snapshot(this.usedByKey(collector));
  }

  /** Start a collector. Throws subscription_cap when its key has no connections left. */
  async start(name: string): Promise<CollectorSnapshot> {
    const collector = this.find(name);
    if (!collector.isRunning) {
      const others = this.usedByKey(collector, true);
      const limits = this.streamOf(collector).limits;
      if (others + collector.connectionsNeeded > limits.connectionsPerKey) {
        throw new CollectorError(
          'subscription_cap',
          `${name}: needs ${collector.connectionsNeeded} connection(s) but other collectors on the same API key hold ${others} of ${limits.connectionsPerKey}`,
        );
      }
      collector.start();
      this.options.logger?.info({ collector: name }, 'collector started');
    }
    return collector.snapshot(this.usedByKey(collector));
  }

  async stop(name: string): Promise<CollectorSnapshot> {
    const collector = this.find(name);
    await collector.stop();
    this.options.logger?.info({ collector: name }, 'collector stopped');
    return collector.snapshot(this.usedByKey(collector));
  }

  async subscribe(name: string, spec: SubscriptionSpec): Promise<SubscriptionChange> {
    const collector = this.find(name);
    const instruments = await resolveSpec(this.options.resolver, spec);
    return collector.subscribe(instruments, spec.mode);
  }

  async unsubscribe(name: string, spec: Omit<SubscriptionSpec, 'mode'>): Promise<SubscriptionChange> {
    const collector = this.find(name);
    const instruments = await resolveSpec(this.options.resolver, spec);
    return collector.unsubscribe(instruments.map((i) => i.instrumentToken));
  }

  async setAccessToken(name: string, accessToken: string): Promise<CollectorSnapshot> {
    const collector = this.find(name);
    collector.setAccessToken(accessToken);
    this.options.logger?.info({ collector: name }, 'access token replaced');
    return collector.snapshot(this.usedByKey(collector));
  }

  /** Stop every collector (shutdown). */
  async stopAll(): Promise<void> {
    await Promise.all(this.all().map((c) => c.stop()));
  }

  private find(name: string): Collector {
    const collector = this.collectors.get(name);
    if (!collector) throw new CollectorError('not_found', `no collector named ${JSON.stringify(name)}`);
    return collector;
  }

  private streamOf(collector: Collector): BrokerStream {
    return this.options.streams[collector.broker]!;
  }

  /** Connections held on `collector`'s API key (optionally excluding its own). */
  private usedByKey(collector: Collector, excludeSelf = false): number {
    let used = 0;
    for (const other of this.collectors.values()) {
      if (other.broker !== collector.broker || other.apiKey !== collector.apiKey) continue;
      if (excludeSelf && other === collector) continue;
      used += other.connectionsHeld;
    }
    return used;
  }
}
