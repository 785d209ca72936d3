/**
 * The alert engine (runs in the worker, so alerts fire with no browser open).
 *
 * Every `evaluateMs` (default 1 s) it evaluates each enabled alert against the scanner's rows of
 * its target instruments (a symbol, or a watchlist's symbols, re-resolved on every reload) and
 * fires the hits the firing policy allows (conditions.ts): the firing is stored in
 * alert_events (a one-shot alert is disabled in the same step), emitted to every Socket.IO client
 * as `alert`, and POSTed to the alert's webhook through a bounded queue (delivery-queue.ts) with
 * retries and the SSRF policy (webhook.ts; the outcome is written
 * back to the history row). Definitions are reloaded from the database every `reloadMs`
 * (default 5 s) or at once after `reload()`, so alerts created through the web app (another
 * process in server mode) are picked up.
 */
import type { Logger } from 'pino';
import type { Database } from '@/lib/db/client';
import { listAlerts, recordAlertFiring, setAlertEventWebhookStatus } from '@/lib/db/queries/alerts';
import { getWatchlistSymbols } from '@/lib/db/queries/watchlists';
import { ALERT_LIMITS, type AlertDefinition, type AlertEvent } from '@/lib/market/alerts';
import type { ScannerRow } from '@/lib/market/scanner';
import { parseSymbol, symbolOf } from '@/lib/market/tick';
import type { Timeframe } from '@/lib/market/timeframes';
import { applyPreset } from '../scanner/presets';
import { evaluateCondition, mayFire } from './conditions';
import { DeliveryQueue, type DeliveryQueueOptions } from './delivery-queue';
import { postWebhook, type WebhookOptions, type WebhookResult } from './webhook';

export interface AlertEngineOptions {
  db: Database;
  scanner: { rows(timeframe: Timeframe): ScannerRow[] };
  emit: (event: AlertEvent) => void;
  logger?: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Wall clock, epoch ms (default Date.now): cooldowns and fired_at. */
  now?: () => number;
  evaluateMs?: number;
  reloadMs?: number;
  webhook?: WebhookOptions;
  /** Webhook queue bounds (default ALERT_LIMITS: 4 at once, 100 waiting). */
  deliveries?: DeliveryQueueOptions;
  /** The webhook sender (default postWebhook); tests count calls through it. */
  post?: (url: string, body: unknown, options?: WebhookOptions) => Promise<WebhookResult>;
  /** Watchlist name → symbols (default getWatchlistSymbols). */
  resolveWatchlist?: (name: string) => Promise<string[] | null>;
}

interface LoadedAlert {
  definition: AlertDefinition;
  symbols: string[];
}

export class AlertEngine {
  private alerts: LoadedAlert[] = [];
  private loadedAt = Number.NEGATIVE_INFINITY;
  private stale = true;
  private readonly lastLtp = new Map<string, number>();
  private readonly lastFired = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<AlertEvent[]> | null = null;
  /** Bounded webhook deliveries (delivery-queue.ts). */
  readonly deliveries: DeliveryQueue;
  fired = 0;

  constructor(private readonly options: AlertEngineOptions) {
    this.deliveries = new DeliveryQueue(options.deliveries);
  }

  start(): void {
    this.timer ??= setInterval(() => void this.evaluate().catch(() => undefined), this.options.evaluateMs ?? 1000);
  }

  /** Stop evaluating; waits for an evaluation and webhook deliveries in flight (bounded by their retries). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
    await this.deliveries.drain();
  }

  /** Reload definitions before the next evaluation (after a change through the API). */
  reload(): void {
    this.stale = true;
  }

