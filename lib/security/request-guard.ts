/**
 * Cross-site and DNS-rebinding guard (docs/security.md, "Allow-lists"), applied to every request
 * in every mode: by the route wrapper (lib/http/route.ts) for the Next.js routes, by the worker's
 * HTTP server (guardNodeRequest) and by Socket.IO (lib/security/socket-guard.ts).
 *
 * Rules, in order:
 * 1. `Host` must be on the allow-list: `localhost`, `127.0.0.1` or `[::1]` on one of the app's
 *    ports (PORT, WORKER_PORT, the listening socket's port) or without a port, plus
 *    ALLOWED_HOSTS. Else 403 `forbidden`. A request without a Host header never came over the
 *    network (an in-process call; Node rejects HTTP/1.1 requests without one) and passes.
 * 2. Mutating requests (POST, PUT, PATCH, DELETE) that carry an `Origin` need one on the
 *    allow-list: the app's own origins (loopback names on its ports, or the origin whose host is
 *    the request's allowed Host) plus ALLOWED_ORIGINS. Else 403 `forbidden` (`Origin: null`
 *    included).
 * 3. Mutating requests need `Content-Type: application/json` (parameters such as charset
 *    allowed), else 415 `unsupported_media_type`: HTML forms and `no-cors` fetches cannot send it.
 */
import { getSlot, setSlot } from '@marketdesk/process-registry';
import type { IncomingMessage } from 'node:http';
import { securityEnv, type SecurityEnv } from '@/lib/config/security-env';
import { AppError } from '@/lib/http/errors';

export const LOOPBACK_HOSTNAMES: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]']);

export const MUTATING_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** What the guard allows; build with guardPolicy(). */
export interface GuardPolicy {
  /** The app's own ports, as strings (`"3000"`). */
  ports: ReadonlySet<string>;
  /** ALLOWED_HOSTS entries: `host` (any port) or `host:port`. */
  hosts: ReadonlySet<string>;
  /** ALLOWED_ORIGINS, normalised (`https://desk.example.com`). */
  origins: ReadonlySet<string>;
}

/** The policy of `env` (default: the environment), with `extraPorts` (e.g. the listening socket's) as own ports. */
export function guardPolicy(env: SecurityEnv = securityEnv(), extraPorts: readonly number[] = []): GuardPolicy {
  return {
    ports: new Set([...env.ports, ...extraPorts].map(String)),
    hosts: new Set(env.allowedHosts),
    origins: new Set(env.allowedOrigins),
  };
}

/** `Host` value → `{ hostname, port }` (lower-cased, IPv6 in brackets, port '' when absent); null when malformed. */
export function parseHostHeader(host: string): { hostname: string; port: string } | null {
  if (!/^[A-Za-z0-9.\-[\]:]{1,260}$/.test(host)) return null;
  try {
    const url = new URL(`http://${host}`);
    const explicitPort = /:(\d+)$/.exec(host)?.[1];
    return { hostname: url.hostname.toLowerCase(), port: explicitPort === undefined ? '' : String(Number(explicitPort)) };
  } catch {
    return null;
  }
}

/** Whether a `Host` header value is served (null: no header, an in-process call). */
export function hostAllowed(host: string | null, policy: GuardPolicy): boolean {
  if (host === null) return true;
  const parsed = parseHostHeader(host);
  if (!parsed) return false;
  if (LOOPBACK_HOSTNAMES.has(parsed.hostname) && (parsed.port === '' || policy.ports.has(parsed.port))) return true;
  return policy.hosts.has(parsed.hostname) || (parsed.port !== '' && policy.hosts.has(`${parsed.hostname}:${parsed.port}`));
}

/**
 * Whether an `Origin` header value is allowed for `host` (the request's Host header, already
 * checked with hostAllowed). null (no Origin header) is allowed: not a browser's cross-site request.
 */
