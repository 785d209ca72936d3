/**
 * The one error model of every HTTP API (the Next route handlers under app/api and the worker's
 * own endpoints): an AppError carries a code from a closed union, the HTTP status comes from one
 * table, and every failure answers `{ error: { code, message } }`.
 *
 * Anything that is not an AppError (a bug, a database failure) is a 500 `internal` with a generic
 * message; the details go to the server log, never to the client.
 *
 * Framework-free (no Next.js import), so lib/ query modules and the worker can throw it too.
 */

/** Error code → HTTP status. The only place a status is chosen for an error. */
export const ERROR_STATUS = {
  invalid_request: 400,
  /** No valid session or API token where one is required (lib/auth, docs/security.md). */
  unauthorized: 401,
  /** The caller's role may not do this (lib/auth); also Host/Origin refusals. */
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  /** Request body above 1 MB (lib/security/body-limit.ts). */
  payload_too_large: 413,
  /** A mutating request without `Content-Type: application/json`. */
  unsupported_media_type: 415,
  /** Broker subscription budget exceeded (3,000 instruments × 3 connections per key); nothing changed. */
  subscription_cap: 422,
  /** A shared limit (database-heavy routes, lib/security/concurrency.ts) is saturated; retry after `Retry-After` s. */
  too_many_requests: 429,
  internal: 500,
  /** An upstream (the stand-alone worker) answered something this side cannot use. */
  bad_gateway: 502,
  /** A dependency (the worker, the scanner) is starting or unreachable. */
  unavailable: 503,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;

export const ERROR_CODES = Object.keys(ERROR_STATUS) as ErrorCode[];

/** The JSON body of every error answer. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}

export const INTERNAL_MESSAGE = 'Internal server error';

/**
 * Brand shared through the global symbol registry: the Next.js bundle and the worker (tsx) load
 * their own copies of this module in the single-process host, so an error thrown by the worker's
 * copy fails `instanceof` in the web's copy. `isAppError` checks the brand instead.
 */
const BRAND = Symbol.for('marketdesk.AppError');

export class AppError<C extends ErrorCode = ErrorCode> extends Error {
  /** HTTP status of this error's code (ERROR_STATUS). */
  readonly status: (typeof ERROR_STATUS)[C];

  constructor(
    readonly code: C,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AppError';
    this.status = ERROR_STATUS[code];
    Object.defineProperty(this, BRAND, { value: true });
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_STATUS, value);
}

/** True for an AppError from any copy of this module (see BRAND). */
export function isAppError(error: unknown): error is AppError {
  return (
    error instanceof Error &&
    (error as unknown as Record<symbol, unknown>)[BRAND] === true &&
    isErrorCode((error as { code?: unknown }).code)
  );
}

/** The code of an HTTP status that is not one of ours (used for answers from elsewhere). */
function codeForStatus(status: number): ErrorCode {
  const exact = ERROR_CODES.find((code) => ERROR_STATUS[code] === status);
  if (exact) return exact;
  return status >= 500 ? 'bad_gateway' : 'invalid_request';
}

/**
 * Rebuild the AppError of an error answer received over HTTP (the web app proxying the worker):
 * a known `error.code` is kept, otherwise the code follows the status.
 */
export function appErrorFromAnswer(status: number, body: unknown): AppError {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  const code = isErrorCode(error?.code) ? error.code : codeForStatus(status);
  const message = typeof error?.message === 'string' ? error.message : `upstream answered HTTP ${status}`;
  return new AppError(code, message);
}

/** Receives errors that become a 500 (never shown to the client). */
export type InternalErrorLog = (error: unknown) => void;

export const logToConsole: InternalErrorLog = (error) => console.error('[api] unexpected error', error);

/**
 * Status and body of the answer to any thrown value. AppErrors answer their own code and message;
 * anything else is logged with `log` and answers 500 `internal` with a generic message.
 */
export function errorAnswer(error: unknown, log: InternalErrorLog = logToConsole): { status: number; body: ErrorBody } {
  // Read code and message only: the error may come from another copy of this module.
  if (isAppError(error)) return { status: ERROR_STATUS[error.code], body: { error: { code: error.code, message: error.message } } };
  log(error);
  return { status: 500, body: { error: { code: 'internal', message: INTERNAL_MESSAGE } } };
}

/** Fetch-API Response for any thrown value (errorAnswer as JSON, never cached). */
export function errorResponse(error: unknown, log?: InternalErrorLog): Response {
  const { status, body } = errorAnswer(error, log);
  return Response.json(body, { status, headers: { 'cache-control': 'no-store' } });
}
