/**
 * One named collector as a tick source (worker/sources/feed.ts): a broker account's instruments
 * spread over one or more streaming connections (connection-pool.ts), each with its own
 * reconnect loop (backoff.ts) and watchdog (watchdog.ts); decoded ticks are queued
 * (worker/sources/live-queue.ts: a socket cannot be paused) and pulled through `ticks()`;
 * every state change is a typed `state` event.
 *
 * Behaviour (issue 3; limits from kite.trade/docs/connect/v3/websocket):
 * - Connections carry up to `limits.instrumentsPerConnection` instruments; the API key's
 *   connections are shared with other collectors on the same key (`connectionsUsedByOthers`).
 * - A dropped connection reconnects after min(maxDelay, base × 2^(n−1)) ms, at most
 *   `maxRetries` times in a row (then `failed`); every successful open resubscribes all its
 *   instruments with their modes.
 * - A rejected token (Kite: HTTP 403) puts the connection in `token_expired`: no retries until
 *   `setAccessToken` gives a new token.
 * - Watchdog: see watchdog.ts.
 * State: stopped | connecting | live | reconnecting | token_expired | failed, the worst of the
 * connections' states (connection-slot.ts `worstState`). Timers and time come from `clock`.
 */
import type { Logger } from 'pino';
import type { Instrument } from '@/lib/market/instrument';
import { configuredCalendar } from '@/lib/config/history-env';
import type { Tick } from '@/lib/market/tick';
import { every, systemClock, type Clock, type ClockTimer } from '../sources/clock';
import type { FeedStatus, TickSource } from '../sources/feed';
import { LiveTickQueue } from '../sources/live-queue';
import { SourceEvents, StateTracker } from '../sources/source-events';
import type { BrokerStream, StreamMode } from '../sources/stream';
import { nextReconnect } from './backoff';
import { collectorDetail, collectorSnapshot, type CollectorReportView } from './collector-report';
import { worstState, type Slot } from './connection-slot';
import { ConnectionPool } from './connection-pool';
import { TickRate } from './tick-rate';
import { silentSlots, watchdogPeriodMs } from './watchdog';
import type { CollectorDefinition, CollectorDetail, CollectorSnapshot, CollectorState, ConnectionState, SubscriptionChange } from './types';

export type { Slot, Subscription } from './connection-slot';

export interface CollectorOptions {
  definition: CollectorDefinition;
  stream: BrokerStream;
  /** Connections on this collector's API key held by other collectors. */
  connectionsUsedByOthers(): number;
  logger?: Logger;
  /** Time and timers (reconnect backoff, watchdog, liveness); default systemClock. */
  clock?: Clock;
}

export class Collector implements TickSource {
  readonly name: string;
  /** The source name in feed_events: `collector:<name>`. */
  readonly sourceName: string;
  readonly events = new SourceEvents();
  private readonly definition: CollectorDefinition;
  private readonly pool: ConnectionPool;
  private readonly queue = new LiveTickQueue();
  private readonly tracker: StateTracker<CollectorState>;
  private running = false;
  private watchdog: ClockTimer | null = null;
  private readonly rate = new TickRate();
  private readonly clock: Clock;
  private readonly metrics = {
    ticksReceived: 0,
    reconnects: 0,
    watchdogReconnects: 0,
    lastTickAt: null as number | null,
    lastExchangeTime: null as number | null,
    errors: 0,
    malformedFrames: 0,
    unknownTicks: 0,
    lastError: null as string | null,
  };

  constructor(private readonly options: CollectorOptions) {
    this.definition = structuredClone(options.definition);
    this.name = this.definition.name;
    this.sourceName = `collector:${this.name}`;
    this.clock = options.clock ?? systemClock;
    this.pool = new ConnectionPool(this.name, () => this.clock.now());
    this.tracker = new StateTracker<CollectorState>(this.sourceName, 'stopped', this.events, () => this.clock.now());
  }

  get broker(): CollectorDefinition['broker'] {
    return this.definition.broker;
  }

  /** Current credentials and REST settings (for the instruments sync; never in snapshots). */
  get account(): { apiKey: string; accessToken: string; rest?: CollectorDefinition['rest'] } {
    return { ...this.definition.credentials, rest: this.definition.rest };
  }

