/**
 * Broker collectors (docs/brokers.md): the snapshot and detail the worker reports, subscription
 * changes, and the request bodies of /api/collectors… (and the stand-alone worker's /collectors…,
 * which the web app proxies to in server mode: same bodies and answers).
 *
 * Units: times ISO-8601 UTC strings; durations in the POST body in seconds (as in the YAML config,
 * lib/config/collectors-config.ts).
 */
import { z } from 'zod';
import { collectorEntrySchema, toCollectorConfig, type CollectorConfig } from '@/lib/config/collectors-config';
import { refuseApiEndpoints } from '@/lib/security/collector-endpoints';

export const BROKERS = ['kite', 'fyers'] as const;
export type BrokerId = (typeof BROKERS)[number];

export const STREAM_MODES = ['ltp', 'quote', 'full'] as const;
export type StreamMode = (typeof STREAM_MODES)[number];

/** stopped → connecting → live → reconnecting → token_expired / failed (issue 3). */
export const COLLECTOR_STATES = ['stopped', 'connecting', 'live', 'reconnecting', 'token_expired', 'failed'] as const;
export type CollectorState = (typeof COLLECTOR_STATES)[number];

const time = z.string().nullable();

export const connectionSnapshotSchema = z.object({
  id: z.number().int(),
  state: z.enum(['idle', 'connecting', 'live', 'reconnecting', 'token_expired', 'failed']),
  instruments: z.number().int(),
  /** Consecutive failed attempts since the last successful open. */
  attempts: z.number().int(),
  connectedAt: time,
  nextAttemptAt: time,
  lastError: z.string().nullable(),
});

export type ConnectionSnapshot = z.infer<typeof connectionSnapshotSchema>;
export type ConnectionState = ConnectionSnapshot['state'];

export const collectorMetricsSchema = z
  .object({
    ticksReceived: z.number().int(),
    /** Ticks per second over the last 10 s. */
    ticksPerSecond: z.number(),
    reconnects: z.number().int(),
    watchdogReconnects: z.number().int(),
    /** Receive time of the last tick. */
    lastTickAt: time,
    /** Exchange timestamp of the last tick. */
    lastExchangeTime: time,
    errors: z.number().int(),
    malformedFrames: z.number().int(),
    unknownTicks: z.number().int(),
    lastError: z.string().nullable(),
  })
  .meta({ id: 'CollectorMetrics' });

export type CollectorMetrics = z.infer<typeof collectorMetricsSchema>;

export const subscriptionBudgetSchema = z.object({
  /** Instruments this collector subscribes. */
  requested: z.number().int(),
  perConnection: z.number().int(),
  connectionsPerKey: z.number().int(),
  /** Connections this collector uses. */
  connections: z.number().int(),
  /** Connections all collectors on the same API key use. */
  connectionsUsedByKey: z.number().int(),
  /** Instruments this collector could still add with the key's remaining connections. */
  remaining: z.number().int(),
});

export type SubscriptionBudget = z.infer<typeof subscriptionBudgetSchema>;

export const collectorSnapshotSchema = z
  .object({
    name: z.string(),
    broker: z.enum(BROKERS),
    state: z.enum(COLLECTOR_STATES),
    autoStart: z.boolean(),
    /** API key with all but the last 4 characters masked. */
    apiKey: z.string(),
    endpoint: z.string().nullable(),
    instruments: z.number().int(),
    modes: z.object({ ltp: z.number().int(), quote: z.number().int(), full: z.number().int() }),
    neverTicked: z.number().int(),
    budget: subscriptionBudgetSchema,
    connections: z.array(connectionSnapshotSchema),
    metrics: collectorMetricsSchema,
  })
  .meta({ id: 'CollectorSnapshot' });

export type CollectorSnapshot = z.infer<typeof collectorSnapshotSchema>;

export const INSTRUMENT_LIVENESS = ['live', 'waiting', 'never_ticked'] as const;
export type InstrumentLiveness = (typeof INSTRUMENT_LIVENESS)[number];

export const instrumentStatusSchema = z.object({
  instrumentToken: z.number().int(),
  symbol: z.string(),
  mode: z.enum(STREAM_MODES),
  connection: z.number().int(),
  subscribedAt: z.string(),
  lastTickAt: time,
  lastExchangeTime: time,
  status: z.enum(INSTRUMENT_LIVENESS),
});

