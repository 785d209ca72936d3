/**
 * The one place tests get a database: a fresh, migrated database per test file (per backend),
 * cloned from the run's template (test/support/database-templates.ts).
 *
 * Backends: `embedded` always (PGlite+TimescaleDB in this process); `server` as well when
 * TEST_DATABASE_URL names a TimescaleDB server (.ci/run starts one). A test file runs its
 * database tests on each with `describeEachBackend(title, (backend) => …)` and gets its
 * database with `useTestDatabase(backend)` inside it. A test that can only hold on one backend
 * says why: `it.skipIf(backend === 'server')('… [embedded only: <reason>]', …)`.
 *
 * - embedded: the template folder is copied to `<dataDir>/pgdata` (a temp DATA_DIR, the layout
 *   the worker and CLIs use, lib/db/embedded-owner.ts) and opened there;
 * - server: `CREATE DATABASE md_test_… TEMPLATE <template>`; dropped (WITH FORCE) afterwards.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, inject } from 'vitest';
import { openEmbeddedDatabase, openServerDatabase, type Database } from '@/lib/db/client';
import { embeddedClusterDir } from '@/lib/db/embedded-owner';
import { uniqueDatabaseName, withAdmin, withDatabase } from './database-templates';

export type Backend = 'embedded' | 'server';

/** The server the server backend uses (TEST_DATABASE_URL), or undefined. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined;

/**
 * Backends of this run: embedded, and server when TEST_DATABASE_URL is set; TEST_BACKENDS
 * (e.g. `server`) narrows that list for a targeted run.
 */
export const BACKENDS: readonly Backend[] = (TEST_DATABASE_URL ? (['embedded', 'server'] as const) : (['embedded'] as const)).filter(
  (backend) => !process.env.TEST_BACKENDS || process.env.TEST_BACKENDS.split(',').includes(backend),
);

export interface TestDatabase {
  backend: Backend;
  /** The open handle (replaced by `reopen`). */
  readonly db: Database;
  /** A temp folder usable as a process's DATA_DIR: embedded, it holds the cluster (`pgdata/`). */
  dataDir: string;
  /** server: the database's URL; embedded: undefined. */
  url: string | undefined;
  /** Environment for a worker or CLI child process on this database: DATA_DIR, plus DATABASE_URL on the server. */
  env(): Record<string, string>;
  /** Close the current handle (if open) and open a new one on the same database. */
  reopen(): Promise<Database>;
  /** Close the current handle (idempotent): e.g. before a child process opens the embedded folder. */
  close(): Promise<void>;
  /** Close and delete the database and its folder. */
  destroy(): Promise<void>;
}

function templates() {
  const provided = inject('databaseTemplates');
  if (!provided) throw new Error('no database templates: list test/support/database-setup.ts in this project\'s globalSetup');
  return provided;
}

/** Clone the embedded template into `<dataDir>/pgdata` (dataDir created when absent). */
export function cloneEmbeddedTemplate(dataDir: string): void {
  cpSync(templates().embeddedDir, embeddedClusterDir(dataDir), { recursive: true });
}

/** Create a fresh database from the server template; returns its URL. Retries while the template is busy. */
export async function cloneServerTemplate(): Promise<string> {
  const { serverTemplateUrl } = templates();
  if (!TEST_DATABASE_URL || !serverTemplateUrl) throw new Error('server backend without TEST_DATABASE_URL');
  const template = new URL(serverTemplateUrl).pathname.slice(1);
  const name = uniqueDatabaseName('md_test');
  await withAdmin(TEST_DATABASE_URL, async (sql) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await sql.unsafe(`CREATE DATABASE ${name} TEMPLATE ${template}`);
        return;
      } catch (error) {
        // 55006 object_in_use: a connection to the template is still closing.
        if ((error as { code?: string }).code !== '55006' || attempt >= 50) throw error;
        await sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ${template}`;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  });
  return withDatabase(TEST_DATABASE_URL, name);
}

/** Open a fresh migrated database on `backend`. The caller destroys it. */
export async function createTestDatabase(backend: Backend): Promise<TestDatabase> {
  const dataDir = mkdtempSync(path.join(tmpdir(), `marketdesk-test-${backend}-`));
  const url = backend === 'server' ? await cloneServerTemplate() : undefined;
  if (backend === 'embedded') cloneEmbeddedTemplate(dataDir);
  const open = () => (url ? openServerDatabase(url, 4) : openEmbeddedDatabase(embeddedClusterDir(dataDir)));
  let current: Database | null = await open();
  const handle: TestDatabase = {
    backend,
    get db() {
      if (!current) throw new Error('test database is closed (reopen() it)');
      return current;
    },
    dataDir,
    url,
    env: (): Record<string, string> => (url ? { DATA_DIR: dataDir, DATABASE_URL: url } : { DATA_DIR: dataDir }),
    async reopen() {
      await handle.close();
      current = await open();
      return current;
    },
    async close() {
      const closing = current;
      current = null;
      await closing?.close();
    },
    async destroy() {
      await handle.close();
      if (url && TEST_DATABASE_URL) {
        const name = new URL(url).pathname.slice(1);
        await withAdmin(TEST_DATABASE_URL, (sql) => sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return handle;
}

/**
 * A fresh database for the enclosing describe block (opened in beforeAll, destroyed in
 * afterAll), or with `{ perTest: true }` one per test (beforeEach/afterEach) for tests that
 * need an untouched database each. Read `.db` (or the handle) inside hooks and tests, not at
 * collection time.
 */
export function useTestDatabase(backend: Backend, options: { perTest?: boolean } = {}): TestDatabase {
  let handle: TestDatabase | undefined;
  (options.perTest ? beforeEach : beforeAll)(async () => {
    handle = await createTestDatabase(backend);
  });
  (options.perTest ? afterEach : afterAll)(async () => {
    await handle?.destroy();
    handle = undefined;
  });
  const get = () => {
    if (!handle) throw new Error('useTestDatabase: read the database inside hooks or tests');
    return handle;
  };
  return {
    backend,
    get db() {
      return get().db;
    },
    get dataDir() {
      return get().dataDir;
    },
    get url() {
      return get().url;
    },
    env: () => get().env(),
    reopen: () => get().reopen(),
    close: () => get().close(),
    destroy: () => get().destroy(),
  };
}

/**
 * `describe(title [backend], …)` once per backend of this run; `skip` skips them all (e.g.
 * shared data missing, said in the title).
 */
export function describeEachBackend(title: string, fn: (backend: Backend) => void, options: { skip?: boolean } = {}): void {
  for (const backend of BACKENDS) describe.skipIf(options.skip ?? false)(`${title} [${backend}]`, () => fn(backend));
}
