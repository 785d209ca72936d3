/**
 * Per-user preferences: `user_preferences` (drizzle/0010_user_prefs.sql), one JSON value per
 * account and key, deleted with the account. Today one key, `chart` (the chart's studies,
 * lib/contracts/me.ts). Values are validated by the caller (the route's contract) before they
 * are written and after they are read.
 */
import type { Database } from '../client';

export type UserPrefKey = 'chart';

/** The stored value of `key` for account `userId`, or null when none is stored. */
export async function getUserPref(db: Database, userId: string, key: UserPrefKey): Promise<unknown> {
  const rows = await db.query<{ value: unknown }>('SELECT value FROM user_preferences WHERE user_id = $1 AND key = $2', [userId, key]);
  if (rows.length === 0) return null;
  const value = rows[0].value;
  // postgres.js returns jsonb parsed; PGlite too, but a text round trip is tolerated.
  return typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
}

/**
 * Store `value` (JSON-serialisable) under `key` for account `userId`, replacing any earlier one.
 * Throws the database error (a foreign-key violation, SQLSTATE 23503, when the account does not exist).
 */
export async function setUserPref(db: Database, userId: string, key: UserPrefKey, value: unknown): Promise<void> {
  await db.query(
    `INSERT INTO user_preferences (user_id, key, value, updated_at) VALUES ($1, $2, $3::jsonb, now())
     ON CONFLICT (user_id, key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at`,
    [userId, key, JSON.stringify(value)],
  );
}
