/**
 * Over real sockets (issue 10 points 3–5):
 * - a webhook to a 127.0.0.1 listener (as 127.0.0.1, localhost, 2130706433, [::1], a name that
 *   resolves to loopback) is refused and the listener sees 0 requests; a 307 redirect is not
 *   followed (the second listener sees 0 requests);
 * - Socket.IO refuses a handshake from a foreign Origin or Host and answers CORS only for
 *   allowed origins (no echo); a socket's subscriptions are capped and acks carry counts;
 * - the worker's HTTP API behind guardedListener: foreign Origin 403, text/plain 415, TRACE 405.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realtimeGuardOptions } from '@/lib/security/socket-guard';
import { guardedListener } from '@/lib/security/node-listener';
import type { SubscriptionAck } from '@/lib/realtime/events';
import { postWebhook } from '@/worker/alerts/webhook';
import { LocalFanOut } from '@/worker/realtime/fan-out';

/** An HTTP listener counting the requests it receives. */
async function countingListener(handler: (res: http.ServerResponse) => void = (res) => res.writeHead(200).end()) {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    handler(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { seen, port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('webhook SSRF policy', () => {
  it('refuses loopback in every spelling and never calls the listener', async () => {
    const listener = await countingListener();
    try {
      for (const host of ['127.0.0.1', 'localhost', '2130706433', '0x7f000001', '[::1]', '127.1', 'localtest.me']) {
        const result = await postWebhook(`http://${host}:${listener.port}/hook`, { ping: 1 }, { attempts: 2, backoffMs: 1 });
        expect(result.ok, host).toBe(false);
        expect(result.status, host).toMatch(/^refused: |ENOTFOUND|EAI_AGAIN/);
      }
      expect(listener.seen).toEqual([]);
    } finally {
      await listener.close();
    }
  });

  it('does not follow redirects (the target listener counts 0)', async () => {
    const target = await countingListener();
    const redirecting = await countingListener((res) => res.writeHead(307, { location: `http://127.0.0.1:${target.port}/stolen` }).end());
    try {
      // A looser policy so the test's own loopback receiver may be reached; the redirect must still not be followed.
      const loose = { allowsAddress: () => true, allowsName: () => true };
      const result = await postWebhook(`http://127.0.0.1:${redirecting.port}/hook`, { ping: 1 }, { destinations: loose, backoffMs: 1 });
      expect(result).toMatchObject({ ok: false, attempts: 1 });
      expect(result.status).toMatch(/HTTP 307 \(redirects are not followed\)/);
      expect(redirecting.seen).toHaveLength(1);
      expect(target.seen).toEqual([]);
    } finally {
      await Promise.all([target.close(), redirecting.close()]);
    }
  });
});

describe('Socket.IO and the worker API behind the guard', () => {
  let server: http.Server;
  let port: number;
  let io: Server;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    server = http.createServer(
      guardedListener((req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      }),
    );
    io = new Server(server, { serveClient: false, ...realtimeGuardOptions() });
    new LocalFanOut(io, { latestTick: () => undefined, openCandle: () => undefined });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    io.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const open = (origin?: string) => {
    const socket = connect(`http://127.0.0.1:${port}`, { transports: ['polling'], reconnection: false, extraHeaders: origin ? { origin } : {} });
    sockets.push(socket);
    return new Promise<{ socket: Socket; error?: string }>((resolve) => {
      socket.once('connect', () => resolve({ socket }));
      socket.once('connect_error', (error) => resolve({ socket, error: error.message }));
    });
  };

  it('refuses a handshake from a foreign Origin and answers no CORS for it', async () => {
    expect((await open('http://evil.example')).error).toBeDefined();
    const own = await open(`http://127.0.0.1:${port}`);
    expect(own.error).toBeUndefined();
    const response = await fetch(`http://127.0.0.1:${port}/socket.io/?EIO=4&transport=polling`, { headers: { origin: 'http://evil.example' } });
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a rebinding Host on the API and the handshake', async () => {
    const api = await new Promise<number>((resolve) => {
      http.get({ host: '127.0.0.1', port, path: '/health', headers: { host: `evil.example:${port}` } }, (res) => resolve(res.statusCode ?? 0));
    });
    expect(api).toBe(403);
    const handshake = await new Promise<number>((resolve) => {
      http.get({ host: '127.0.0.1', port, path: '/socket.io/?EIO=4&transport=polling', headers: { host: `evil.example:${port}` } }, (res) => resolve(res.statusCode ?? 0));
    });
    expect(handshake).toBe(403);
  });

  it('caps a socket’s subscriptions; acks carry counts, not the whole list', async () => {
    const { socket } = await open();
    const subscribe = (symbols: string[], timeframes?: string[]) =>
      new Promise<SubscriptionAck>((resolve) => socket.emit('subscribe', { symbols, ...(timeframes ? { timeframes } : {}) }, resolve));
    const first = await subscribe(Array.from({ length: 1500 }, (_, i) => `NSE:S${i}`));
    expect(first.ok).toBe(true);
    expect(first.subscribed).toBe(1500);
    const small = await subscribe(['NSE:S1', 'NSE:X']);
    expect(small).toEqual({ ok: true, symbols: ['NSE:S1', 'NSE:X'], subscribed: 1501 });
    const over = await subscribe(Array.from({ length: 300 }, (_, i) => `NSE:Y${i}`), ['1m']);
    expect(over.ok).toBe(false);
    expect(over.error).toMatch(/^symbols: at most 2000 subscriptions/);
    expect(over.subscribed).toBe(1501); // nothing joined
  });

  it('the worker API: foreign Origin 403, text/plain 415, TRACE 405, same-origin JSON passes', async () => {
    const base = `http://127.0.0.1:${port}/alerts/reload`;
    const post = (headers: Record<string, string>) => fetch(base, { method: 'POST', headers, body: '{}' });
    expect((await post({ 'content-type': 'application/json', origin: 'http://evil.example' })).status).toBe(403);
    expect((await post({ 'content-type': 'text/plain' })).status).toBe(415);
    expect((await post({ 'content-type': 'application/json' })).status).toBe(200);
    const trace = await new Promise<number>((resolve) => {
      const request = http.request({ host: '127.0.0.1', port, path: '/health', method: 'TRACE' }, (res) => resolve(res.statusCode ?? 0));
      request.end();
    });
    expect(trace).toBe(405);
  });
});
