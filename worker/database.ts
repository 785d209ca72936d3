/**
 * Open the worker's database from its configuration: a TimescaleDB server when DATABASE_URL
 * is set, otherwise the embedded database under DATA_DIR (claimed for this process). Applies
 * pending migrations either way.
 */
import type { Logger } from 'pino';
import type { WorkerEnv } from '@/lib/config/worker-env';
import { openEmbeddedDatabase, openServerDatabase, type Database } from '@/lib/db/client';
import { claimEmbeddedDatabase, embeddedClusterDir } from '@/lib/db/embedded-owner';
import { migrateDatabase } from '@/lib/db/migrate';

/**
 * @param ownerUrl  URL this process serves, recorded in the embedded owner file so a second
 *                  process can say where the running app is.
 * @throws DatabaseInUseError when another live process owns the embedded folder.
 */
export async function openWorkerDatabase(
  env: WorkerEnv,
  logger: Logger,
  ownerUrl: string | null = null,
): Promise<{ db: Database; close: () => Promise<void> }> {
  if (env.DATABASE_URL) {
    const db = await openServerDatabase(env.DATABASE_URL);
    await migrateDatabase(db);
    logger.info('connected to TimescaleDB server; migrations applied');
    return { db, close: () => db.close() };
  }
  const release = claimEmbeddedDatabase(env.dataDir, ownerUrl);
  const started = Date.now();
  const db = await openEmbeddedDatabase(embeddedClusterDir(env.dataDir));
  await migrateDatabase(db);
  logger.info({ dataDir: env.dataDir, ms: Date.now() - started }, 'embedded TimescaleDB open; migrations applied');
  return {
    db,
    close: async () => {
      await db.close();
      release();
    },
  };
}
