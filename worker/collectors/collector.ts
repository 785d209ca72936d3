/**
 * One named collector: a broker account's instruments spread over one or more streaming
 * connections, each with its own reconnect loop, and the collector's state machine, metrics
 * and per-instrument liveness.
 *
 * Behaviour (issue 3; limits from kite.trade/docs/connect/v3/websocket):
 * - Connections carry up to `limits.instrumentsPerConnection` instruments; the API key's
 *   connections are shared with other collectors on the same key (`connectionsUsedByOthers`).
 * - A dropped connection reconnects after min(maxDelay, base × 2^(n−1)) ms, at most
 *   `maxRetries` times in a row (then `failed`); every successful open resubscribes all its
 *   instruments with their modes.
 * - A rejected token (Kite: HTTP 403) puts the connection in `token_expired`: no retries until
 *   `setAccessToken` gives a new token.
 * - Watchdog: an open connection without a tick for `silenceMs` (during market hours, or
 *   always) is closed and reopened; consecutive silent trips double the threshold (up to 32×)
 *   so a holiday does not cause a reconnect storm.
 * State: stopped | connecting | live | reconnecting | token_expired | failed, the worst of the
 * connections' states (token_expired > failed > reconnecting > connecting > live).
 */
import type { Logger } from 'pino';
import type { Instrument } from '@/lib/market/instrument';
import { configuredCalendar } from '@/lib/config/history-env';
import type { Tick } from '@/lib/market/tick';
import type { BrokerStream, StreamConnection, StreamMode } from '../sources/stream';
import { reconnectDelayMs } from './backoff';
import { collectorDetail, collectorSnapshot, type CollectorReportView } from './collector-report';
import { placeTokens } from './subscription-plan';
import { TickRate } from './tick-rate';
import type {
  CollectorDefinition,
  CollectorDetail,
  CollectorSnapshot,
  CollectorState,
  ConnectionState,
  SubscriptionChange,
} from './types';

export interface CollectorOptions {
  definition: CollectorDefinition;
  stream: BrokerStream;
  /** Where ticks go (the pipeline). Called synchronously per decoded frame. */
  sink(ticks: Tick[]): void;
  /** Connections on this collector's API key held by other collectors. */
  connectionsUsedByOthers(): number;
  logger?: Logger;
  now?: () => number;
}

export interface Subscription {
  instrument: Instrument;
  mode: StreamMode;
  slot: number;
  subscribedAt: number;
  lastTickAt: number | null;
  lastExchangeTime: number | null;
}

export interface Slot {
  id: number;
  tokens: Set<number>;
  state: ConnectionState;
  connection: StreamConnection | null;
  attempts: number;
  opened: boolean;
  timer: NodeJS.Timeout | null;
  connectedAt: number | null;
  nextAttemptAt: number | null;
  lastError: string | null;
  /** Last tick (or open) on this connection: the watchdog's reference. */
  lastDataAt: number;
  silentTrips: number;
}

const STATE_RANK: Record<ConnectionState, number> = {
  token_expired: 5,
  failed: 4,
  reconnecting: 3,
  connecting: 2,
  idle: 1,
  live: 0,
};

