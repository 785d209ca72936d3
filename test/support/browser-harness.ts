/**
 * Shared harness of the browser tests: the built app served by the single-process host
 * (`node --import tsx worker/host.ts`, no wrapper processes, so one SIGTERM reaches it and it
 * shuts down gracefully) on a free port, and Chromium through playwright-core.
 *
 * Needs the production build (NEXT_DIST_DIR or .next; the test command builds it) and Chromium
 * (CHROMIUM_PATH, default /usr/bin/chromium; `apt-get install -y chromium`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

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
