/**
 * Migrated template databases, built once per test run (vitest globalSetup, main process) and
 * cloned per test file by test/support/test-database.ts.
 *
 * - embedded: a PGlite+TimescaleDB cluster folder migrated once (~5 s); a test file copies the
 *   folder (~0.5 s for ~30 MB) and opens the copy (~2 s of WASM boot). Measured on these
 *   machines under load: copy + open 2.5 s, `loadDataDir` of a `dumpDataDir` tarball into
 *   memory 3.0 s, into a folder 5.3 s, open + migrate in memory 5–13 s.
 * - server (TEST_DATABASE_URL set): a database `marketdesk_tpl_<run>` on that server, closed
 *   to new connections (`ALLOW_CONNECTIONS false`) before it is migrated over the one open
 *   connection, so that TimescaleDB's scheduler never runs a job in it (see
 *   buildServerTemplate) and `CREATE DATABASE … TEMPLATE` can copy it.
 *
 * Every project that opens databases lists test/support/database-setup.ts as a globalSetup;
 * they share one set of templates per run (memoised on the main process's globalThis) and the
 * last teardown removes them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openEmbeddedDatabase, openServerDatabase } from '@/lib/db/client';
import { migrateDatabase } from '@/lib/db/migrate';

export interface DatabaseTemplates {
  /** PGlite cluster folder of the migrated embedded template. */
  embeddedDir: string;
  /** TEST_DATABASE_URL's server URL with the template database's name, or '' without a server. */
  serverTemplateUrl: string;
}

/** The same server URL naming another database. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** A fresh, unique database name: `<prefix>_<pid>_<time>_<random>` (lower case, ≤ 63 chars). */
export function uniqueDatabaseName(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}

/** Run `fn` on a one-connection admin client of the server at `url`. */
export async function withAdmin<T>(url: string, fn: (sql: import('postgres').Sql) => Promise<T>): Promise<T> {
  const { default: postgres } = await import('postgres');
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await fn(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function buildEmbeddedTemplate(): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'marketdesk-template-'));
  const started = Date.now();
  const db = await openEmbeddedDatabase(dir);
  try {
    await migrateDatabase(db);
  } finally {
    await db.close();
  }
  console.log(`[test-db] embedded template migrated in ${Date.now() - started} ms (${dir})`);
  return dir;
}

async function buildServerTemplate(url: string): Promise<string> {
  const name = uniqueDatabaseName('marketdesk_tpl');
  const started = Date.now();
  await withAdmin(url, (sql) => sql.unsafe(`CREATE DATABASE ${name}`));
  const templateUrl = withDatabase(url, name);
  const db = await openServerDatabase(templateUrl, 1);
  try {
    // Our one connection is open; from now on nobody else may connect, TimescaleDB's job
    // scheduler included (CREATE EXTENSION starts one per database). Without this, the
    // scheduler ran some refresh policies in the template while it was migrated and moved
    // some aggregates' watermarks to "now", differently from run to run. Clones therefore
    // start like a fresh embedded database: no job has run, every watermark at -infinity,
    // and the app's jobs are paused in them (below); tests that need a job run it
    // (CALL run_job), as the embedded job runner does.
    await db.query('SELECT 1');
    await withAdmin(url, (sql) => sql.unsafe(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS false`));
    await migrateDatabase(db);
    const ran = await db.query<{ n: string | number }>(
      `SELECT count(*) AS n FROM timescaledb_information.job_stats WHERE total_runs > 0`,
    );
    if (Number(ran[0].n) > 0) throw new Error(`server template: ${ran[0].n} TimescaleDB jobs ran during the migration`);
    // TimescaleDB's launcher starts a scheduler for every database with the extension on its
    // next poll (timescaledb.bgw_launcher_poll_time, 60 s), clones included: pause the app's jobs
    // in the template so no policy or retention run moves watermarks or drops chunks under a
    // test. Tests that need a job run it (CALL run_job works on a paused job) or re-enable them
    // (test/integration/server-scheduler.test.ts).
    await db.query(`SELECT alter_job(job_id, scheduled => false) FROM timescaledb_information.jobs WHERE job_id >= 1000`);
  } finally {
    await db.close();
  }
  await withAdmin(url, (sql) => sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ${name}`);
  console.log(`[test-db] server template ${name} migrated in ${Date.now() - started} ms`);
  return templateUrl;
}

/** Build the templates (the server one only when `serverUrl` is given). */
export async function buildTemplates(serverUrl: string | undefined): Promise<DatabaseTemplates> {
  const [embeddedDir, serverTemplateUrl] = await Promise.all([
    buildEmbeddedTemplate(),
    serverUrl ? buildServerTemplate(serverUrl) : Promise.resolve(''),
  ]);
  return { embeddedDir, serverTemplateUrl };
}

/** Delete the templates (best effort: a server that is already gone is not an error). */
export async function removeTemplates(templates: DatabaseTemplates, serverUrl: string | undefined): Promise<void> {
  rmSync(templates.embeddedDir, { recursive: true, force: true });
  if (serverUrl && templates.serverTemplateUrl) {
    const name = new URL(templates.serverTemplateUrl).pathname.slice(1);
    await withAdmin(serverUrl, (sql) => sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).catch(() => {});
  }
}
