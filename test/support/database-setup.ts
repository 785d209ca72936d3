/**
 * Vitest globalSetup of every project that opens databases (db, integration, e2e): builds the
 * migrated templates once per run (test/support/database-templates.ts) and provides them to
 * the test files (`inject('databaseTemplates')`, read by test/support/test-database.ts).
 *
 * Projects' global setups run in the one main process, so the templates are memoised on its
 * globalThis and shared; the last project's teardown removes them.
 */
import type { TestProject } from 'vitest/node';
import { buildTemplates, removeTemplates, type DatabaseTemplates } from './database-templates';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseTemplates: DatabaseTemplates;
  }
}

interface Shared {
  templates: Promise<DatabaseTemplates>;
  users: number;
}
const slot = globalThis as typeof globalThis & { __marketdeskDatabaseTemplates?: Shared };

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const serverUrl = process.env.TEST_DATABASE_URL || undefined;
  const shared = (slot.__marketdeskDatabaseTemplates ??= { templates: buildTemplates(serverUrl), users: 0 });
  shared.users++;
  project.provide('databaseTemplates', await shared.templates);
  return async () => {
    if (--shared.users > 0) return;
    slot.__marketdeskDatabaseTemplates = undefined;
    await removeTemplates(await shared.templates, serverUrl);
  };
}
