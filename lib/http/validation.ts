/**
 * The one zod-issue formatter of the HTTP layer. A 400 names the part of the request and the
 * field: `query.timeframe: expected one of 1m, 5m, …`, `body.symbols.0: expected
 * EXCHANGE:TRADINGSYMBOL…`, `path.id: expected an integer id`, or just `body: …` for the whole body.
 */
import { z } from 'zod';
import { AppError } from './errors';

/** Where a value came from in the request. */
export type RequestPart = 'path' | 'query' | 'body';

/** `body.symbols.0`, `query.from`, `path` … */
export function fieldName(part: RequestPart, path: readonly PropertyKey[]): string {
  return [part, ...path.map((key) => (typeof key === 'symbol' ? key.description ?? '?' : String(key)))].join('.');
}

/** One line for the first issue of a ZodError: `<part>.<field>: <message>`. */
export function formatZodError(part: RequestPart, error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return `${part}: invalid`;
  return `${fieldName(part, issue.path)}: ${issue.message}`;
}

/** The 400 AppError of a ZodError. */
export function invalidRequest(part: RequestPart, error: z.ZodError): AppError<'invalid_request'> {
  return new AppError('invalid_request', formatZodError(part, error), { cause: error });
}

/** Parse `value` with `schema`; a failure is an AppError 400 naming `part` and the field. */
export function parseRequestPart<S extends z.ZodType>(part: RequestPart, schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw invalidRequest(part, result.error);
  return result.data;
}
