/**
 * One error shape for every JSON route: `{ error: { code, message } }`.
 * Validation errors are HTTP 400 and name the offending field; unexpected errors are HTTP 500
 * with a generic message (details go to the server log, never to the client).
 */
import { NextResponse } from 'next/server';
import { z } from 'zod';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Map any thrown value to a JSON error response. */
export function errorResponse(error: unknown): NextResponse {
  if (error instanceof ApiError) {
    return NextResponse.json({ error: { code: error.code, message: error.message } }, { status: error.status });
  }
  if (isCodedError(error)) {
    return NextResponse.json({ error: { code: error.code, message: error.message } }, { status: error.httpStatus });
  }
  if (error instanceof z.ZodError) {
    const issue = error.issues[0];
    const field = issue.path.join('.') || 'query';
    return NextResponse.json(
      { error: { code: 'invalid_request', message: `${field}: ${issue.message}` } },
      { status: 400 },
    );
  }
  console.error('[api] unexpected error', error);
  return NextResponse.json({ error: { code: 'internal', message: 'Internal server error' } }, { status: 500 });
}

/**
 * Wrap a GET/POST handler: parse the query string with `schema`, call `handle`, map errors.
 */
export function jsonRoute<S extends z.ZodType, R>(
  schema: S,
  handle: (input: z.infer<S>, request: Request) => Promise<R>,
): (request: Request) => Promise<NextResponse> {
  return async (request: Request) => {
    try {
      const url = new URL(request.url);
      const input = schema.parse(Object.fromEntries(url.searchParams));
      return NextResponse.json(await handle(input, request));
    } catch (error) {
      return errorResponse(error);
    }
  };
}

/**
 * A domain error that carries its own HTTP status and code (e.g. WatchlistError in
 * lib/db/queries/watchlists.ts: 404 not_found, 409 conflict, 400 invalid), so query modules need
 * not import Next.js.
 */
interface CodedError {
  httpStatus: number;
  code: string;
  message: string;
}

function isCodedError(error: unknown): error is CodedError {
  return (
    error instanceof Error &&
    typeof (error as Partial<CodedError>).httpStatus === 'number' &&
    typeof (error as Partial<CodedError>).code === 'string'
  );
}

/**
 * Wrap a handler that reads a JSON body (POST/PATCH/DELETE) and route params: parse the body
 * with `schema` (null: no body), call `handle`, answer JSON with `options.status` (default 200;
 * a Response returned by `handle` is passed through), map errors like jsonRoute. A body that is
 * not JSON is a 400 "body: expected a JSON object".
 */
export function jsonBodyRoute<S extends z.ZodType, P extends Record<string, string>, R>(
  schema: S | null,
  handle: (input: z.infer<S>, request: Request, params: P) => Promise<R | Response>,
  options: { status?: number } = {},
): (request: Request, context: { params: Promise<P> }) => Promise<Response> {
  return async (request, context) => {
    try {
      let input: unknown = undefined;
      if (schema) {
        let body: unknown;
        try {
          body = await request.json();
        } catch {
          throw new ApiError(400, 'invalid_request', 'body: expected a JSON object');
        }
        input = schema.parse(body);
      }
      const params = ((await context?.params) ?? {}) as P;
      const result = await handle(input as z.infer<S>, request, params);
      if (result instanceof Response) return result;
      return NextResponse.json(result, { status: options.status ?? 200 });
    } catch (error) {
      return errorResponse(error);
    }
  };
}
