/**
 * Collector errors are AppErrors (lib/http/errors.ts: the one error class, its code → status
 * table and the one mapping to `{error:{code,message}}`), under the name the collectors' modules
 * use. The codes a collector raises:
 */
export type CollectorErrorCode = 'not_found' | 'invalid_request' | 'conflict' | 'subscription_cap' | 'unavailable';

export { AppError as CollectorError } from '@/lib/http/errors';
