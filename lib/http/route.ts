/**
 * The one route wrapper of every JSON endpoint, for the Next.js route handlers (app/api) and the
 * worker's own HTTP API alike (it speaks the Fetch API; lib/http/node.ts adapts Node's http):
 *
 *   export const PATCH = route(updateAlert, async ({ params, body }) => ({ alert: … }));
 *
 * - path params (`params`), the query string (`query`, from the URLSearchParams object) and the
 *   JSON body (`body`; an empty body reads as `{}`) are parsed with the spec's zod schemas; a
 *   failure is a 400 naming `path.x`, `query.x` or `body.x` (lib/http/validation.ts);
 * - the handler's result is answered as JSON with the spec's `status` (default 200); it may
 *   return `reply(body, { status })` for a status chosen at run time, or a Response as is;
 * - first, the request guard (lib/security/request-guard.ts): a Host or Origin outside the
 *   allow-lists is a 403, a mutating request without `Content-Type: application/json` a 415;
 *   bodies above 1 MB are a 413 (lib/security/body-limit.ts); database-heavy paths share a
 *   concurrency limit (429 with Retry-After) and coalesce identical GETs (lib/security/heavy-routes.ts);
 * - every thrown value maps through lib/http/errors.ts to `{ error: { code, message } }`
 *   (500s never carry internals).
 *
 * A spec is usually an Endpoint contract from lib/contracts (which also feeds the OpenAPI
 * document), so the schemas that validate a request are the ones that document it.
 */
import type { z } from 'zod';
import { readBodyText } from '@/lib/security/body-limit';
import { retryAfterOf } from '@/lib/security/concurrency';
import { runHandler } from '@/lib/security/heavy-routes';
import { guardFetchRequest } from '@/lib/security/request-guard';
import { authenticateRoute, type AuthRequirement, type RoutePrincipal } from './auth';
import { AppError, errorResponse, logToConsole, type InternalErrorLog } from './errors';
import { rejectNulBytes } from '@/lib/security/nul-bytes';
import { parseRequestPart, type RequestPart } from './validation';

/** The schemas and success status a route is wrapped with. */
export interface RouteSpec {
  /** Path params, e.g. z.object({ id: … }) for /api/alerts/{id}. Values arrive URL-decoded. */
  params?: z.ZodType;
  /** The query string, as a plain object of its parameters (the last one wins when repeated). */
  query?: z.ZodType;
  /** The JSON body. */
  body?: z.ZodType;
  /** The success body (typed for the handler; documented in OpenAPI; not re-validated). */
  response?: z.ZodType;
  /** Success status (default 200). */
  status?: number;
  /** Who may call it (lib/http/auth.ts); default: the authenticator's rule for the path and method. */
  auth?: AuthRequirement;
}

type Output<S> = S extends z.ZodType ? z.output<S> : undefined;
type ResponseBody<S> = S extends z.ZodType ? z.input<S> : unknown;

export interface RouteInput<Spec extends RouteSpec> {
  params: Output<Spec['params']>;
  query: Output<Spec['query']>;
  body: Output<Spec['body']>;
  request: Request;
  /** The caller (lib/http/auth.ts); undefined when no authenticator is installed. */
  principal: RoutePrincipal | undefined;
}

const REPLY = Symbol('reply');

/** A JSON answer with a status chosen by the handler (e.g. health: 200 or 503 with the same body). */
export interface Reply<B> {
  readonly [REPLY]: true;
  body: B;
  status: number;
  headers?: Record<string, string>;
}

export function reply<B>(body: B, options: { status?: number; headers?: Record<string, string> } = {}): Reply<B> {
  return { [REPLY]: true, body, status: options.status ?? 200, headers: options.headers };
}

function isReply(value: unknown): value is Reply<unknown> {
  return typeof value === 'object' && value !== null && REPLY in value;
}

export type RouteResult<Spec extends RouteSpec> = ResponseBody<Spec['response']> | Reply<ResponseBody<Spec['response']>> | Response;

export type RouteHandler<Spec extends RouteSpec> = (input: RouteInput<Spec>) => Promise<RouteResult<Spec>> | RouteResult<Spec>;

/** Next.js' route-handler context (params is a Promise since Next 15). */
export interface RouteContext {
  params?: Promise<Record<string, string | string[] | undefined>> | Record<string, string | string[] | undefined>;
}

/** What `route()` returns: a Fetch-API handler with Next's signature. */
export type FetchRoute = (request: Request, context?: RouteContext) => Promise<Response>;

export interface RouteOptions {
  /** Where errors that become a 500 are logged (default console.error). */
  log?: InternalErrorLog;
}

const JSON_HEADERS = { 'cache-control': 'no-store' };

/** Decode a path segment once; malformed percent-encoding (`%E0%A4`, `%zz`) is a 400 naming `path.<key>`. */
function decodeSegment(key: string, value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new AppError('invalid_request', `path.${key}: malformed percent-encoding`);
  }
}

async function readParams(context: RouteContext | undefined): Promise<Record<string, string>> {
  const raw = (await context?.params) ?? {};
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    out[key] = Array.isArray(value) ? value.map((v) => decodeSegment(key, v)).join('/') : decodeSegment(key, value);
  }
  return out;
}

async function readJsonBody(request: Request): Promise<unknown> {
  const text = await readBodyText(request); // 413 beyond 1 MB, without reading it all
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('invalid_request', 'body: not valid JSON');
  }
}

/** parseRequestPart after refusing NUL bytes anywhere in the part (lib/security/nul-bytes.ts): 400 naming the field. */
function parsePart<S extends z.ZodType>(part: RequestPart, schema: S, value: unknown): z.output<S> {
  rejectNulBytes(part, value);
  return parseRequestPart(part, schema, value);
}

/** Wrap `handler` with parsing of `spec`'s params, query and body, and the one error mapping. */
export function route<const Spec extends RouteSpec>(spec: Spec, handler: RouteHandler<Spec>, options: RouteOptions = {}): FetchRoute {
  const log = options.log ?? logToConsole;
  return async (request, context) => {
    try {
      // Host, Origin and Content-Type allow-lists (403 / 415) before anything is parsed.
      const refusal = guardFetchRequest(request);
      if (refusal) throw refusal;
      const principal = await authenticateRoute(request, spec.auth); // 401 / 403 (lib/http/auth.ts)
      const params = spec.params ? parsePart('path', spec.params, await readParams(context)) : undefined;
      const query = spec.query ? parsePart('query', spec.query, Object.fromEntries(new URL(request.url).searchParams)) : undefined;
      const body = spec.body ? parsePart('body', spec.body, await readJsonBody(request)) : undefined;
      // Database-heavy paths: shared concurrency limit (429) and coalesced identical GETs (lib/security/heavy-routes.ts).
      const result = await runHandler(request, async () => handler({ params, query, body, request, principal } as RouteInput<Spec>));
      if (result instanceof Response) return result;
      if (isReply(result)) {
        return Response.json(result.body, { status: result.status, headers: { ...JSON_HEADERS, ...result.headers } });
      }
      return Response.json(result, { status: spec.status ?? 200, headers: JSON_HEADERS });
    } catch (error) {
      const response = errorResponse(error, log);
      const retryAfter = retryAfterOf(error);
      if (retryAfter !== undefined) response.headers.set('retry-after', String(retryAfter));
      return response;
    }
  };
}
