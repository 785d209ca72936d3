/**
 * Every HTTP endpoint of the web app: method, path, the zod schemas of its params, query, body
 * and answer, and what the reference says about it. Route handlers are `route(api.x, handler)`
 * (lib/http/route.ts), and the OpenAPI document (lib/contracts/openapi.ts, GET /api/openapi.json,
 * rendered at /docs) is generated from this table, so validation and documentation cannot drift.
 * A test checks that every app/api route file has its entry here and the other way round.
 *
 * The stand-alone worker serves the collectors and scanner endpoints under its own paths
 * (`workerApi` below) with the same contracts.
 *
 * The entries live by resource under lib/contracts/endpoints/ (market data, desk, collectors)
 * and next to their own contracts (auth, indicators, option chain, me); this file assembles them.
 */
import { z } from 'zod';
import { noQuery } from './common';
import { healthResponseSchema } from './health';
import { meEndpoints } from './me';
import {
  changePasswordEndpoint,
  createTokenEndpoint,
  createUserEndpoint,
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
import { collectorEndpoints } from './endpoints/collectors';
import { deskEndpoints } from './endpoints/desk';
import { marketEndpoints } from './endpoints/market';

export const api = {
  ...marketEndpoints,
  ...deskEndpoints,
  ...collectorEndpoints,
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
