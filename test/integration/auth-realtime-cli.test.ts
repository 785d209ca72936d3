/**
 * Issue 10, Tests: the token CLI and Socket.IO authentication, on real processes.
 *
 * 1. `npm run token` (worker/cli/token.ts) against a stopped app's embedded database: create
 *    prints an `mdk_…` token once, list shows tokens without the tokens themselves, revoke by
 *    name marks one revoked, an unknown name exits 1.
 * 2. The stand-alone worker (`npm run worker`, worker/index.ts) exposed: bound to this machine's
 *    own non-loopback address (os.networkInterfaces(); with none, loopback, where the account
 *    created here also makes sign-in required). While it owns the database the CLI exits 2 and
 *    points at the Settings page. A socket without credentials, with a revoked token or an
 *    unknown one gets connect_error `unauthorized`; with the CLI's token (`auth: { token }`) or
 *    a better-auth session cookie it connects and receives simulator ticks.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authServer } from '@/lib/auth/server';
import { createUser } from '@/lib/auth/users';
import { parseWorkerEnv } from '@/lib/config/worker-env';
import type { Tick } from '@/lib/market/tick';
import { openWorkerDatabase } from '@/worker/database';
import { createLogger } from '@/worker/logger';
import { freePort, killWorkerProcesses, startWorkerProcess } from '../support/worker-process';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** The first non-internal IPv4 address of this machine, or null. */
function ownAddress(): string | null {
  for (const addresses of Object.values(os.networkInterfaces())) {
    for (const a of addresses ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return null;
}

/** The environment without a server database: these processes use the embedded one under DATA_DIR. */
function baseEnv(dataDir: string): NodeJS.ProcessEnv {
  const { DATABASE_URL: _db, TEST_DATABASE_URL: _tdb, REALTIME_ADAPTER: _ra, ...env } = process.env;
  return { ...env, DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
}

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function tokenCli(args: string[], dataDir: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'worker/cli/token.ts', ...args], { cwd: ROOT, env: baseEnv(dataDir), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Connect; resolves with the socket once connected, rejects with the connect_error. */
function open(url: string, options: { token?: string; cookie?: string }): Promise<Socket> {
  const socket = connect(url, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    auth: options.token ? { token: options.token } : {},
    extraHeaders: options.cookie ? { cookie: options.cookie } : undefined,
  });
  sockets.push(socket);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

/** The connect_error of a handshake that must be refused. */
async function refusal(url: string, options: { token?: string; cookie?: string }): Promise<Error & { data?: { code?: string } }> {
  return open(url, options).then(
    () => {
      throw new Error('the handshake was accepted');
    },
    (error: Error & { data?: { code?: string } }) => error,
  );
}

/** Subscribe to `symbol` and resolve with the first ticks batch that carries it. */
function firstTicks(socket: Socket, symbol: string): Promise<Tick[]> {
  return new Promise((resolve, reject) => {
    socket.on('ticks', (ticks: Tick[]) => {
      const mine = ticks.filter((t) => `${t.exchange}:${t.tradingsymbol}` === symbol);
      if (mine.length) resolve(mine);
    });
    socket.emit('subscribe', { symbols: [symbol] }, (ack: { ok: boolean; error?: string }) => {
      if (!ack.ok) reject(new Error(`subscribe refused: ${ack.error}`));
    });
  });
}

const sockets: Socket[] = [];
let dir: string;
let dataDir: string;
const EMAIL = 'trader@example.com';
const PASSWORD = 'correct horse battery';

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'marketdesk-auth-'));
  dataDir = path.join(dir, 'data');
});

