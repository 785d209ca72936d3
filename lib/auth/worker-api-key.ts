/**
 * The credential of the stand-alone worker's internal HTTP API (worker/gateway-server.ts, on
 * WORKER_PORT next to Socket.IO): every path but `/health` requires
 * `Authorization: Bearer <key>`, and the web app's HTTP gateway (lib/gateway/http.ts) sends it.
 *
 * The key is derived, not configured: HMAC-SHA256 of the session-signing secret
 * (lib/auth/secret.ts: AUTH_SECRET, else the one generated into auth_settings) over a fixed
 * label, base64url (43 characters). Every process on the same database therefore holds the same
 * key with no extra setting, and it changes when the secret does. It never leaves the servers
 * (browsers talk to the worker only over Socket.IO, which has its own authentication).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const LABEL = 'marketdesk worker api v1';

/** The worker API key for `secret` (≥ 32 characters, lib/auth/secret.ts). */
export function workerApiKey(secret: string): string {
  return createHmac('sha256', secret).update(LABEL).digest('base64url');
}

/** `{ authorization }` header carrying `key`. */
export function workerApiHeaders(key: string | undefined): Record<string, string> {
  return key ? { authorization: `Bearer ${key}` } : {};
}

/**
 * Whether an `Authorization` header value carries `key` (`Bearer <key>`), compared in constant
 * time. A missing or malformed header is false.
 */
export function hasWorkerApiKey(header: string | string[] | undefined, key: string): boolean {
  if (typeof header !== 'string' || !header.startsWith('Bearer ')) return false;
  const given = Buffer.from(header.slice('Bearer '.length).trim());
  const expected = Buffer.from(key);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
