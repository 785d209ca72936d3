/**
 * The worker's /collectors endpoints (stand-alone worker; the web app proxies /api/collectors
 * to them in server mode). Same bodies and answers as the web routes (docs/api.md):
 *   GET  /collectors                      → { collectors: CollectorSnapshot[] }
 *   POST /collectors                      → 201 { collector }      (body: config entry)
 *   GET  /collectors/:name                → { collector: CollectorDetail }
 *   POST /collectors/:name/start | stop   → { collector }
 *   POST /collectors/:name/subscribe      → { change }             (body: { mode, symbols|tokens|watchlist })
 *   POST /collectors/:name/unsubscribe    → { change }
 *   POST /collectors/:name/token          → { collector }          (body: { accessToken })
 * Errors: { error: { code, message } } with 400 (naming the field), 404, 409, 422 (subscription
 * cap), 500 without internals.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { z } from 'zod';
import { accessTokenBody, collectorNameSchema, createCollectorBody, subscribeBody, unsubscribeBody } from '@/lib/api/collector-schemas';
import { CollectorError } from './errors';
import type { CollectorControl } from './types';

export interface HttpAnswer {
  status: number;
  body: unknown;
}

/** Route one request; null when the path is not a collectors path. */
export async function routeCollectors(control: CollectorControl, method: string, pathname: string, body: unknown): Promise<HttpAnswer | null> {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] !== 'collectors' || parts.length > 3) return null;
  if (parts.length === 1) {
    if (method === 'GET') return { status: 200, body: { collectors: await control.list() } };
    if (method === 'POST') return { status: 201, body: { collector: await control.create(createCollectorBody.parse(body)) } };
    return methodNotAllowed();
  }
  const name = collectorNameSchema.parse(parts[1]);
  if (parts.length === 2) return method === 'GET' ? { status: 200, body: { collector: await control.get(name) } } : methodNotAllowed();
  if (method !== 'POST') return methodNotAllowed();
  switch (parts[2]) {
    case 'start':
      return { status: 200, body: { collector: await control.start(name) } };
    case 'stop':
      return { status: 200, body: { collector: await control.stop(name) } };
    case 'subscribe':
      return { status: 200, body: { change: await control.subscribe(name, subscribeBody.parse(body)) } };
    case 'unsubscribe':
      return { status: 200, body: { change: await control.unsubscribe(name, unsubscribeBody.parse(body)) } };
    case 'token':
      return { status: 200, body: { collector: await control.setAccessToken(name, accessTokenBody.parse(body).accessToken) } };
    default:
      return null;
  }
}

function methodNotAllowed(): HttpAnswer {
  return { status: 405, body: { error: { code: 'method_not_allowed', message: 'method not allowed' } } };
}

/** Map a thrown value to an error answer (400 naming the field, collector errors, 500). */
export function errorAnswer(error: unknown, logger?: Logger): HttpAnswer {
  if (error instanceof CollectorError) return { status: error.status, body: { error: { code: error.code, message: error.message } } };
  if (error instanceof z.ZodError) {
    const issue = error.issues[0];
    return { status: 400, body: { error: { code: 'invalid_request', message: `${issue.path.join('.') || 'body'}: ${issue.message}` } } };
  }
  logger?.error({ err: error }, 'collectors endpoint failed');
  return { status: 500, body: { error: { code: 'internal', message: 'Internal server error' } } };
}

/** Node http adapter: answers /collectors… requests; returns false for other paths. */
export async function serveCollectors(req: IncomingMessage, res: ServerResponse, control: CollectorControl, logger?: Logger): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname !== '/collectors' && !url.pathname.startsWith('/collectors/')) return false;
  let answer: HttpAnswer | null;
  try {
    let body: unknown;
    if (req.method === 'POST') {
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of req) {
        size += (chunk as Buffer).length;
        if (size > 2_000_000) throw new CollectorError('invalid_request', 'body: larger than 2 MB');
        chunks.push(chunk as Buffer);
      }
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        body = text ? JSON.parse(text) : {};
      } catch {
        throw new CollectorError('invalid_request', 'body: not valid JSON');
      }
    }
    answer = await routeCollectors(control, req.method ?? 'GET', url.pathname, body);
  } catch (error) {
    answer = errorAnswer(error, logger);
  }
  answer ??= { status: 404, body: { error: { code: 'not_found', message: `no such endpoint ${url.pathname}` } } };
  res.writeHead(answer.status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(answer.body));
  return true;
}
