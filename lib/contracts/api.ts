/**
 * Every HTTP endpoint of the web app: method, path, the zod schemas of its params, query, body
 * and answer, and what the reference says about it. Route handlers are `route(api.x, handler)`
 * (lib/http/route.ts), and the OpenAPI document (lib/contracts/openapi.ts, GET /api/openapi.json,
 * rendered at /docs) is generated from this table, so validation and documentation cannot drift.
 * A test checks that every app/api route file has its entry here and the other way round.
 *
 * The stand-alone worker serves the collectors and scanner endpoints under its own paths
 * (`workerApi` below) with the same contracts.
 */
import { z } from 'zod';
import {
  createTokenEndpoint,
  createUserEndpoint,
  changePasswordEndpoint,
  deleteUserEndpoint,
  listTokensEndpoint,
  listUsersEndpoint,
  revokeTokenEndpoint,
  session,
  signIn,
  signOut,
  updateUserEndpoint,
} from '@/lib/auth/contracts';
import { endpoint, type Endpoint } from '@/lib/http/endpoint';
import { getIndicatorsEndpoint } from '@/lib/indicators/contract';
import { getOptionChainEndpoint } from '@/lib/options/contract';
import {
  alertEventsQuerySchema,
  alertEventsResponseSchema,
  alertResponseSchema,
  alertsResponseSchema,
  createAlertSchema,
  updateAlertSchema,
} from './alert';
import { candlesQuerySchema, candlesResponseSchema } from './candle';
import {
  accessTokenBody,
  collectorDetailResponseSchema,
  collectorMetricsResponseSchema,
  collectorParams,
  collectorResponseSchema,
  collectorsResponseSchema,
  createCollectorBody,
  subscribeBody,
  subscriptionChangeResponseSchema,
  unsubscribeBody,
} from './collector';
import { deletedSchema, idParam, noQuery } from './common';
import { completenessQuerySchema, completenessResponseSchema, gapsQuerySchema, gapsResponseSchema } from './gaps';
import { healthResponseSchema } from './health';
import { meEndpoints } from './me';
import { subscribeChainEndpoint } from './chain-subscription';
import { instrumentParams, instrumentResponseSchema, instrumentsQuerySchema, instrumentsResponseSchema } from './instrument';
import {
  dayStatsResponseSchema,
  dayVwapResponseSchema,
  intradayCandlesQuerySchema,
  intradayQuerySchema,
  latestCandleResponseSchema,
  orderBookResponseSchema,
  sessionCandlesResponseSchema,
  ticksQuerySchema,
  ticksResponseSchema,
} from './intraday';
import { quotesResponseSchema } from './quote';
import { scannerQuerySchema, scannerResultSchema } from './scanner';
import {
  createWatchlistSchema,
  mergeWatchlistsResponseSchema,
  mergeWatchlistsSchema,
  updateWatchlistSchema,
  watchlistChangeResponseSchema,
  watchlistIndexSchema,
  watchlistItemsSchema,
  watchlistParams,
  watchlistSchema,
} from './watchlist';

const alertParams = z.object({ id: idParam });

