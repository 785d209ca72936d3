/**
 * The OpenAPI 3.1 document of the web app's HTTP API, generated (zod-openapi, on zod 4's own JSON
 * Schema output) from the endpoint table (lib/contracts/api.ts): the same zod schemas that
 * validate each request. Served at GET /api/openapi.json and rendered at /docs.
 *
 * Request parameters and bodies are documented as the client sends them (zod input), answers as
 * the server sends them (zod output). Error answers share the `Error` component; which codes an
 * endpoint answers comes from its `errors` list (statuses from lib/http/errors.ts), plus 500.
 */
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import type { z } from 'zod';
import { ERROR_STATUS, type ErrorCode } from '@/lib/http/errors';
import type { Endpoint } from '@/lib/http/endpoint';
import { api } from './api';
import { errorBodySchema } from './common';

/** What each code means (a code without an entry is shown as its name). */
const ERROR_TEXT: Record<string, string> = {
  invalid_request: 'Invalid request: the message names the field (`query.x`, `path.x`, `body.x`)',
  unauthorized: 'Not signed in',
  forbidden: 'Not allowed',
  not_found: 'Not found',
  method_not_allowed: 'Method not allowed',
  conflict: 'Conflict',
  payload_too_large: 'Body too large',
  unsupported_media_type: 'Content-Type must be application/json',
  subscription_cap: 'Subscription cap reached (nothing changed)',
  too_many_requests: 'Too many requests',
  internal: 'Internal error (no details)',
  bad_gateway: 'Unexpected answer from the worker',
  unavailable: 'Worker or scanner unavailable',
};

type Responses = Record<string, NonNullable<ZodOpenApiOperationObject['responses']>[keyof NonNullable<ZodOpenApiOperationObject['responses']>]>;

function errorResponses(codes: readonly ErrorCode[]): Responses {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of [...codes, 'internal' as const]) {
    const status = ERROR_STATUS[code];
    byStatus.set(status, [...new Set([...(byStatus.get(status) ?? []), code])]);
  }
  const responses: Responses = {};
  for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) {
    responses[String(status)] = {
      description: list.map((code) => `\`${code}\`: ${ERROR_TEXT[code] ?? code.replace(/_/g, ' ')}`).join('; '),
      content: { 'application/json': { schema: errorBodySchema } },
    };
  }
  return responses;
}

function operation(name: string, endpoint: Endpoint): ZodOpenApiOperationObject {
  const requestParams: ZodOpenApiOperationObject['requestParams'] = {};
  if (endpoint.query) requestParams.query = endpoint.query as z.ZodObject;
  if (endpoint.params) requestParams.path = endpoint.params as z.ZodObject;
  const status = String(endpoint.status ?? 200);
  const success = endpoint.contentType
    ? { description: 'OK', content: { [endpoint.contentType]: { schema: { type: 'string' } } } }
    : { description: 'OK', content: { 'application/json': { schema: endpoint.response ?? ({} as never) } } };
  return {
    operationId: name,
    tags: endpoint.tags,
    summary: endpoint.summary,
    ...(endpoint.description ? { description: endpoint.description } : {}),
    ...(endpoint.query || endpoint.params ? { requestParams } : {}),
    ...(endpoint.body ? { requestBody: { required: true, content: { 'application/json': { schema: endpoint.body } } } } : {}),
    responses: { [status]: success, ...errorResponses(endpoint.errors ?? []) },
  };
}

/** Build the document (cheap enough to build per request; the route caches it). */
export function buildOpenApiDocument(endpoints: Record<string, Endpoint> = api) {
  const paths: ZodOpenApiPathsObject = {};
  for (const [name, endpoint] of Object.entries(endpoints)) {
    const method = endpoint.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
    paths[endpoint.path] = { ...paths[endpoint.path], [method]: operation(name, endpoint) };
  }
  return createDocument(
    {
      openapi: '3.1.0',
      info: {
        title: 'marketdesk API',
        version: '1',
        description:
          'JSON API of the marketdesk web app: candles, quotes, intraday data, storage completeness, scanner, watchlists, alerts, broker collectors, health. ' +
          'Prices in rupees; times ISO-8601 UTC in JSON answers (epoch ms where a field says so); symbols are EXCHANGE:TRADINGSYMBOL, URL-encoded in query strings. ' +
          'Every error answers `{ "error": { "code", "message" } }`. Real-time ticks and candles are streamed over Socket.IO (docs/api.md).',
      },
      tags: [
        { name: 'Market data' },
        { name: 'Intraday' },
        { name: 'Storage' },
        { name: 'Scanner' },
        { name: 'Watchlists' },
        { name: 'Alerts' },
        { name: 'Collectors' },
        { name: 'Operations' },
        { name: 'auth' },
      ],
      paths,
    },
  );
}

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;
