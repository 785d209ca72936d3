/**
 * Collector errors with an HTTP status and a stable code, mapped to `{error:{code,message}}` by
 * the worker's endpoints and the web routes.
 */
export type CollectorErrorCode = 'not_found' | 'invalid_request' | 'conflict' | 'subscription_cap' | 'unavailable';

const STATUS: Record<CollectorErrorCode, number> = {
  not_found: 404,
  invalid_request: 400,
  conflict: 409,
  subscription_cap: 422,
  unavailable: 503,
};

export class CollectorError extends Error {
  readonly status: number;
  constructor(
    readonly code: CollectorErrorCode,
    message: string,
  ) {
    super(message);
    this.status = STATUS[code];
  }
}