export class Collector {
  readonly name: string;
  private readonly definition: CollectorDefinition;
  private readonly subs = new Map<number, Subscription>();
  private readonly slots = new Map<number, Slot>();
  private nextSlotId = 1;
  private running = false;
  private watchdog: NodeJS.Timeout | null = null;
  private readonly rate = new TickRate();
  private readonly now: () => number;
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
    this.now = options.now ?? Date.now;
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
    return this.running ? Math.max(this.slots.size, 1) : 0;
  }

  /** Connections needed when started (at least one, to validate the token and take subscriptions). */
  get connectionsNeeded(): number {
    return Math.max(this.slots.size, 1);
  }

  /** The collector's state (see the module comment). */
  get state(): CollectorState {
    if (!this.running) return 'stopped';
    let worst: ConnectionState = 'live';
    for (const slot of this.slots.values()) if (STATE_RANK[slot.state] > STATE_RANK[worst]) worst = slot.state;
    return worst === 'idle' ? 'connecting' : worst;
  }

  /** Open every connection (no-op when running). */
  start(): void {
    if (this.running) return;
    this.running = true;
    if (this.slots.size === 0) this.newSlot();
    for (const slot of this.slots.values()) {
      slot.attempts = 0;
      slot.opened = false;
      this.connect(slot);
    }
    this.watchdog = setInterval(() => this.checkSilence(), Math.min(1000, Math.max(100, this.definition.watchdog.silenceMs / 4)));
  }

  /** Close every connection; subscriptions are kept for the next start. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = null;
    await Promise.all([...this.slots.values()].map((slot) => this.closeSlot(slot, 'idle')));
  }

  /**
   * Subscribe instruments in `mode` (or change the mode of ones already subscribed). Throws
   * CollectorError('subscription_cap') when the new instruments do not fit the key's connections.
   */
  subscribe(instruments: readonly Instrument[], mode: StreamMode): SubscriptionChange {
    const fresh: Instrument[] = [];
    const seen = new Set<number>();
    const modeChanged = new Map<number, number[]>();
    for (const instrument of instruments) {
      const token = instrument.instrumentToken;
      if (seen.has(token)) continue;
      seen.add(token);
      const existing = this.subs.get(token);
      if (!existing) fresh.push(instrument);
      else if (existing.mode !== mode) {
        existing.mode = mode;
        modeChanged.set(existing.slot, [...(modeChanged.get(existing.slot) ?? []), token]);
      }
    }
    const limits = this.options.stream.limits;
    const placement = placeTokens({
      existing: new Map([...this.slots.values()].map((slot) => [slot.id, slot.tokens.size])),
      tokens: fresh.map((i) => i.instrumentToken),
      perConnection: limits.instrumentsPerConnection,
      newConnectionsAllowed: Math.max(0, limits.connectionsPerKey - this.options.connectionsUsedByOthers() - this.slots.size),
      connectionsPerKey: limits.connectionsPerKey,
      collector: this.name,
    });
    const byToken = new Map(fresh.map((i) => [i.instrumentToken, i]));
    const now = this.now();
    const assign = (slot: Slot, tokens: number[]) => {
      for (const token of tokens) {
        slot.tokens.add(token);
        this.subs.set(token, { instrument: byToken.get(token)!, mode, slot: slot.id, subscribedAt: now, lastTickAt: null, lastExchangeTime: null });
      }
    };
    for (const [id, tokens] of placement.onExisting) {
      const slot = this.slots.get(id)!;
      assign(slot, tokens);
      if (slot.state === 'live') slot.connection?.subscribe(tokens, mode);
    }
    for (const [id, tokens] of modeChanged) {
      const slot = this.slots.get(id)!;
      if (slot.state === 'live') slot.connection?.subscribe(tokens, mode);
    }
    for (const tokens of placement.onNew) {
      // The first connection of a collector with no instruments yet is reused.
      const empty = [...this.slots.values()].find((slot) => slot.tokens.size === 0);
      const slot = empty ?? this.newSlot();
      assign(slot, tokens);
      if (slot.state === 'live') slot.connection?.subscribe(tokens, mode);
      else if (this.running && slot.state === 'idle') this.connect(slot);
    }
    return {
      added: fresh.length,
      modeChanged: [...modeChanged.values()].reduce((n, list) => n + list.length, 0),
      removed: 0,
      instruments: this.subs.size,
    };
  }

  /** Unsubscribe tokens; connections left empty (other than the first) are closed. */
  async unsubscribe(tokens: readonly number[]): Promise<SubscriptionChange> {
    const bySlot = new Map<number, number[]>();
    for (const token of new Set(tokens)) {
      const sub = this.subs.get(token);
      if (!sub) continue;
      this.subs.delete(token);
      this.slots.get(sub.slot)?.tokens.delete(token);
      bySlot.set(sub.slot, [...(bySlot.get(sub.slot) ?? []), token]);
    }
    for (const [id, list] of bySlot) {
      const slot = this.slots.get(id)!;
      if (slot.state === 'live') slot.connection?.unsubscribe(list);
      if (slot.tokens.size === 0 && this.slots.size > 1) {
        await this.closeSlot(slot, 'idle');
        this.slots.delete(id);
      }
    }
    const removed = [...bySlot.values()].reduce((n, list) => n + list.length, 0);
    return { added: 0, modeChanged: 0, removed, instruments: this.subs.size };
  }

  /**
   * Use a new access token (Kite's expire daily, ~06:00 IST). Connections in token_expired or
   * failed reconnect at once; live ones keep their socket and use it on their next reconnect.
   */
  setAccessToken(accessToken: string): void {
    this.definition.credentials.accessToken = accessToken;
    if (!this.running) return;
    for (const slot of this.slots.values()) {
      if (slot.state === 'token_expired' || slot.state === 'failed') {
        slot.attempts = 0;
        this.connect(slot);
      }
    }
  }

  /** Tokens subscribed, with their mode. */
  subscriptions(): { token: number; mode: StreamMode }[] {
    return [...this.subs.entries()].map(([token, sub]) => ({ token, mode: sub.mode }));
  }

  /** Summary for lists, the API and metrics (worker/collectors/collector-report.ts). */
  snapshot(connectionsUsedByKey: number): CollectorSnapshot {
    return collectorSnapshot(this.reportView(), connectionsUsedByKey);
  }

  /** Snapshot plus per-instrument liveness. */
  detail(connectionsUsedByKey: number): CollectorDetail {
    return collectorDetail(this.reportView(), connectionsUsedByKey);
  }

  /** What the report needs, read at this instant. */
  private reportView(): CollectorReportView {
    const now = this.now();
    return {
      name: this.name,
      definition: this.definition,
      state: this.state,
      running: this.running,
      connectionsNeeded: this.connectionsNeeded,
      limits: this.options.stream.limits,
      subscriptions: [...this.subs.values()],
      connections: [...this.slots.values()],
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

  private newSlot(): Slot {
    const slot: Slot = {
      id: this.nextSlotId++,
      tokens: new Set(),
      state: 'idle',
      connection: null,
      attempts: 0,
      opened: false,
      timer: null,
      connectedAt: null,
      nextAttemptAt: null,
      lastError: null,
      lastDataAt: this.now(),
      silentTrips: 0,
    };
    this.slots.set(slot.id, slot);
    return slot;
  }

  private connect(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.nextAttemptAt = null;
    slot.state = slot.opened ? 'reconnecting' : 'connecting';
    const { definition, stream } = { definition: this.definition, stream: this.options.stream };
    slot.connection = stream.connect(
      {
        credentials: { ...definition.credentials },
        endpoint: definition.endpoint,
        lookup: (token) => this.subs.get(token)?.instrument,
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
  }

  private onOpen(slot: Slot): void {
    const now = this.now();
    if (slot.opened) this.options.logger?.info({ collector: this.name, connection: slot.id }, 'reconnected; resubscribing');
    slot.opened = true;
    slot.state = 'live';
    slot.attempts = 0;
    slot.connectedAt = now;
    slot.lastDataAt = now;
    const byMode = new Map<StreamMode, number[]>();
    for (const token of slot.tokens) {
      const mode = this.subs.get(token)!.mode;
      byMode.set(mode, [...(byMode.get(mode) ?? []), token]);
    }
    for (const [mode, tokens] of byMode) slot.connection?.subscribe(tokens, mode);
  }

  private onTicks(slot: Slot, ticks: Tick[]): void {
    const now = this.now();
    slot.lastDataAt = now;
    slot.silentTrips = 0;
    this.metrics.ticksReceived += ticks.length;
    this.metrics.lastTickAt = now;
    this.rate.add(ticks.length, now);
    for (const tick of ticks) {
      const sub = this.subs.get(tick.instrumentToken);
      if (sub) {
        sub.lastTickAt = now;
        sub.lastExchangeTime = tick.exchangeTime;
      }
      if (this.metrics.lastExchangeTime === null || tick.exchangeTime > this.metrics.lastExchangeTime) {
        this.metrics.lastExchangeTime = tick.exchangeTime;
      }
    }
    try {
      this.options.sink(ticks);
    } catch (error) {
      this.noteError(slot, `tick sink failed: ${error instanceof Error ? error.message : String(error)}`, false);
    }
  }

  private onClose(slot: Slot, reason: string, tokenRejected: boolean): void {
    slot.connection = null;
    slot.connectedAt = null;
    if (!this.running) {
      slot.state = 'idle';
      return;
    }
    slot.lastError = reason;
    if (tokenRejected) {
      slot.state = 'token_expired';
      this.metrics.lastError = `access token rejected: ${reason}`;
      this.options.logger?.error({ collector: this.name, connection: slot.id, reason }, 'access token rejected; waiting for a new token');
      return;
    }
    this.scheduleReconnect(slot, reason);
  }

  private scheduleReconnect(slot: Slot, reason: string): void {
    slot.attempts += 1;
    const policy = this.definition.reconnect;
    if (slot.attempts > policy.maxRetries) {
      slot.state = 'failed';
      this.options.logger?.error({ collector: this.name, connection: slot.id, reason }, `gave up after ${policy.maxRetries} reconnect attempts`);
      return;
    }
    const delay = reconnectDelayMs(slot.attempts, policy);
    slot.state = slot.opened ? 'reconnecting' : 'connecting';
    slot.nextAttemptAt = this.now() + delay;
    this.metrics.reconnects += 1;
    this.options.logger?.warn({ collector: this.name, connection: slot.id, reason, attempt: slot.attempts, delayMs: delay }, 'connection lost; reconnecting');
    slot.timer = setTimeout(() => {
      slot.timer = null;
      if (this.running) this.connect(slot);
    }, delay);
  }

  private checkSilence(): void {
    const now = this.now();
    if (!this.inWatchHours(now)) return;
    for (const slot of this.slots.values()) {
      if (slot.state !== 'live' || slot.tokens.size === 0) continue;
      const threshold = this.definition.watchdog.silenceMs * 2 ** Math.min(slot.silentTrips, 5);
      if (now - slot.lastDataAt < threshold) continue;
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
  }

  private noteError(slot: Slot, message: string, connectionError: boolean): void {
    this.metrics.errors += 1;
    this.metrics.lastError = message;
    if (connectionError) slot.lastError = message;
  }

  private async closeSlot(slot: Slot, state: ConnectionState): Promise<void> {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.nextAttemptAt = null;
    const connection = slot.connection;
    slot.connection = null;
    slot.state = state;
    slot.connectedAt = null;
    await connection?.close();
  }
}
