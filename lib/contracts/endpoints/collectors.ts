/**
 * Collector endpoints (list, create, start, stop, subscribe, chain, access token, metrics): entries of the endpoint table lib/contracts/api.ts assembles (see its docstring).
 */
import { subscribeChainEndpoint } from '../chain-subscription';
import { accessTokenBody, collectorDetailResponseSchema, collectorMetricsResponseSchema, collectorParams, collectorResponseSchema, collectorsResponseSchema, createCollectorBody, subscribeBody, subscriptionChangeResponseSchema, unsubscribeBody } from '../collector';
import { endpoint, type Endpoint } from '@/lib/http/endpoint';

export const collectorEndpoints = {
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

} satisfies Record<string, Endpoint>;
