/**
 * Shared harness of the browser tests: the built app served by the single-process host
 * (`node --import tsx worker/host.ts`, no wrapper processes, so one SIGTERM reaches it and it
 * shuts down gracefully) on a free port, and Chromium through playwright-core.
 *
 * Needs the production build (NEXT_DIST_DIR or .next; the test command builds it) and Chromium
 * (CHROMIUM_PATH, default /usr/bin/chromium; `apt-get install -y chromium`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Throws a clear error when the production build or Chromium is missing. */
export function checkBrowserPrerequisites(): void {
  if (!existsSync(path.join(ROOT, process.env.NEXT_DIST_DIR || '.next', 'BUILD_ID'))) {
    throw new Error('No production build: run `npx next build` (the test command does)');
  }
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
}

export interface HostProcess {
  /** http://127.0.0.1:<port> */
  base: string;
  process: ChildProcess;
  /** Everything the host printed so far. */
  log(): string;
  /** SIGTERM, wait up to 20 s for a graceful exit, then SIGKILL. */
  stop(): Promise<void>;
}

/**
 * Start the host with `env` (DATA_DIR, FEED, …; PORT/HOST are set here; DATABASE_URL and
 * REALTIME_URL of the calling environment are dropped) and wait until GET /api/health is 200.
 * @throws Error with the host's last output when it exits or stays unhealthy past `healthTimeoutMs`.
 */
export async function startHost(env: Record<string, string>, healthTimeoutMs = 120_000): Promise<HostProcess> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const { DATABASE_URL: _db, REALTIME_URL: _rt, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/host.ts'], {
    cwd: ROOT,
    env: { ...inherited, LOG_LEVEL: 'warn', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const tail = () => output.split('\n').slice(-30).join('\n');

  const deadline = Date.now() + healthTimeoutMs;
  let last = 'no response';
  for (;;) {
    if (child.exitCode !== null) throw new Error(`host exited with ${child.exitCode}:\n${tail()}`);
    try {
      const response = await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) break;
      last = `HTTP ${response.status}: ${(await response.text()).slice(0, 300)}`;
    } catch (error) {
      last = (error as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`/api/health not 200 after ${healthTimeoutMs} ms (${last}):\n${tail()}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }

  return {
    base,
    process: child,
    log: () => output,
    async stop() {
      if (child.exitCode !== null || !child.pid) return;
      child.kill('SIGTERM');
      const stopped = await Promise.race([
        exited.then(() => true),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 20_000)),
      ]);
      if (!stopped) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

/** Launch headless Chromium with the flags this machine needs. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/**
 * Pages that record uncaught page errors, in a browser time zone far from IST
 * (America/New_York): the app must show IST regardless. `closeAll` closes them and returns the
 * errors seen.
 */
export function pageFactory(browser: () => Browser | undefined) {
  const pages: Page[] = [];
  const errors: string[] = [];
  return {
    async newPage(): Promise<Page> {
      const context = await browser()!.newContext({ viewport: { width: 1440, height: 900 }, timezoneId: 'America/New_York' });
      const page = await context.newPage();
      page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`));
      pages.push(page);
      return page;
    },
    async closeAll(): Promise<string[]> {
      await Promise.all(pages.splice(0).map((page) => page.context().close()));
      return errors.splice(0);
    },
  };
}

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
