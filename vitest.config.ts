import path from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * Projects: unit (pure stages), db (TimescaleDB, real migrations), integration (real client
 * libraries against local protocol servers, processes and signals) and e2e (the built app in
 * Chromium). `npm test` runs them all.
 *
 * Databases: the projects that open one share test/support/database-setup.ts, which migrates a
 * template once per run; each test file clones it (test/support/test-database.ts). Database
 * tests run on the embedded TimescaleDB and, when TEST_DATABASE_URL is set (.ci/run), also on
 * that server.
 */
const DATABASE_SETUP = 'test/support/database-setup.ts';

export default defineConfig({
  resolve: { alias: { '@': path.resolve(import.meta.dirname) } },
  test: {
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 20_000 },
      },
      {
        extends: true,
        test: {
          name: 'db',
          include: ['test/db/**/*.test.ts'],
          globalSetup: [DATABASE_SETUP],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          pool: 'forks',
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: [DATABASE_SETUP],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          pool: 'forks',
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 300_000,
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
          globalSetup: ['test/e2e/global-setup.ts', DATABASE_SETUP],
        },
      },
    ],
  },
});
