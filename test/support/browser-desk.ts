/**
 * The usual e2e file setup as vitest hooks (useBrowserDesk), over test/support/browser-harness.ts
 * (which stays free of vitest so scripts can start the app and Chromium too).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { checkBrowserPrerequisites, launchChromium, pageFactory, startHost, type HostProcess } from './browser-harness';

/** What `useBrowserDesk` hands a test file (valid inside tests, after its beforeAll). */
export interface BrowserDesk {
  /** The app's origin, e.g. http://127.0.0.1:41234. */
  readonly base: string;
  readonly host: HostProcess;
  /** The app's DATA_DIR (a fresh temporary folder, removed after the file). */
  readonly dataDir: string;
  /** The Chromium instance (for contexts with other options than pages.newPage's). */
  readonly browser: Browser;
  /** Pages recording uncaught errors (pageFactory); every test's pages are closed after it and must have none. */
  readonly pages: ReturnType<typeof pageFactory>;
}

/**
 * The usual e2e file setup as vitest hooks: a fresh DATA_DIR, `prepare(dataDir)` (e.g. seed the
 * embedded database before the app owns it), the app started with `env(dataDir)` (startHost),
 * Chromium; after each test its pages close and uncaught page errors fail it; after the file
 * everything stops and the folder is removed.
 */
export function useBrowserDesk(options: { env: (dataDir: string) => Record<string, string>; prepare?: (dataDir: string) => Promise<void> }): BrowserDesk {
  let host: HostProcess | undefined;
  let dataDir: string | undefined;
  let browser: Browser | undefined;
  const pages = pageFactory(() => browser);
  beforeAll(async () => {
    checkBrowserPrerequisites();
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'marketdesk-e2e-'));
    await options.prepare?.(dataDir);
    host = await startHost(options.env(dataDir));
    browser = await launchChromium();
  });
  afterEach(async () => {
    expect(await pages.closeAll(), 'uncaught errors in the page').toEqual([]);
  });
  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });
  return {
    get base() {
      return host!.base;
    },
    get host() {
      return host!;
    },
    get dataDir() {
      return dataDir!;
    },
    get browser() {
      return browser!;
    },
    pages,
  };
}
