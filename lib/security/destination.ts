/**
 * SSRF policy for server-side requests to user-supplied destinations (docs/security.md, "SSRF
 * policy"): alert webhooks (worker/alerts/webhook.ts) and broker collector endpoints.
 *
 * - Only `http:` / `https:` (collectors: `ws:` / `wss:` too) URLs, with no credentials
 *   (`user:pass@`), are accepted at creation (checkDestinationUrl, a 400 naming the field).
 * - Every address a destination resolves to must be public unicast: loopback (127/8, ::1),
 *   private (10/8, 172.16/12, 192.168/16), link-local (169.254/16 incl. cloud metadata, fe80::/10),
 *   CGNAT (100.64/10), unspecified, multicast, broadcast, reserved and documentation ranges, IPv6
 *   unique-local (fc00::/7), and IPv4 embedded in IPv6 (mapped, 6to4, NAT64, Teredo) are refused,
 *   classified by ipaddr.js. The check runs on the resolved addresses at connect time
 *   (safeLookup, so the connection goes to the address checked: no DNS-rebinding window) and on
 *   IP literals before connecting.
 * - WEBHOOK_ALLOW names hosts an operator allows despite a private address (an intranet receiver).
 *   Loopback and unspecified addresses stay refused even then.
 */
import dns from 'node:dns';
import type { LookupAddress, LookupOptions } from 'node:dns';
import net from 'node:net';
import ipaddr from 'ipaddr.js';
import { securityEnv } from '@/lib/config/security-env';

/** Why a destination is refused (the message names no address to non-admins; see webhook-status.ts). */
export class DestinationError extends Error {
  readonly code = 'EDESTINATION';
  constructor(message: string) {
    super(message);
    this.name = 'DestinationError';
  }
}

/** ipaddr.js range of an address, IPv4-mapped IPv6 unwrapped (`::ffff:127.0.0.1` → loopback). */
export function addressRange(address: string): string {
  let parsed = ipaddr.parse(address.replace(/^\[|\]$/g, ''));
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed.range();
}

const ALWAYS_REFUSED = new Set(['loopback', 'unspecified']);

/** Whether an IP address may be connected to; `allowPrivate` (WEBHOOK_ALLOW host) lifts all but loopback/unspecified. */
export function isPublicAddress(address: string, allowPrivate = false): boolean {
  if (!ipaddr.isValid(address.replace(/^\[|\]$/g, ''))) return false;
  const range = addressRange(address);
  if (range === 'unicast') return true;
  return allowPrivate && !ALWAYS_REFUSED.has(range);
}

/** Whether `hostname` is on WEBHOOK_ALLOW (exact, case-insensitive). */
export function isOperatorAllowed(hostname: string, allow: readonly string[] = securityEnv().webhookAllow): boolean {
  return allow.includes(hostname.toLowerCase());
}

const LOCAL_NAMES = /(^|\.)(localhost|localdomain|internal|local)\.?$/i;

/** Which destinations may be contacted. The default follows the rules above; tests inject a looser one. */
export interface DestinationPolicy {
  /** Whether `address` (resolved from, or literally, `hostname`) may be connected to. */
  allowsAddress(address: string, hostname: string): boolean;
  /** Whether a host name may be used at all (before DNS). */
  allowsName(hostname: string): boolean;
}

export const defaultDestinationPolicy: DestinationPolicy = {
  allowsAddress: (address, hostname) => isPublicAddress(address, isOperatorAllowed(hostname)),
  allowsName: (hostname) => isOperatorAllowed(hostname) || (!LOCAL_NAMES.test(hostname) && hostname.includes('.')),
};

/**
 * Static check of a destination URL at creation, before any DNS: scheme, no credentials, no
 * local names, no non-public IP literal (WEBHOOK_ALLOW hosts excepted).
 * @returns null when acceptable, else the reason (the caller prefixes the field name)
 */
export function checkDestinationUrl(raw: string, schemes: readonly string[] = ['http:', 'https:'], policy: DestinationPolicy = defaultDestinationPolicy): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'expected an absolute URL';
  }
  if (!schemes.includes(url.protocol)) return `expected a ${schemes.map((s) => s.slice(0, -1)).join('/')} URL`;
  if (url.username || url.password) return 'credentials in the URL are not accepted';
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  if (net.isIP(hostname)) {
    if (!policy.allowsAddress(hostname, hostname)) return 'internal addresses are not accepted (WEBHOOK_ALLOW, docs/security.md)';
  } else if (!policy.allowsName(hostname)) {
    return 'internal host names are not accepted (WEBHOOK_ALLOW, docs/security.md)';
  }
  return null;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;
export type LookupFunction = (hostname: string, options: LookupOptions, callback: LookupCallback) => void;

/**
 * A `lookup` for http(s).request / net.connect that resolves a host name and fails with a
 * DestinationError when any resolved address is refused by `policy`. The connection then uses
 * the address checked here.
 */
export function lookupFor(policy: DestinationPolicy = defaultDestinationPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { all: true, family: options.family ?? 0 }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const refused = addresses.find((entry) => !policy.allowsAddress(entry.address, hostname));
      if (refused || addresses.length === 0) return callback(new DestinationError(`${hostname} resolves to an internal address`), '', 0);
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

/** lookupFor() the default policy. */
export const safeLookup: LookupFunction = lookupFor();

/**
 * Check a destination's host before connecting: an IP literal against the policy (it skips DNS),
 * a name later through lookupFor(policy).
 * @throws DestinationError for a refused IP literal
 */
export function assertConnectable(url: URL, policy: DestinationPolicy = defaultDestinationPolicy): void {
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  if (net.isIP(hostname) && !policy.allowsAddress(hostname, hostname)) throw new DestinationError(`${hostname} is an internal address`);
}