export const api = {
  // Market data
  getCandles: endpoint({
    method: 'GET',
    path: '/api/candles',
    tags: ['Market data'],
    summary: 'OHLCV candles of one instrument',
    description:
      'Candles whose bucket start is in [from, to), oldest first, at most the newest 5,000. Intraday buckets start at 09:15 IST + k × width, daily buckets at 00:00 IST. ' +
      'Without from/to: a window ending now (1m: 3 days … 1d: 365), slid back to the newest stored candle when that is older. Longest range: 1m 31 days … 1d 20 years. ' +
      '`gaps` reports missing 1m candles from the database (ranges up to 92 days); a read never calls the broker.',
    query: candlesQuerySchema,
    response: candlesResponseSchema,
    errors: ['invalid_request', 'not_found'],
  }),
  getIndicators: getIndicatorsEndpoint,
  getOptionChain: getOptionChainEndpoint,
  searchInstruments: endpoint({
    method: 'GET',
    path: '/api/instruments',
    tags: ['Market data'],
    summary: 'Search and browse instruments',
    description:
      'Every parameter optional, combined with AND. `q`: every whitespace-separated term occurs in tradingsymbol or name or equals the instrument type ("nifty fut"); ranked exact symbol or index alias ("banknifty" → NIFTY BANK), symbol prefix, then index, equity, nearest live future, option. Filters: exchange, segment, type, underlying, expiry, strike range; paginated by limit/offset with the total.',
    query: instrumentsQuerySchema,
    response: instrumentsResponseSchema,
    errors: ['invalid_request'],
  }),
  getInstrument: endpoint({
    method: 'GET',
    path: '/api/instruments/{token}',
    tags: ['Market data'],
    summary: 'One instrument by instrument_token',
    params: instrumentParams,
    response: instrumentResponseSchema,
    errors: ['invalid_request', 'not_found'],
  }),
  getQuotes: endpoint({
    method: 'GET',
    path: '/api/quotes',
    tags: ['Market data'],
    summary: 'Latest stored quote of every instrument',
    description:
      'The last stored tick of every instrument that ticked in the last 96 hours, with the previous session close and the change against it (null when no previous close is stored).',
    query: noQuery,
    response: quotesResponseSchema,
  }),

  // Storage
  getGaps: endpoint({
    method: 'GET',
    path: '/api/gaps',
    tags: ['Storage'],
    summary: 'Missing 1m candles of one instrument',
    description:
      "Runs of the instrument's session minutes without a complete 1m candle (a partial one counts as missing), never on a holiday, weekend or outside the session; `to` exclusive. " +
      'By default only days with data count; `allDays=true` expects every trading day. Feed events of the range name the causes.',
    query: gapsQuerySchema,
    response: gapsResponseSchema,
    errors: ['invalid_request', 'not_found'],
  }),
  getCompleteness: endpoint({
    method: 'GET',
    path: '/api/completeness',
    tags: ['Storage'],
    summary: 'Share of expected buckets present on one IST date, per timeframe',
    query: completenessQuerySchema,
    response: completenessResponseSchema,
    errors: ['invalid_request', 'not_found'],
  }),

  // Intraday
  getLatestCandle: endpoint({
    method: 'GET',
    path: '/api/intraday/latest',
    tags: ['Intraday'],
    summary: 'The newest closed 1m candle',
    query: intradayQuerySchema,
    response: latestCandleResponseSchema,
    errors: ['invalid_request', 'not_found'],
  }),
  getSessionCandles: endpoint({
    method: 'GET',
    path: '/api/intraday/today',
    tags: ['Intraday'],
    summary: "One session's candles",
    description: 'All candles of one IST date (default: the instrument\'s latest session), oldest first.',
    query: intradayCandlesQuerySchema,
    response: sessionCandlesResponseSchema,
    errors: ['invalid_request', 'not_found'],
  }),
  getDayStats: endpoint({
    method: 'GET',
    path: '/api/intraday/stats',
    tags: ['Intraday'],
    summary: 'Day statistics from the 1m candles',
    query: intradayQuerySchema,
    response: dayStatsResponseSchema,
    errors: ['invalid_request', 'not_found'],
  }),
  getDayVwap: endpoint({
    method: 'GET',
    path: '/api/intraday/vwap',
    tags: ['Intraday'],
    summary: 'Day VWAP (ticks, exchange average price, candles)',
    query: intradayQuerySchema,
    response: dayVwapResponseSchema,
    errors: ['invalid_request', 'not_found'],
  }),
  getTicks: endpoint({
    method: 'GET',
    path: '/api/intraday/ticks',
    tags: ['Intraday'],
    summary: 'Stored ticks, paged',
    description: 'Raw stored ticks in [from, to) (at most 1 day; default the last hour), oldest first; pass `nextCursor` back as `cursor` until it is null.',
    query: ticksQuerySchema,
    response: ticksResponseSchema,
    errors: ['invalid_request', 'not_found'],
  }),
  getOrderBook: endpoint({
    method: 'GET',
    path: '/api/intraday/orderbook',
    tags: ['Intraday'],
    summary: 'The newest stored 5-level depth snapshot',
    query: intradayQuerySchema,
    response: orderBookResponseSchema,
    errors: ['invalid_request', 'not_found'],
  }),

  // Desk: scanner, watchlists, alerts
  scan: endpoint({
    method: 'GET',
    path: '/api/scanner',
    tags: ['Scanner'],
    summary: 'Ranked scanner rows',
    description: 'Signals and opportunity score per instrument (docs/desk.md). With `symbols`: the rows of just those instruments, in that order, no preset filter.',
    query: scannerQuerySchema,
    response: scannerResultSchema,
    errors: ['invalid_request', 'unavailable'],
  }),
  listWatchlists: endpoint({
    method: 'GET',
    path: '/api/watchlists',
    tags: ['Watchlists'],
    summary: 'Every list: the 15 predefined ones and the user\'s',
    query: noQuery,
    response: watchlistIndexSchema,
  }),
  createWatchlist: endpoint({
    method: 'POST',
    path: '/api/watchlists',
    tags: ['Watchlists'],
    summary: 'Create a user list',
    body: createWatchlistSchema,
    response: watchlistChangeResponseSchema,
    status: 201,
    errors: ['invalid_request', 'conflict'],
  }),
  getWatchlist: endpoint({
    method: 'GET',
    path: '/api/watchlists/{name}',
    tags: ['Watchlists'],
    summary: 'One list with a quote per instrument',
    description: 'Predefined or user list, case-insensitive. Quotes from the scanner when it is reachable, else the latest stored tick.',
    params: watchlistParams,
    response: watchlistSchema,
    errors: ['not_found'],
  }),
  updateWatchlist: endpoint({
    method: 'PATCH',
    path: '/api/watchlists/{name}',
    tags: ['Watchlists'],
    summary: 'Rename and/or reorder a user list',
    params: watchlistParams,
    body: updateWatchlistSchema,
    response: watchlistChangeResponseSchema,
    errors: ['invalid_request', 'not_found', 'conflict'],
  }),
  deleteWatchlist: endpoint({
    method: 'DELETE',
    path: '/api/watchlists/{name}',
    tags: ['Watchlists'],
    summary: 'Delete a user list',
    params: watchlistParams,
    response: deletedSchema,
    errors: ['not_found', 'conflict'],
  }),
  addWatchlistItems: endpoint({
    method: 'POST',
    path: '/api/watchlists/{name}/items',
    tags: ['Watchlists'],
    summary: 'Append instruments (already listed ones are skipped)',
    params: watchlistParams,
    body: watchlistItemsSchema,
    response: watchlistChangeResponseSchema,
    errors: ['invalid_request', 'not_found', 'conflict'],
  }),
  removeWatchlistItems: endpoint({
    method: 'DELETE',
    path: '/api/watchlists/{name}/items',
    tags: ['Watchlists'],
    summary: 'Remove instruments (absent ones are ignored)',
    params: watchlistParams,
    body: watchlistItemsSchema,
    response: watchlistChangeResponseSchema,
    errors: ['invalid_request', 'not_found', 'conflict'],
  }),
  mergeWatchlists: endpoint({
    method: 'POST',
    path: '/api/watchlists/merge',
    tags: ['Watchlists'],
    summary: 'Append the instruments of lists to a user list (created when missing)',
    body: mergeWatchlistsSchema,
    response: mergeWatchlistsResponseSchema,
    errors: ['invalid_request', 'not_found', 'conflict'],
  }),
  listAlerts: endpoint({
    method: 'GET',
    path: '/api/alerts',
    tags: ['Alerts'],
    summary: 'Every alert, newest first',
    query: noQuery,
    response: alertsResponseSchema,
  }),
  createAlert: endpoint({
    method: 'POST',
    path: '/api/alerts',
    tags: ['Alerts'],
    summary: 'Create an alert',
    description: 'The worker evaluates alerts (docs/desk.md); an in-process engine reloads at once, a separate worker within 5 s.',
    body: createAlertSchema,
    response: alertResponseSchema,
    status: 201,
    errors: ['invalid_request'],
  }),
  getAlert: endpoint({
    method: 'GET',
    path: '/api/alerts/{id}',
    tags: ['Alerts'],
    summary: 'One alert',
    params: alertParams,
    response: alertResponseSchema,
    errors: ['invalid_request', 'not_found'],
  }),
  updateAlert: endpoint({
    method: 'PATCH',
    path: '/api/alerts/{id}',
    tags: ['Alerts'],
    summary: 'Change any field of an alert',
    description: '`{ "enabled": true }` re-arms a fired one-shot alert.',
    params: alertParams,
    body: updateAlertSchema,
    response: alertResponseSchema,
    errors: ['invalid_request', 'not_found'],
  }),
  deleteAlert: endpoint({
    method: 'DELETE',
    path: '/api/alerts/{id}',
    tags: ['Alerts'],
    summary: 'Delete an alert (its history stays)',
    params: alertParams,
    response: deletedSchema,
    errors: ['invalid_request', 'not_found'],
  }),
  listAlertEvents: endpoint({
    method: 'GET',
    path: '/api/alerts/events',
    tags: ['Alerts'],
    summary: 'Alert history, newest first',
    query: alertEventsQuerySchema,
    response: alertEventsResponseSchema,
    errors: ['invalid_request'],
  }),

  // Collectors
  listCollectors: endpoint({
    method: 'GET',
    path: '/api/collectors',
    tags: ['Collectors'],
    summary: 'Every broker collector',
    response: collectorsResponseSchema,
    errors: ['unavailable'],
  }),
  createCollector: endpoint({
    method: 'POST',
    path: '/api/collectors',
    tags: ['Collectors'],
    summary: 'Create (and with autoStart, start) a collector',
    description: 'Body: one entry of the YAML config (docs/brokers.md; durations in seconds).',
    body: createCollectorBody,
    response: collectorResponseSchema,
    status: 201,
    errors: ['invalid_request', 'conflict', 'subscription_cap', 'unavailable'],
  }),
  collectorMetrics: endpoint({
    method: 'GET',
    path: '/api/collectors/metrics',
    tags: ['Collectors'],
    summary: "Each collector's counters",
    response: collectorMetricsResponseSchema,
    errors: ['unavailable'],
  }),
  getCollector: endpoint({
    method: 'GET',
    path: '/api/collectors/{name}',
    tags: ['Collectors'],
    summary: 'A collector with per-instrument liveness',
    params: collectorParams,
    response: collectorDetailResponseSchema,
    errors: ['invalid_request', 'not_found', 'unavailable'],
  }),
  startCollector: endpoint({
    method: 'POST',
    path: '/api/collectors/{name}/start',
    tags: ['Collectors'],
    summary: 'Start a collector',
    params: collectorParams,
    response: collectorResponseSchema,
    errors: ['invalid_request', 'not_found', 'subscription_cap', 'unavailable'],
  }),
  stopCollector: endpoint({
    method: 'POST',
    path: '/api/collectors/{name}/stop',
    tags: ['Collectors'],
    summary: 'Stop a collector (subscriptions are kept)',
    params: collectorParams,
    response: collectorResponseSchema,
    errors: ['invalid_request', 'not_found', 'unavailable'],
  }),
  subscribeCollector: endpoint({
    method: 'POST',
    path: '/api/collectors/{name}/subscribe',
    tags: ['Collectors'],
    summary: 'Subscribe instruments (already subscribed ones switch to `mode`)',
    description: '422 when the instruments do not fit the API key\'s connections (Kite: 3 × 3,000): nothing is subscribed then.',
    params: collectorParams,
    body: subscribeBody,
    response: subscriptionChangeResponseSchema,
    errors: ['invalid_request', 'not_found', 'subscription_cap', 'unavailable'],
  }),
  subscribeCollectorChain: subscribeChainEndpoint,
  unsubscribeCollector: endpoint({
    method: 'POST',
    path: '/api/collectors/{name}/unsubscribe',
    tags: ['Collectors'],
    summary: 'Unsubscribe instruments',
    params: collectorParams,
    body: unsubscribeBody,
    response: subscriptionChangeResponseSchema,
    errors: ['invalid_request', 'not_found', 'unavailable'],
  }),
  setCollectorToken: endpoint({
    method: 'POST',
    path: '/api/collectors/{name}/token',
    tags: ['Collectors'],
    summary: "Replace a collector's access token",
    description: 'A collector in token_expired (or failed) reconnects at once and resubscribes; a live one uses the new token on its next reconnect.',
    params: collectorParams,
    body: accessTokenBody,
    response: collectorResponseSchema,
    errors: ['invalid_request', 'not_found', 'unavailable'],
  }),

  // The caller's own preferences (lib/contracts/me.ts)
  getChartPrefs: meEndpoints.getChartPrefs,
  putChartPrefs: meEndpoints.putChartPrefs,

  // Accounts and API tokens (lib/auth/contracts.ts, docs/security.md)
  signIn,
  signOut,
  session,
  changePassword: changePasswordEndpoint,
  listUsers: listUsersEndpoint,
  createUser: createUserEndpoint,
  updateUser: updateUserEndpoint,
  deleteUser: deleteUserEndpoint,
  listTokens: listTokensEndpoint,
  createToken: createTokenEndpoint,
  revokeToken: revokeTokenEndpoint,

  // Operations
  getHealth: endpoint({
    method: 'GET',
    path: '/api/health',
    tags: ['Operations'],
    summary: 'Readiness of the database and the worker, and where Socket.IO is',
    description: '200 when the database and the worker are ok, 503 with the same body otherwise. Never cached.',
    response: healthResponseSchema,
  }),
  getMetrics: endpoint({
    method: 'GET',
    path: '/api/metrics',
    tags: ['Operations'],
    summary: 'Prometheus text exposition of the worker',
    description: 'marketdesk_collector_*, marketdesk_pipeline_*, marketdesk_gap_repair_*, realtime clients and process metrics. 503 text when the worker is unreachable.',
    query: noQuery,
    contentType: 'text/plain; version=0.0.4',
    errors: ['unavailable'],
  }),
  getOpenApi: endpoint({
    method: 'GET',
    path: '/api/openapi.json',
    tags: ['Operations'],
    summary: 'This OpenAPI document',
    response: z.object({ openapi: z.string(), info: z.object({ title: z.string(), version: z.string() }), paths: z.record(z.string(), z.unknown()).optional() }),
  }),
} satisfies Record<string, Endpoint>;

export type ApiEndpointName = keyof typeof api;

/** The same contracts on the stand-alone worker's own paths (worker/collectors/http-api.ts, worker/scanner/http.ts). */
export const workerApi = {
  scan: { ...api.scan, path: '/scanner' },
  listCollectors: { ...api.listCollectors, path: '/collectors' },
  createCollector: { ...api.createCollector, path: '/collectors' },
  getCollector: { ...api.getCollector, path: '/collectors/{name}' },
  startCollector: { ...api.startCollector, path: '/collectors/{name}/start' },
  stopCollector: { ...api.stopCollector, path: '/collectors/{name}/stop' },
  subscribeCollector: { ...api.subscribeCollector, path: '/collectors/{name}/subscribe' },
  unsubscribeCollector: { ...api.unsubscribeCollector, path: '/collectors/{name}/unsubscribe' },
  setCollectorToken: { ...api.setCollectorToken, path: '/collectors/{name}/token' },
} satisfies Record<string, Endpoint>;
