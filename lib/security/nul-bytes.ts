/**
 * NUL bytes (U+0000) are refused in every path segment, query value and JSON body string, keys
 * included, before any schema sees them (docs/security.md, "Hostile input"): PostgreSQL text
 * cannot hold them, so they would otherwise surface as a 500 from the database. The route wrapper
 * (lib/http/route.ts) calls rejectNulBytes for each part of the request.
 */
import { AppError } from '@/lib/http/errors';
import { fieldName, type RequestPart } from '@/lib/http/validation';

/** Path (keys) of the first string holding a NUL in `value`, or null; `[]` for `value` itself. */
export function findNulByte(value: unknown, path: PropertyKey[] = [], depth = 0): PropertyKey[] | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (depth > 64 || value === null || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findNulByte(item, [...path, index], depth + 1);
      if (found) return found;
    }
    return null;
  }
  for (const [key, item] of Object.entries(value)) {
    if (key.includes('\u0000')) return [...path, key.replaceAll('\u0000', '\\0')];
    const found = findNulByte(item, [...path, key], depth + 1);
    if (found) return found;
  }
  return null;
}

/** @throws AppError 400 naming the field (`body.target.value: NUL bytes are not accepted`) */
export function rejectNulBytes(part: RequestPart, value: unknown): void {
  const path = findNulByte(value);
  if (path) throw new AppError('invalid_request', `${fieldName(part, path)}: NUL bytes are not accepted`);
}
