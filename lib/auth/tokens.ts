/**
 * API tokens for scripts (`Authorization: Bearer mdk_…`; issue 10, docs/security.md).
 *
 * A token is `mdk_` + 32 random bytes (base64url, 43 characters): 256 bits, so a single SHA-256
 * (node:crypto) is the stored form, as for GitHub or better-auth's api-key plugin; a slow
 * password hash would buy nothing and cost every request. The token itself is shown once, at
 * creation. Revoked tokens stay listed with `revokedAt`.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Database } from '@/lib/db/client';
import { apiTokens } from '@/lib/db/schema-auth';
import type { Principal, Role } from './roles';

export const TOKEN_PREFIX = 'mdk_';

/** A token as listed (never the token itself). Times are ISO UTC. */
export interface ApiTokenInfo {
  id: string;
  name: string;
  role: Role;
  /** First 8 characters after `mdk_`, to recognise a token. */
  prefix: string;
  createdBy: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** SHA-256 of a token, hex. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

function toInfo(row: typeof apiTokens.$inferSelect): ApiTokenInfo {
  return {
    id: row.id,
    name: row.name,
    role: row.role as Role,
    prefix: row.prefix,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

/**
 * Create a token. `createdBy` is the creating account's id (null from the CLI or the local desk).
 * @returns the token (shown once) and its listing.
 */
export async function createApiToken(
  db: Database,
  input: { name: string; role: Role; createdBy?: string | null },
): Promise<{ token: string; info: ApiTokenInfo }> {
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const [row] = await db.orm
    .insert(apiTokens)
    .values({
      id: randomUUID(),
      name: input.name,
      role: input.role,
      tokenHash: hashToken(token),
      prefix: token.slice(0, TOKEN_PREFIX.length + 8),
      createdBy: input.createdBy ?? null,
    })
    .returning();
  return { token, info: toInfo(row) };
}

/** Every token, newest first, revoked ones included. */
export async function listApiTokens(db: Database): Promise<ApiTokenInfo[]> {
  const rows = await db.orm.select().from(apiTokens).orderBy(desc(apiTokens.createdAt));
  return rows.map(toInfo);
}

/**
 * Revoke the token whose id or exact name is `idOrName` (active tokens only).
 * @returns the revoked tokens (empty when none matched).
 */
export async function revokeApiToken(db: Database, idOrName: string): Promise<ApiTokenInfo[]> {
  const match = /^[0-9a-f-]{36}$/i.test(idOrName) ? eq(apiTokens.id, idOrName) : eq(apiTokens.name, idOrName);
  const rows = await db.orm
    .update(apiTokens)
    .set({ revokedAt: new Date() })
    .where(and(match, isNull(apiTokens.revokedAt)))
    .returning();
  return rows.map(toInfo);
}

/** Number of tokens not revoked. */
export async function countActiveTokens(db: Database): Promise<number> {
  const [row] = await db.orm.select({ n: sql<number>`count(*)::int` }).from(apiTokens).where(isNull(apiTokens.revokedAt));
  return Number(row.n);
}

/** `last_used_at` is written at most this often per token (ms). */
const LAST_USED_GRANULARITY_MS = 60_000;

/** The principal of an active token, or null (unknown, revoked or not a marketdesk token). */
export async function verifyApiToken(db: Database, token: string): Promise<Principal | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 100) return null;
  const [row] = await db.orm
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.tokenHash, hashToken(token)), isNull(apiTokens.revokedAt)));
  if (!row) return null;
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > LAST_USED_GRANULARITY_MS) {
    await db.orm.update(apiTokens).set({ lastUsedAt: new Date() }).where(eq(apiTokens.id, row.id));
  }
  return { kind: 'token', role: row.role === 'admin' ? 'admin' : 'viewer', userId: row.createdBy, name: row.name };
}