  get apiKey(): string {
    return this.definition.credentials.apiKey;
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Connections this collector holds (open or being retried) against its key's budget. */
  get connectionsHeld(): number {
    return this.running ? Math.max(this.pool.slots.size, 1) : 0;
  }

  /** Connections needed when started (at least one, to validate the token and take subscriptions). */
  get connectionsNeeded(): number {
    return Math.max(this.pool.slots.size, 1);
  }

  /** The collector's state (see the module comment); changes are `state` events. */
  get state(): CollectorState {
    return this.tracker.state;
  }

  // ── TickSource ────────────────────────────────────────────────────────────────────────────

  /** Subscribed instruments. */
  instruments(): Instrument[] {
    return [...this.pool.subs.values()].map((s) => s.instrument);
  }

  /** Decoded ticks in arrival order, coalesced per pull, until `signal` aborts (one consumer at a time). */
  ticks(signal: AbortSignal): AsyncIterable<Tick[]> {
    return this.queue.batches(signal);
  }

  /** Wall clock (the collector's clock), epoch ms. */
  now(): number {
    return this.clock.now();
  }

  status(): FeedStatus {
    return {
      name: this.sourceName,
      state: this.state,
      ticksEmitted: this.metrics.ticksReceived,
      lastTickTime: this.metrics.lastExchangeTime,
      detail: this.metrics.lastError ?? undefined,
    };
  }

  // ── control ───────────────────────────────────────────────────────────────────────────────

  /** Open every connection (no-op when running). */
  start(): void {
    if (this.running) return;
    this.running = true;
    if (this.pool.slots.size === 0) this.pool.addSlot();
    for (const slot of this.pool.slots.values()) {
      slot.attempts = 0;
      slot.opened = false;
      this.connect(slot);
    }
    this.watchdog = every(this.clock, watchdogPeriodMs(this.definition.watchdog.silenceMs), () => this.checkSilence());
    this.noteState();
  }

  /** Close every connection; subscriptions are kept for the next start. */
  async stop(): Promise<void> {
    this.running = false;
    this.watchdog?.cancel();
    this.watchdog = null;
    const closing = [...this.pool.slots.values()].map((slot) => this.closeSlot(slot, 'idle'));
    this.noteState();
    await Promise.all(closing);
  }

  /**
   * Subscribe instruments in `mode` (or change the mode of ones already subscribed). Throws
   * CollectorError('subscription_cap') when the new instruments do not fit the key's connections.
   */
  subscribe(instruments: readonly Instrument[], mode: StreamMode): SubscriptionChange {
    const limits = this.options.stream.limits;
    const { change, send } = this.pool.subscribe(instruments, mode, {
      perConnection: limits.instrumentsPerConnection,
      connectionsPerKey: limits.connectionsPerKey,
      usedByOthers: this.options.connectionsUsedByOthers(),
    });
    for (const { slot, tokens, mode: m } of send) {
      if (slot.state === 'live') slot.connection?.subscribe(tokens, m);
      else if (this.running && slot.state === 'idle') this.connect(slot);
    }
    this.noteState();
    return change;
  }

  /** Unsubscribe tokens; connections left empty (other than the first) are closed. */
  async unsubscribe(tokens: readonly number[]): Promise<SubscriptionChange> {
    const { bySlot, emptied, change } = this.pool.unsubscribe(tokens);
    for (const [slot, list] of bySlot) if (slot.state === 'live') slot.connection?.unsubscribe(list);
    for (const slot of emptied) {
      await this.closeSlot(slot, 'idle');
      this.pool.removeSlot(slot);
    }
    this.noteState();
    return change;
  }

  /**
   * Use a new access token (Kite's expire daily, ~06:00 IST). Connections in token_expired or
   * failed reconnect at once; live ones keep their socket and use it on their next reconnect.
   */
  setAccessToken(accessToken: string): void {
    this.definition.credentials.accessToken = accessToken;
    if (!this.running) return;
    for (const slot of this.pool.slots.values()) {
      if (slot.state === 'token_expired' || slot.state === 'failed') {
        slot.attempts = 0;
        this.connect(slot);
      }
    }
    this.noteState();
  }

  /** Tokens subscribed, with their mode. */
  subscriptions(): { token: number; mode: StreamMode }[] {
    return [...this.pool.subs.entries()].map(([token, sub]) => ({ token, mode: sub.mode }));
  }

  /** Summary for lists, the API and metrics (worker/collectors/collector-report.ts). */
  snapshot(connectionsUsedByKey: number): CollectorSnapshot {
    return collectorSnapshot(this.reportView(), connectionsUsedByKey);
  }

  /** Snapshot plus per-instrument liveness. */
  detail(connectionsUsedByKey: number): CollectorDetail {
    return collectorDetail(this.reportView(), connectionsUsedByKey);
  }

  // ── internals ─────────────────────────────────────────────────────────────────────────────

  /** Fold the connections' states into the collector's and emit a `state` event on change. */
  private noteState(): void {
    const state: CollectorState = this.running ? worstState(this.pool.slots.values()) : 'stopped';
    this.tracker.set(state, state === 'live' || state === 'connecting' ? null : this.metrics.lastError);
  }

  /** What the report needs, read at this instant. */
  private reportView(): CollectorReportView {
    const now = this.clock.now();
    return {
      name: this.name,
      definition: this.definition,
      state: this.state,
      running: this.running,
      connectionsNeeded: this.connectionsNeeded,
      limits: this.options.stream.limits,
      subscriptions: [...this.pool.subs.values()],
      connections: [...this.pool.slots.values()],
      metrics: this.metrics,
      ticksPerSecond: this.rate.perSecond(now),
      inWatchHours: this.inWatchHours(now),
      now,
    };
  }

  private inWatchHours(now: number): boolean {
    // Market hours come from the exchange calendar: no watchdog trips on a holiday.
    return this.definition.watchdog.hours === 'always' || configuredCalendar().isOpen(now);
  }

  private connect(slot: Slot): void {
    slot.timer?.cancel();
    slot.timer = null;
    slot.nextAttemptAt = null;
    slot.state = slot.opened ? 'reconnecting' : 'connecting';
    const definition = this.definition;
    slot.connection = this.options.stream.connect(
      {
        credentials: { ...definition.credentials },
        endpoint: definition.endpoint,
        lookup: (token) => this.pool.subs.get(token)?.instrument,
      },
      {
        onOpen: () => this.onOpen(slot),
        onTicks: (ticks) => this.onTicks(slot, ticks),
        onHeartbeat: () => undefined,
        onMalformed: (detail) => {
          this.metrics.malformedFrames += 1;
          this.noteError(slot, detail, false);
        },
        onUnknown: (count) => {
          this.metrics.unknownTicks += count;
        },
        onError: (message) => this.noteError(slot, message, true),
        onClose: (info) => this.onClose(slot, info.reason, info.tokenRejected),
      },
    );
    this.noteState();
  }

  private onOpen(slot: Slot): void {
    const now = this.clock.now();
    if (slot.opened) this.options.logger?.info({ collector: this.name, connection: slot.id }, 'reconnected; resubscribing');
    slot.opened = true;
    slot.state = 'live';
    slot.attempts = 0;
    slot.connectedAt = now;
    slot.lastDataAt = now;
    for (const [mode, tokens] of this.pool.tokensByMode(slot)) slot.connection?.subscribe(tokens, mode);
    this.noteState();
  }

  private onTicks(slot: Slot, ticks: Tick[]): void {
    const now = this.clock.now();
    slot.lastDataAt = now;
    slot.silentTrips = 0;
    this.metrics.ticksReceived += ticks.length;
    this.metrics.lastTickAt = now;
    this.rate.add(ticks.length, now);
    for (const tick of ticks) {
      const sub = this.pool.subs.get(tick.instrumentToken);
      if (sub) {
        sub.lastTickAt = now;
        sub.lastExchangeTime = tick.exchangeTime;
      }
      if (this.metrics.lastExchangeTime === null || tick.exchangeTime > this.metrics.lastExchangeTime) {
        this.metrics.lastExchangeTime = tick.exchangeTime;
      }
    }
    this.queue.push(ticks);
  }

  private onClose(slot: Slot, reason: string, tokenRejected: boolean): void {
    slot.connection = null;
    slot.connectedAt = null;
    if (!this.running) {
      slot.state = 'idle';
      this.noteState();
      return;
    }
    slot.lastError = reason;
    if (tokenRejected) {
      slot.state = 'token_expired';
      this.metrics.lastError = `access token rejected: ${reason}`;
      this.options.logger?.error({ collector: this.name, connection: slot.id, reason }, 'access token rejected; waiting for a new token');
    } else {
      this.scheduleReconnect(slot, reason);
    }
    this.noteState();
  }

  private scheduleReconnect(slot: Slot, reason: string): void {
    slot.attempts += 1;
    const policy = this.definition.reconnect;
    const delay = nextReconnect(slot.attempts, policy);
    if (delay === null) {
      slot.state = 'failed';
      this.options.logger?.error({ collector: this.name, connection: slot.id, reason }, `gave up after ${policy.maxRetries} reconnect attempts`);
      return;
    }
    slot.state = slot.opened ? 'reconnecting' : 'connecting';
    slot.nextAttemptAt = this.clock.now() + delay;
    this.metrics.reconnects += 1;
    this.options.logger?.warn({ collector: this.name, connection: slot.id, reason, attempt: slot.attempts, delayMs: delay }, 'connection lost; reconnecting');
    slot.timer = this.clock.schedule(delay, () => {
      slot.timer = null;
      if (this.running) this.connect(slot);
    });
  }

  private checkSilence(): void {
    const now = this.clock.now();
    if (!this.inWatchHours(now)) return;
    for (const slot of silentSlots(this.pool.slots.values(), now, this.definition.watchdog.silenceMs)) {
      slot.silentTrips += 1;
      this.metrics.watchdogReconnects += 1;
      this.metrics.reconnects += 1;
      const reason = `no ticks for ${Math.round((now - slot.lastDataAt) / 1000)} s`;
      slot.lastError = reason;
      this.options.logger?.warn({ collector: this.name, connection: slot.id, reason }, 'watchdog: silent connection; reconnecting');
      const connection = slot.connection;
      slot.connection = null;
      slot.state = 'reconnecting';
      void connection?.close().then(() => {
        if (this.running && slot.state === 'reconnecting' && !slot.connection) this.connect(slot);
      });
    }
    this.noteState();
  }

  private noteError(slot: Slot, message: string, connectionError: boolean): void {
    this.metrics.errors += 1;
    this.metrics.lastError = message;
    if (connectionError) slot.lastError = message;
  }

  private async closeSlot(slot: Slot, state: ConnectionState): Promise<void> {
    slot.timer?.cancel();
    slot.timer = null;
    slot.nextAttemptAt = null;
    const connection = slot.connection;
    slot.connection = null;
    slot.state = state;
    slot.connectedAt = null;
    await connection?.close();
  }
}
