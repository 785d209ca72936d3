/**
 * `npm run db:migrate`: apply pending migrations to DATABASE_URL or the embedded database
 * under DATA_DIR (the app applies them at start too). Exit 2 if the embedded database is in use.
 */
import { parseWorkerEnv } from '@/lib/config/worker-env';
import { DatabaseInUseError } from '@/lib/db/embedded-owner';
import { openWorkerDatabase } from '../database';
import { createLogger } from '../logger';

const env = parseWorkerEnv();
openWorkerDatabase(env, createLogger(env.LOG_LEVEL, 'migrate'))
  .then(async ({ close }) => {
    await close();
    console.log('migrations applied');
  })
  .catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(error instanceof DatabaseInUseError ? 2 : 1);
  });
