/**
 * Security settings (docs/security.md, "Allow-lists" and "SSRF policy"), read from the
 * environment by the web app and the worker alike. Lists are comma-separated; blanks ignored.
 *
 * - ALLOWED_ORIGINS: extra browser origins that may send mutating requests and open Socket.IO,
 *   e.g. `https://desk.example.com,http://10.0.0.5:3000` (scheme://host[:port], no path).
 * - ALLOWED_HOSTS: extra `Host` header values served, e.g. `desk.example.com` (any port) or
 *   `desk.example.com:8443` (that port only). Loopback names on the app's ports are always served.
 * - WEBHOOK_ALLOW: host names webhooks and collector endpoints may reach although they resolve
 *   to a private, loopback or link-local address (an intranet receiver), e.g. `hooks.corp.lan`.
 * - PORT (default 3000) and WORKER_PORT (default 3001): the app's own ports (own origins).
 *
 * Parsed on each call (cached by the raw values), so tests may change process.env.
 * Throws an Error naming the variable when an entry is malformed.
 */

export interface SecurityEnv {
  /** Normalised origins (`https://desk.example.com`), from ALLOWED_ORIGINS. */
  allowedOrigins: string[];
  /** Lower-cased `host` or `host:port` entries, from ALLOWED_HOSTS. */
  allowedHosts: string[];
  /** Lower-cased host names, from WEBHOOK_ALLOW. */
  webhookAllow: string[];
  /** The app's own ports: PORT and WORKER_PORT. */
  ports: number[];
}

const list = (raw: string | undefined): string[] =>
  (raw ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);

function parseOrigin(entry: string): string {
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    throw new Error(`Invalid environment variable ALLOWED_ORIGINS: "${entry}" is not an origin (scheme://host[:port])`);
  }
  if (!/^https?:$/.test(url.protocol) || url.username || url.password || (url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    throw new Error(`Invalid environment variable ALLOWED_ORIGINS: "${entry}" is not an origin (scheme://host[:port])`);
  }
  return url.origin;
}

function parseHost(variable: string, entry: string, allowPort: boolean): string {
  const lower = entry.toLowerCase();
  const pattern = allowPort ? /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/ : /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)$/;
  if (!pattern.test(lower)) throw new Error(`Invalid environment variable ${variable}: "${entry}" is not a host name${allowPort ? ' (host or host:port)' : ''}`);
  return lower;
}

function parsePort(variable: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port > 65_535) throw new Error(`Invalid environment variable ${variable}: expected a port number`);
  return port;
}

let cache: { key: string; value: SecurityEnv } | undefined;

/** The parsed settings (default source: process.env). */
export function securityEnv(source: Readonly<Record<string, string | undefined>> = process.env): SecurityEnv {
  const key = [source.ALLOWED_ORIGINS, source.ALLOWED_HOSTS, source.WEBHOOK_ALLOW, source.PORT, source.WORKER_PORT].join('\u0000');
  if (source === process.env && cache?.key === key) return cache.value;
  const value: SecurityEnv = {
    allowedOrigins: list(source.ALLOWED_ORIGINS).map(parseOrigin),
    allowedHosts: list(source.ALLOWED_HOSTS).map((entry) => parseHost('ALLOWED_HOSTS', entry, true)),
    webhookAllow: list(source.WEBHOOK_ALLOW).map((entry) => parseHost('WEBHOOK_ALLOW', entry, false)),
    ports: [parsePort('PORT', source.PORT, 3000), parsePort('WORKER_PORT', source.WORKER_PORT, 3001)],
  };
  if (source === process.env) cache = { key, value };
  return value;
}
