/**
 * Browser calls of the Settings page: /api/tokens and /api/auth/users (admin; docs/security.md),
 * and /api/auth/password (the signed-in account's own password).
 * Errors surface the API's `{ error: { message } }`.
 */

export type Role = 'viewer' | 'admin';

/** GET /api/tokens row (never the token itself). Times are ISO UTC. */
export interface TokenRow {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  createdBy: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** GET /api/auth/users row. */
export interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  createdAt: string;
}

async function call<T>(path: string, method = 'GET', body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    cache: 'no-store',
    ...(method === 'GET' ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) }),
  });
  const json = (await response.json().catch(() => null)) as (T & { error?: { message?: string } }) | null;
  if (!response.ok) throw new Error(json?.error?.message ?? `HTTP ${response.status}`);
  return json as T;
}

export const settingsApi = {
  tokens: () => call<{ tokens: TokenRow[] }>('/api/tokens').then((r) => r.tokens),
  createToken: (name: string, role: Role) => call<{ token: string; info: TokenRow }>('/api/tokens', 'POST', { name, role }),
  revokeToken: (id: string) => call<{ token: TokenRow }>(`/api/tokens/${encodeURIComponent(id)}`, 'DELETE'),
  users: () => call<{ users: UserRow[] }>('/api/auth/users').then((r) => r.users),
  createUser: (input: { email: string; password: string; role: Role }) => call<{ user: UserRow }>('/api/auth/users', 'POST', input),
  setRole: (id: string, role: Role) => call<{ user: UserRow }>(`/api/auth/users/${encodeURIComponent(id)}`, 'PATCH', { role }),
  changePassword: (currentPassword: string, newPassword: string) => call<{ ok: true }>('/api/auth/password', 'POST', { currentPassword, newPassword }),
  deleteUser: (id: string) => call<unknown>(`/api/auth/users/${encodeURIComponent(id)}`, 'DELETE'),
};

/** `2025-01-02T03:04:05.000Z` → `02 Jan 2025, 08:34 IST`. */
export function formatIst(iso: string | null): string {
  if (!iso) return '—';
  return `${new Date(iso).toLocaleString('en-GB', { timeZone: 'Asia/Kolkata', day: '2-digit', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false })} IST`;
}
