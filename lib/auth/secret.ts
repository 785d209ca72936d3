/**
 * The session-signing secret handed to better-auth: AUTH_SECRET when set, else one generated
 * once (48 random bytes, base64url) and kept in auth_settings, so every process on the same
 * database (host, web, worker) signs and verifies session cookies alike.
 */
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Database } from '@/lib/db/client';
import { authSettings } from '@/lib/db/schema-auth';

const KEY = 'session_secret';

/** @returns the secret (≥ 32 characters). Throws the database error. */
export async function loadAuthSecret(db: Database, configured: string | undefined): Promise<string> {
  if (configured) return configured;
  await db.orm
    .insert(authSettings)
    .values({ key: KEY, value: randomBytes(48).toString('base64url') })
    .onConflictDoNothing();
  const [row] = await db.orm.select().from(authSettings).where(eq(authSettings.key, KEY));
  return row.value;
}