export type InstrumentStatus = z.infer<typeof instrumentStatusSchema>;

export const collectorDetailSchema = collectorSnapshotSchema
  .extend({ instrumentStatus: z.array(instrumentStatusSchema) })
  .meta({ id: 'CollectorDetail' });

export type CollectorDetail = z.infer<typeof collectorDetailSchema>;

/** Result of a subscribe/unsubscribe: what changed. */
export const subscriptionChangeSchema = z
  .object({ added: z.number().int(), modeChanged: z.number().int(), removed: z.number().int(), instruments: z.number().int() })
  .meta({ id: 'SubscriptionChange' });

export type SubscriptionChange = z.infer<typeof subscriptionChangeSchema>;

/** Path param `{name}`. */
export const collectorParams = z.object({ name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/i, 'unknown collector name') });

/** POST /api/collectors: a config entry (durations in seconds) → the worker's definition (ms). */
export const createCollectorBody = collectorEntrySchema.superRefine(refuseApiEndpoints).transform(toCollectorConfig);

const targets = {
  symbols: z.array(z.string().min(3).max(64)).max(9000).optional(),
  tokens: z.array(z.number().int().positive()).max(9000).optional(),
  watchlist: z.string().min(1).max(64).optional(),
};
const hasTarget = (s: { symbols?: string[]; tokens?: number[]; watchlist?: string }) => Boolean(s.symbols?.length || s.tokens?.length || s.watchlist);

/** POST /api/collectors/{name}/subscribe: `{ mode?: "ltp"|"quote"|"full" (quote), symbols?, tokens?, watchlist? }`. */
export const subscribeBody = z
  .object({ mode: z.enum(STREAM_MODES).default('quote'), ...targets })
  .strict()
  .refine(hasTarget, { message: 'needs symbols, tokens or watchlist', path: ['symbols'] });

/** One subscription request: instruments by symbol, token or watchlist, in one mode. */
export type SubscriptionSpec = z.output<typeof subscribeBody>;

/** POST /api/collectors/{name}/unsubscribe: `{ symbols?, tokens?, watchlist? }`. */
export const unsubscribeBody = z
  .object(targets)
  .strict()
  .refine(hasTarget, { message: 'needs symbols, tokens or watchlist', path: ['symbols'] });

/** POST /api/collectors/{name}/token: `{ accessToken }` (Kite: today's token from the login flow). */
export const accessTokenBody = z.object({ accessToken: z.string().min(1).max(512) }).strict();

export const collectorsResponseSchema = z.object({ collectors: z.array(collectorSnapshotSchema) });
export const collectorResponseSchema = z.object({ collector: collectorSnapshotSchema });
export const collectorDetailResponseSchema = z.object({ collector: collectorDetailSchema });
export const subscriptionChangeResponseSchema = z.object({ change: subscriptionChangeSchema });
export const collectorMetricsResponseSchema = z.object({
  collectors: z.array(
    z.object({ name: z.string(), broker: z.enum(BROKERS), state: z.enum(COLLECTOR_STATES), metrics: collectorMetricsSchema }),
  ),
});

/**
 * The operations behind /api/collectors: the worker's collector manager in-process, or the
 * worker's /collectors endpoints over HTTP (lib/gateway). Methods reject with AppError
 * (lib/http/errors.ts): 400 naming the field, 404, 409, 422 subscription cap, 503 unavailable.
 */
export interface CollectorControl {
  list(): Promise<CollectorSnapshot[]>;
  get(name: string): Promise<CollectorDetail>;
  create(definition: CollectorConfig): Promise<CollectorSnapshot>;
  start(name: string): Promise<CollectorSnapshot>;
  stop(name: string): Promise<CollectorSnapshot>;
  subscribe(name: string, spec: SubscriptionSpec): Promise<SubscriptionChange>;
  unsubscribe(name: string, spec: Omit<SubscriptionSpec, 'mode'>): Promise<SubscriptionChange>;
  setAccessToken(name: string, accessToken: string): Promise<CollectorSnapshot>;
}