afterAll(() => {
  for (const socket of sockets) socket.close();
  killWorkerProcesses();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('token CLI and Socket.IO auth (stand-alone worker, exposed)', () => {
  let viewerToken: string;
  let revokedToken: string;
  let sessionCookie: string;

  it('creates, lists and revokes tokens on a stopped app’s database', async () => {
    const created = await tokenCli(['create', '--name', 'ci-viewer'], dataDir);
    expect(created.code, created.stderr).toBe(0);
    viewerToken = created.stdout.trim();
    expect(viewerToken).toMatch(/^mdk_[\w-]{43}$/);
    expect(created.stderr).toContain('Created viewer token "ci-viewer"');

    const admin = await tokenCli(['create', '--name', 'temp', '--role', 'admin'], dataDir);
    expect(admin.code, admin.stderr).toBe(0);
    revokedToken = admin.stdout.trim();

    const revoked = await tokenCli(['revoke', 'temp'], dataDir);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toMatch(/^revoked [0-9a-f-]{36}\ttemp$/m);

    const listed = await tokenCli(['list'], dataDir);
    expect(listed.code, listed.stderr).toBe(0);
    const rows = listed.stdout.trim().split('\n').map((line) => line.split('\t'));
    expect(rows.map((r) => [r[1], r[2], r[6].split(' ')[0]]).sort()).toEqual([
      ['ci-viewer', 'viewer', 'active'],
      ['temp', 'admin', 'revoked'],
    ]);
    expect(listed.stdout).not.toContain(viewerToken); // only the prefix
    expect(listed.stdout).toContain(`${viewerToken.slice(0, 12)}…`);

    const unknown = await tokenCli(['revoke', 'nope'], dataDir);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no active token with id or name "nope"');

    const badRole = await tokenCli(['create', '--name', 'x', '--role', 'root'], dataDir);
    expect(badRole.code).toBe(1);
  });

  it('an account and its session cookie, made while the app is stopped', async () => {
    const opened = await openWorkerDatabase(parseWorkerEnv(baseEnv(dataDir)), createLogger('warn', 'test'));
    try {
      await createUser(opened.db, { email: EMAIL, password: PASSWORD, role: 'viewer' });
      const auth = await authServer(opened.db);
      const answer = await auth.api.signInEmail({ body: { email: EMAIL, password: PASSWORD }, asResponse: true });
      expect(answer.ok).toBe(true);
      sessionCookie = answer.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('marketdesk.session_token='))!;
      expect(sessionCookie).toBeTruthy();
    } finally {
      await opened.close();
    }
  });

  it('the exposed worker refuses sockets without valid credentials and streams ticks to a token and a session', async () => {
    const host = ownAddress() ?? '127.0.0.1';
    const port = await freePort();
    const worker = startWorkerProcess({
      ...(baseEnv(dataDir) as Record<string, string>),
      FEED: 'simulator',
      HOST: host,
      WORKER_PORT: String(port),
      ALLOWED_HOSTS: host, // the Host allow-list (docs/security.md): this address is how clients reach it
    });
    const url = `http://${host}:${port}`;
    // Ready when /health answers (polled: the worker gives no other signal).
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (worker.child.exitCode !== null) throw new Error(`worker exited ${worker.child.exitCode}:\n${worker.log()}`);
      const ok = await fetch(`${url}/health`).then((r) => r.status < 500, () => false);
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`worker not healthy:\n${worker.log()}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }

    // While the worker owns the embedded database the CLI cannot open it, and says where to go.
    const busy = await tokenCli(['list'], dataDir);
    expect(busy.code).toBe(2);
    expect(busy.stderr).toContain('manage tokens in it instead');
    expect(busy.stderr).toContain(`http://localhost:${port}/settings`);

    // No credentials, a revoked token, an unknown one, a forged session cookie (counts as none).
    for (const credentials of [{}, { token: revokedToken }, { token: 'mdk_not-a-real-token' }, { cookie: 'marketdesk.session_token=forged.value' }]) {
      const error = await refusal(url, credentials);
      expect(error.data?.code, JSON.stringify(credentials)).toBe('unauthorized');
    }

    const withToken = await open(url, { token: viewerToken });
    const tokenTicks = await firstTicks(withToken, 'NSE:INFY');
    expect(tokenTicks[0].ltp).toBeGreaterThan(0);

    const withSession = await open(url, { cookie: sessionCookie });
    const sessionTicks = await firstTicks(withSession, 'NSE:TCS');
    expect(sessionTicks[0].ltp).toBeGreaterThan(0);

    withToken.close();
    withSession.close();
    // Stopped here; its shutdown (flush of the simulator's ticks) is not what this test is about.
    worker.child.kill('SIGTERM');
    await worker.exited;
  });
});