  /** Number of enabled alerts loaded. */
  get size(): number {
    return this.alerts.length;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private async load(): Promise<void> {
    const definitions = await listAlerts(this.options.db, { enabledOnly: true });
    const resolve = this.options.resolveWatchlist ?? ((name: string) => getWatchlistSymbols(this.options.db, name));
    const loaded: LoadedAlert[] = [];
    for (const definition of definitions) {
      let symbols: string[];
      if (definition.target.kind === 'symbol') {
        const parsed = parseSymbol(definition.target.value);
        symbols = parsed ? [symbolOf(parsed)] : [];
      } else {
        symbols = (await resolve(definition.target.value)) ?? [];
      }
      loaded.push({ definition, symbols });
    }
    this.alerts = loaded;
    this.loadedAt = this.now();
    this.stale = false;
  }

  /** One evaluation round (the timer calls it; tests call it directly). Returns the events fired. */
  evaluate(): Promise<AlertEvent[]> {
    if (this.running) return this.running;
    this.running = this.evaluateOnce()
      .catch((error) => {
        this.options.logger?.error({ err: error }, 'alert evaluation failed');
        return [];
      })
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  private async evaluateOnce(): Promise<AlertEvent[]> {
    if (this.stale || this.now() - this.loadedAt >= (this.options.reloadMs ?? 5000)) await this.load();
    const fired: AlertEvent[] = [];
    const rowsByTimeframe = new Map<Timeframe, Map<string, ScannerRow>>();
    const rowsOf = (timeframe: Timeframe) => {
      let map = rowsByTimeframe.get(timeframe);
      if (!map) {
        map = new Map(this.options.scanner.rows(timeframe).map((row) => [row.symbol, row]));
        rowsByTimeframe.set(timeframe, map);
      }
      return map;
    };
    for (const alert of this.alerts) {
      const { definition } = alert;
      if (!definition.enabled) continue;
      const condition = definition.condition;
      const timeframe: Timeframe = 'timeframe' in condition ? condition.timeframe : '1d';
      const rows = rowsOf(timeframe);
      let ranks: Map<string, number> | undefined;
      if (condition.type === 'scanner_preset') {
        const ranked = applyPreset([...rows.values()], condition.preset, condition.top);
        ranks = new Map(ranked.map((row, i) => [row.symbol, i + 1]));
      }
      for (const symbol of alert.symbols) {
        const row = rows.get(symbol);
        if (!row) continue;
        const key = `${definition.id}:${row.instrumentToken}`;
        const previous = this.lastLtp.get(key);
        this.lastLtp.set(key, row.ltp);
        const hit = evaluateCondition(condition, row, previous, ranks?.get(symbol));
        const now = this.now();
        // Repeating alerts never re-fire sooner than the minimum cooldown, whatever older rows say.
        const policy = { repeat: definition.repeat, cooldownSec: Math.max(definition.cooldownSec, ALERT_LIMITS.minRepeatCooldownSec) };
        if (!hit || !mayFire(policy, this.lastFired.get(key), now)) continue;
        this.lastFired.set(key, now);
        const event = await recordAlertFiring(this.options.db, {
          alertId: definition.id,
          alertName: definition.name,
          symbol: row.symbol,
          instrumentToken: row.instrumentToken,
          tickTime: new Date(row.time),
          message: hit.message,
          value: hit.value,
          firedAt: new Date(now),
          disable: !definition.repeat,
        });
        this.fired += 1;
        fired.push(event);
        this.options.emit(event);
        if (definition.webhookUrl) this.deliver(definition.webhookUrl, definition, event);
        if (!definition.repeat) {
          definition.enabled = false; // one-shot: done (disabled in the database too)
          break;
        }
      }
    }
    return fired;
  }

  private deliver(url: string, definition: AlertDefinition, event: AlertEvent): void {
    const post = this.options.post ?? postWebhook;
    const record = (status: string) => setAlertEventWebhookStatus(this.options.db, event.id, status).catch(() => undefined);
    this.deliveries.push(
      async () => {
        const body = { alert: { id: definition.id, name: definition.name, condition: definition.condition, target: definition.target }, event };
        const result = await post(url, body, this.options.webhook);
        // The host only: a URL may carry a secret path or (older rows) credentials.
        if (!result.ok) this.options.logger?.warn({ alert: definition.id, host: hostOf(url), status: result.status }, 'alert webhook failed');
        await record(result.status);
      },
      () => record('failed: delivery queue full (not sent)'),
    );
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '(invalid URL)';
  }
}
