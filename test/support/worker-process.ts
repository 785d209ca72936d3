/**
 * Test helper: the stand-alone worker (`worker/index.ts`) as a child process on a free port,
 * its /health, and polling for a condition on it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import type { WorkerHealth } from '@/lib/gateway/worker-health';

const children: ChildProcess[] = [];

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Start `worker/index.ts` with a replay feed and `env`; `exited` resolves with its exit code (null when killed). */
export function startWorkerProcess(env: Record<string, string>): { child: ChildProcess; exited: Promise<number | null>; log: () => string } {
  let log = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/index.ts'], {
    cwd: process.cwd(),
    env: { ...process.env, LOG_LEVEL: 'warn', FEED: 'replay', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (log += d));
  child.stderr!.on('data', (d) => (log += d));
  children.push(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, log: () => log };
}

/** Kill every worker started here that is still running (afterAll). */
export function killWorkerProcesses(): void {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
}

/** The worker's GET /health, or null while it is not answering. */
export async function workerHealth(port: number): Promise<WorkerHealth | null> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/health`);
    return (await res.json()) as WorkerHealth;
  } catch {
    return null;
  }
}

/** Poll `check` every 100 ms until it is true; throws naming `what` after `timeoutMs`. */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}
