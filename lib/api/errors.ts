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
