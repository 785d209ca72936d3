/**
 * The desk's endpoints (scanner, watchlists, alerts): entries of the endpoint table lib/contracts/api.ts assembles (see its docstring).
 */
import { z } from 'zod';
import { alertEventsQuerySchema, alertEventsResponseSchema, alertResponseSchema, alertsResponseSchema, createAlertSchema, updateAlertSchema } from '../alert';
import { deletedSchema, noQuery, idParam } from '../common';
import { scannerQuerySchema, scannerResultSchema } from '../scanner';
import { createWatchlistSchema, mergeWatchlistsResponseSchema, mergeWatchlistsSchema, updateWatchlistSchema, watchlistChangeResponseSchema, watchlistIndexSchema, watchlistItemsSchema, watchlistParams, watchlistSchema } from '../watchlist';
import { endpoint, type Endpoint } from '@/lib/http/endpoint';

const alertParams = z.object({ id: idParam });

export const deskEndpoints = {
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

} satisfies Record<string, Endpoint>;