export function originAllowed(origin: string | null, host: string | null, policy: GuardPolicy): boolean {
  if (origin === null) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // includes "null" (sandboxed frames, file:, redirects across origins)
  }
  if (!/^https?:$/.test(url.protocol)) return false;
  if (policy.origins.has(url.origin)) return true;
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  if (LOOPBACK_HOSTNAMES.has(url.hostname) && policy.ports.has(port)) return true;
  // The request's own origin: the page was served by this Host (already on the allow-list).
  if (host !== null && hostAllowed(host, policy)) {
    const parsed = parseHostHeader(host);
    if (parsed && parsed.hostname === url.hostname && parsed.port === url.port) return true;
  }
  return false;
}

/** Whether a Content-Type header value is `application/json` (with or without parameters). */
export function isJsonContentType(contentType: string | null): boolean {
  return contentType !== null && contentType.split(';')[0].trim().toLowerCase() === 'application/json';
}

/** The headers the guard reads. */
export interface GuardedRequest {
  method: string;
  host: string | null;
  origin: string | null;
  contentType: string | null;
}

const quote = (value: string) => JSON.stringify(value.slice(0, 100));

/** The refusal of `request` under `policy`, or null when it may proceed (rules in the module docstring). */
export function checkRequest(request: GuardedRequest, policy: GuardPolicy): AppError | null {
  if (!hostAllowed(request.host, policy)) {
    return new AppError('forbidden', `Host ${quote(request.host ?? '')} is not allowed: add it to ALLOWED_HOSTS (docs/security.md)`);
  }
  if (!MUTATING_METHODS.has(request.method.toUpperCase())) return null;
  if (!originAllowed(request.origin, request.host, policy)) {
    return new AppError('forbidden', `Origin ${quote(request.origin ?? '')} is not allowed: add it to ALLOWED_ORIGINS (docs/security.md)`);
  }
  if (!isJsonContentType(request.contentType)) {
    return new AppError('unsupported_media_type', `Content-Type must be application/json (got ${quote(request.contentType ?? 'none')})`);
  }
  return null;
}

/**
 * Requests already checked at the Node level (guardNodeRequest, with the socket's own port), so
 * the route wrapper does not check them again with the environment's ports only. Kept in the
 * process registry's slot store (lib/runtime/process-registry): the Next bundle and the custom
 * server load two copies of this module.
 */
const GUARDED_SLOT = 'marketdesk.guarded-requests';
function guardedRequests(): WeakSet<Request> {
  let set = getSlot(GUARDED_SLOT) as WeakSet<Request> | undefined;
  if (!set) setSlot(GUARDED_SLOT, (set = new WeakSet<Request>()));
  return set;
}

/** Mark a Request built from a Node request that guardNodeRequest already let through. */
export function markGuarded(request: Request): Request {
  guardedRequests().add(request);
  return request;
}

/** checkRequest for a Fetch-API Request (the route wrapper). */
export function guardFetchRequest(request: Request, policy: GuardPolicy = guardPolicy()): AppError | null {
  if (guardedRequests().has(request)) return null;
  const { headers } = request;
  return checkRequest({ method: request.method, host: headers.get('host'), origin: headers.get('origin'), contentType: headers.get('content-type') }, policy);
}

const header = (req: IncomingMessage, name: string): string | null => {
  const value = req.headers[name];
  return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
};

/** checkRequest for a Node request (the worker's HTTP server); the socket's local port counts as own. */
export function guardNodeRequest(req: IncomingMessage, env: SecurityEnv = securityEnv()): AppError | null {
  const policy = guardPolicy(env, req.socket?.localPort ? [req.socket.localPort] : []);
  return checkRequest({ method: req.method ?? 'GET', host: header(req, 'host'), origin: header(req, 'origin'), contentType: header(req, 'content-type') }, policy);
}

/** Host and Origin (whatever the method) of a Node request: the Socket.IO handshake (socket-guard.ts). */
export function guardHandshake(req: IncomingMessage, env: SecurityEnv = securityEnv()): AppError | null {
  const policy = guardPolicy(env, req.socket?.localPort ? [req.socket.localPort] : []);
  const host = header(req, 'host');
  if (!hostAllowed(host, policy)) return new AppError('forbidden', `Host ${quote(host ?? '')} is not allowed`);
  const origin = header(req, 'origin');
  if (!originAllowed(origin, host, policy)) return new AppError('forbidden', `Origin ${quote(origin ?? '')} is not allowed`);
  return null;
}
