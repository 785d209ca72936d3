/**
 * Apply the migrations in drizzle/ (drizzle-kit journal) to a database, embedded or server.
 * Idempotent: applied migrations are recorded in drizzle.__drizzle_migrations and skipped.
 */
import path from 'node:path';
import type { Database } from './client';

/** Folder holding the SQL migrations; MIGRATIONS_DIR overrides (e.g. in a container). */
export function migrationsFolder(): string {
  return process.env.MIGRATIONS_DIR ?? path.resolve(process.cwd(), 'drizzle');
}

/** Apply pending migrations. Throws the database error of the first failing statement. */
export async function migrateDatabase(db: Database): Promise<void> {
  const migrationsFolderPath = migrationsFolder();
  if (db.kind === 'embedded' && 'migrate' in db && typeof db.migrate === 'function') {
    // The embedded database on its thread runs drizzle's PGlite migrator there (lib/db/embedded-thread-client.ts).
    await (db as { migrate(folder: string): Promise<void> }).migrate(migrationsFolderPath);
  } else if (db.kind === 'embedded') {
    const { migrate } = await import('drizzle-orm/pglite/migrator');
    await migrate(db.orm as never, { migrationsFolder: migrationsFolderPath });
  } else {
    const { migrate } = await import('drizzle-orm/postgres-js/migrator');
    await migrate(db.orm as never, { migrationsFolder: migrationsFolderPath });
  }
}
