/**
 * The production topology on a real TimescaleDB server (issue 9 point 3), run with exactly the
 * documented commands (README.md "Production", docs/operations.md, docker-compose.yml), each
 * its own process:
 *
 *   npm run db:migrate                      DATABASE_URL
 *   npm run worker                          DATABASE_URL, FEED=simulator, WORKER_PORT
 *   npm run web                             DATABASE_URL, WORKER_URL (the worker), PORT
 *
 * on a fresh database cloned from the run's migrated server template
 * (test/support/test-database.ts). Chromium opens the chart page served by the web process:
 * stored candles are drawn, live candle updates arrive over Socket.IO from the *worker's* port
 * (the web process serves no Socket.IO), and the web app's /api/health reports the worker's
 * feed, which it can only know through WORKER_URL. SIGTERM then stops both gracefully (exit 0).
 *
 * Server only: skipped, saying so, without TEST_DATABASE_URL (.ci/run sets it). Needs the
 * production build (NEXT_DIST_DIR, default .next) and Chromium (test/support/browser-harness.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkBrowserPrerequisites, freePort, launchChromium, pageFactory, ROOT } from '../support/browser-harness';
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from '../support/test-database';

const SKIP_REASON = TEST_DATABASE_URL ? '' : ' [server only: set TEST_DATABASE_URL to a TimescaleDB server (.ci/run does)]';

/** One `npm run <script>` process: its output, exit code, and a graceful stop. */
interface NpmProcess {
  child: ChildProcess;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  log(): string;
  /** SIGTERM; resolves with the exit code, SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<number | null>;
}

/**
 * Spawn `npm run <script>` in the project root with `env` on top of this process's environment
 * (DATABASE_URL/REALTIME_URL of the caller dropped, LOG_LEVEL warn unless given).
 */
function npmRun(script: string, env: Record<string, string>): NpmProcess {
  const { DATABASE_URL: _db, REALTIME_URL: _rt, ...inherited } = process.env;
  const child = spawn('npm', ['run', '--silent', script], {
    cwd: ROOT,
    env: { ...inherited, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    exited,
    log: () => output,
    async stop(graceMs = 25_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

const tail = (p: NpmProcess) => p.log().split('\n').slice(-25).join('\n');

/** Poll `url` until it answers 200 (and `accept` holds for its JSON); throws with the process's output when it exits or times out. */
async function untilHealthy(owner: NpmProcess, url: string, accept: (body: any) => boolean = () => true, timeoutMs = 180_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no response';
  for (;;) {
    if (owner.child.exitCode !== null) throw new Error(`process exited with ${owner.child.exitCode} before ${url} was healthy:\n${tail(owner)}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(3000) });
      const body = await response.json().catch(() => null);
      if (response.status === 200 && accept(body)) return body;
      last = `HTTP ${response.status}: ${JSON.stringify(body)?.slice(0, 300)}`;
    } catch (error) {
      last = (error as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`${url} not healthy after ${timeoutMs} ms (${last}):\n${tail(owner)}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

describe.skipIf(!TEST_DATABASE_URL)(`production topology: db:migrate, worker and web as separate processes on a TimescaleDB server${SKIP_REASON}`, () => {
  let database: TestDatabase | undefined;
  let worker: NpmProcess | undefined;
  let web: NpmProcess | undefined;
  let browser: Browser | undefined;
  let dataDir: string | undefined;
  let workerPort = 0;
  let webBase = '';
  const pages = pageFactory(() => browser);

  beforeAll(async () => {
    checkBrowserPrerequisites();
    database = await createTestDatabase('server');
    await database.close(); // the processes below connect on their own
    const url = database.url!;
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'marketdesk-e2e-topology-'));
    workerPort = await freePort();
    const webPort = await freePort();
    webBase = `http://127.0.0.1:${webPort}`;

    const migrate = npmRun('db:migrate', { DATABASE_URL: url, DATA_DIR: dataDir });
    expect(await migrate.exited, `npm run db:migrate:\n${tail(migrate)}`).toBe(0);
    expect(migrate.log()).toContain('migrations applied');

    worker = npmRun('worker', {
      DATABASE_URL: url,
      DATA_DIR: dataDir, // the worker's tick journal
      FEED: 'simulator',
      WORKER_PORT: String(workerPort),
      HOST: '127.0.0.1',
      // Browsers load pages from the web app's origin and open Socket.IO here (docs/security.md).
      ALLOWED_ORIGINS: webBase,
    });
    await untilHealthy(worker, `http://127.0.0.1:${workerPort}/health`, (body) => body?.ok === true && body.pipeline?.ticksWritten > 0);

    web = npmRun('web', {
      DATABASE_URL: url,
      WORKER_URL: `http://127.0.0.1:${workerPort}`,
      PORT: String(webPort),
      HOST: '127.0.0.1',
      NODE_ENV: 'production',
    });
    await untilHealthy(web, `${webBase}/api/health`);
    browser = await launchChromium();
  }, 300_000);

  afterEach(async () => {
    expect(await pages.closeAll(), 'uncaught errors in the page').toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await worker?.stop();
    await database?.destroy();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("the web app's /api/health reports the worker's feed (reached through WORKER_URL only)", async () => {
    const response = await fetch(`${webBase}/api/health`);
    expect(response.status).toBe(200);
    const body = await response.json();
    const fromWorker = await (await fetch(`http://127.0.0.1:${workerPort}/health`)).json();
    expect(JSON.stringify(body)).toContain(fromWorker.feed.name);
    expect(JSON.stringify(body)).toContain(fromWorker.startedAt);
  });

  it('the chart page draws stored candles and applies live updates over Socket.IO from the worker', async () => {
    const page: Page = await pages.newPage();
    const sockets: string[] = [];
    page.on('websocket', (socket) => sockets.push(socket.url()));
    await page.goto(`${webBase}/chart/NSE%3AINFY`);
    const chart = page.getByTestId('chart');
    await expect(page.getByTestId('chart-symbol').textContent()).resolves.toBe('INFY');
    await expect.poll(() => chart.getAttribute('data-state'), { timeout: 60_000 }).toBe('ready');
    await expect.poll(async () => Number(await chart.getAttribute('data-candles')), { timeout: 60_000 }).toBeGreaterThanOrEqual(1);
    expect(await page.locator('[data-testid="chart"] canvas').count()).toBeGreaterThan(0);

    // Live candle updates: two distinct ones, applied to the chart.
    await expect.poll(() => chart.getAttribute('data-last-update'), { timeout: 60_000 }).not.toBeNull();
    const first = await chart.getAttribute('data-last-update');
    await expect.poll(() => chart.getAttribute('data-last-update'), { timeout: 60_000 }).not.toBe(first);

    // They came from the worker's Socket.IO, not from the web process.
    expect(sockets.length).toBeGreaterThan(0);
    for (const url of sockets) expect(new URL(url).port).toBe(String(workerPort));
    const webSocketIo = await fetch(`${webBase}/socket.io/?EIO=4&transport=polling`);
    expect(webSocketIo.status, 'the web process serves no Socket.IO').not.toBe(200);
  });

  it('SIGTERM stops web and worker gracefully (exit 0)', async () => {
    expect(await web!.stop(), `npm run web:\n${tail(web!)}`).toBe(0);
    expect(await worker!.stop(), `npm run worker:\n${tail(worker!)}`).toBe(0);
  });
});
