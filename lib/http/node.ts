/**
 * Serve `route()` handlers (lib/http/route.ts) from a plain Node http server: the stand-alone
 * worker's own API (/collectors…, /scanner) runs the same wrapper, schemas and error model as the
 * Next.js routes. Paths are OpenAPI-style templates (`/collectors/{name}/start`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { bodyTooLarge, declaresTooMuch, MAX_BODY_BYTES } from '@/lib/security/body-limit';
import { guardNodeRequest, markGuarded } from '@/lib/security/request-guard';
import { rawBodyOf } from './bytes-response';
import { AppError, errorResponse, type InternalErrorLog } from './errors';
import type { FetchRoute } from './route';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface NodeRoute {
  method: Method;
  /** OpenAPI path template, e.g. `/collectors/{name}`. */
  path: string;
  handler: FetchRoute;
}

export interface NodeRouterOptions {
  /** Largest request body accepted (default 1 MB); beyond it a 413, without reading it all. */
  maxBodyBytes?: number;
  log?: InternalErrorLog;
}

/** Node request → Fetch-API Request (the body read up to `maxBodyBytes`). */
export async function toFetchRequest(req: IncomingMessage, maxBodyBytes: number): Promise<Request> {
  const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
  const method = req.method ?? 'GET';
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  let body: Uint8Array<ArrayBuffer> | undefined;
  if (method !== 'GET' && method !== 'HEAD') {
    if (declaresTooMuch(req.headers['content-length'], maxBodyBytes)) throw bodyTooLarge(maxBodyBytes);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > maxBodyBytes) throw bodyTooLarge(maxBodyBytes);
      chunks.push(chunk as Buffer);
    }
    body = new Uint8Array(Buffer.concat(chunks));
  }
  return new Request(url, { method, headers, body });
}

/** Write a Fetch-API Response to a Node response (a `bytesResponse`'s bytes without a copy). */
export async function sendResponse(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => {
    headers[key] = value;
  });
  res.writeHead(response.status, headers);
  const raw = rawBodyOf(response);
  if (raw) {
    void response.body?.cancel();
    res.end(raw);
    return;
  }
  res.end(Buffer.from(await response.arrayBuffer()));
}

interface CompiledRoute extends NodeRoute {
  pattern: RegExp;
  names: string[];
}

function compile(route: NodeRoute): CompiledRoute {
  const names: string[] = [];
  const source = route.path
    .split('/')
    .map((segment) => {
      const match = /^\{(\w+)\}$/.exec(segment);
      if (!match) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(match[1]);
      return '([^/]+)';
    })
    .join('/');
  return { ...route, pattern: new RegExp(`^${source}/?$`), names };
}

/**
 * A Node request listener for `routes`. Resolves false when no route has the request's path (the
 * caller answers it), true when it answered (405 `method_not_allowed` for a known path with
 * another method). Params reach the handlers raw; route() decodes them once, as Next does.
 */
export function nodeRouter(routes: NodeRoute[], options: NodeRouterOptions = {}) {
  const compiled = routes.map(compile);
  const maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    const matches = compiled.filter((r) => r.pattern.test(pathname));
    if (matches.length === 0) return false;
    const method = (req.method ?? 'GET').toUpperCase();
    const found = matches.find((r) => r.method === method);
    let response: Response;
    if (!found) {
      response = errorResponse(new AppError('method_not_allowed', `${method} is not allowed on ${pathname}`));
    } else {
      const values = found.pattern.exec(pathname)!.slice(1);
      const params = Object.fromEntries(found.names.map((name, i) => [name, values[i]]));
      try {
        // Host / Origin / Content-Type allow-lists, with this server's own port (403 / 415).
        const refusal = guardNodeRequest(req);
        if (refusal) throw refusal;
        const request = markGuarded(await toFetchRequest(req, maxBodyBytes));
        response = await found.handler(request, { params: Promise.resolve(params) });
      } catch (error) {
        response = errorResponse(error, options.log);
      }
    }
    await sendResponse(res, response);
    return true;
  };
}
