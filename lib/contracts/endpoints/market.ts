/**
 * Market-data endpoints (candles, indicators, option chain, instruments, quotes), storage (gaps, completeness) and intraday: entries of the endpoint table lib/contracts/api.ts assembles (see its docstring).
 */
import { candlesQuerySchema, candlesResponseSchema } from '../candle';
import { noQuery } from '../common';
import { completenessQuerySchema, completenessResponseSchema, gapsQuerySchema, gapsResponseSchema } from '../gaps';
import { instrumentParams, instrumentResponseSchema, instrumentsQuerySchema, instrumentsResponseSchema } from '../instrument';
import { dayStatsResponseSchema, dayVwapResponseSchema, intradayCandlesQuerySchema, intradayQuerySchema, latestCandleResponseSchema, orderBookResponseSchema, sessionCandlesResponseSchema, ticksQuerySchema, ticksResponseSchema } from '../intraday';
import { quotesResponseSchema } from '../quote';
import { session } from '@/lib/auth/contracts';
import { endpoint, type Endpoint } from '@/lib/http/endpoint';
import { getIndicatorsEndpoint } from '@/lib/indicators/contract';
import { getOptionChainEndpoint } from '@/lib/options/contract';

export const marketEndpoints = {
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

} satisfies Record<string, Endpoint>;
