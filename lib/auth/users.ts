/**
 * Accounts (issue 10): created by an admin (Settings page, POST /api/auth/users), by
 * ADMIN_EMAIL + ADMIN_PASSWORD at first start, or on the local desk. Passwords are hashed by
 * better-auth (scrypt) in auth_accounts; sign-up over HTTP does not exist.
 */
import { asc, eq, sql } from 'drizzle-orm';
import type { Database } from '@/lib/db/client';
import { AppError } from '@/lib/http/errors';
import { authUsers } from '@/lib/db/schema-auth';
import type { Role } from './roles';
import { authServer } from './server';

export interface UserInfo {
  id: string;
  email: string;
  name: string;
  role: Role;
  createdAt: string;
}

function toInfo(row: typeof authUsers.$inferSelect): UserInfo {
  return { id: row.id, email: row.email, name: row.name, role: row.role === 'admin' ? 'admin' : 'viewer', createdAt: row.createdAt.toISOString() };
}

/**
 * Create an account with a password (≥ 12 characters) and a role.
 * @throws AppError conflict when the email is taken; invalid_request naming `body.password`
 *         when better-auth refuses the password.
 */
export async function createUser(db: Database, input: { email: string; password: string; name?: string; role: Role }): Promise<UserInfo> {
  const email = input.email.trim().toLowerCase();
  const [existing] = await db.orm.select({ id: authUsers.id }).from(authUsers).where(eq(authUsers.email, email));
  if (existing) throw new AppError('conflict', `body.email: an account with ${email} exists`);
  const auth = await authServer(db);
  try {
    await auth.api.signUpEmail({ body: { email, password: input.password, name: input.name?.trim() || email } });
  } catch (error) {
    const message = (error as { body?: { message?: string } }).body?.message ?? (error as Error).message;
    throw new AppError('invalid_request', `body.password: ${message}`);
  }
  const [row] = await db.orm.update(authUsers).set({ role: input.role }).where(eq(authUsers.email, email)).returning();
  knownUsers.set(db, { any: true, at: Date.now() });
  return toInfo(row);
}

export async function listUsers(db: Database): Promise<UserInfo[]> {
  return (await db.orm.select().from(authUsers).orderBy(asc(authUsers.createdAt))).map(toInfo);
}

export async function countUsers(db: Database): Promise<number> {
  const [row] = await db.orm.select({ n: sql<number>`count(*)::int` }).from(authUsers);
  return Number(row.n);
}

/** How long "no account yet" is believed before asking again (ms): another process may create one. */
const NO_USERS_TTL_MS = 2_000;
const knownUsers = new WeakMap<Database, { any: boolean; at: number }>();

/** True once any account exists (true is cached for good: the last admin cannot be deleted). */
export async function hasAnyUser(db: Database): Promise<boolean> {
  const known = knownUsers.get(db);
  if (known && (known.any || Date.now() - known.at < NO_USERS_TTL_MS)) return known.any;
  const any = (await countUsers(db)) > 0;
  knownUsers.set(db, { any, at: Date.now() });
  return any;
}

/** Change a role. @throws AppError not_found; conflict when it would leave no admin. */
export async function setUserRole(db: Database, id: string, role: Role): Promise<UserInfo> {
  if (role !== 'admin') await assertNotLastAdmin(db, id);
  const [row] = await db.orm.update(authUsers).set({ role, updatedAt: new Date() }).where(eq(authUsers.id, id)).returning();
  if (!row) throw new AppError('not_found', `path.id: no account ${id}`);
  return toInfo(row);
}

/** Delete an account (its sessions go with it). @throws AppError not_found; conflict for the last admin. */
export async function deleteUser(db: Database, id: string): Promise<void> {
  await assertNotLastAdmin(db, id);
  const rows = await db.orm.delete(authUsers).where(eq(authUsers.id, id)).returning({ id: authUsers.id });
  if (rows.length === 0) throw new AppError('not_found', `path.id: no account ${id}`);
}

async function assertNotLastAdmin(db: Database, id: string): Promise<void> {
  const admins = await db.orm.select({ id: authUsers.id }).from(authUsers).where(eq(authUsers.role, 'admin'));
  if (admins.length === 1 && admins[0].id === id) throw new AppError('conflict', 'path.id: the last admin account cannot be removed or demoted');
}
