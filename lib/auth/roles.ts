/**
 * Roles, principals and the loopback test (issue 10; docs/security.md).
 *
 * - `admin`: everything, including collectors, broker tokens, users and API tokens;
 * - `viewer`: read everything else, manage its own watchlists and alerts.
 */
import { isIP } from 'node:net';
import type { AuthRequirement, RoutePrincipal } from '@/lib/http/auth';

export const ROLES = ['viewer', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export type Principal = RoutePrincipal;
export type { AuthRequirement };

export function isRole(value: unknown): value is Role {
  return value === 'viewer' || value === 'admin';
}

/** The principal of the loopback desk with no account yet: the one local user, an admin. */
export const LOCAL_PRINCIPAL: Principal = Object.freeze({ kind: 'local', role: 'admin', userId: null, name: 'local' });

/** True when `principal` may call a route requiring `requirement`. */
export function satisfies(principal: Principal | null, requirement: AuthRequirement): boolean {
  if (requirement === 'public') return true;
  if (!principal) return false;
  return requirement === 'viewer' || principal.role === 'admin';
}

/**
 * True for a listen address reachable only from this machine: `localhost`, 127.0.0.0/8, ::1
 * (and its IPv4-mapped form). `0.0.0.0`, `::` and any other name or address are exposed.
 */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || /^::ffff:127\./.test(h) || h === '0:0:0:0:0:0:0:1';
  return false;
}
