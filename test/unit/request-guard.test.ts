/**
 * The security building blocks (lib/security): Host / Origin / Content-Type allow-lists, the SSRF
 * destination rules, NUL-byte refusal, the body size bound, and the shared concurrency limit with
 * coalescing.
 */
import { describe, expect, it } from 'vitest';
import { securityEnv } from '@/lib/config/security-env';
import { readBodyText } from '@/lib/security/body-limit';
import { ConcurrencyLimit } from '@/lib/security/concurrency';
import { checkDestinationUrl, isPublicAddress } from '@/lib/security/destination';
import { heavyState, HEAVY_MAX, HEAVY_QUEUE, runHandler, runHeavy } from '@/lib/security/heavy-routes';
import { findNulByte } from '@/lib/security/nul-bytes';
import { checkRequest, guardPolicy, hostAllowed, originAllowed } from '@/lib/security/request-guard';

const env = securityEnv({ PORT: '3000', WORKER_PORT: '3001', ALLOWED_HOSTS: 'desk.example.com,box.lan:8443', ALLOWED_ORIGINS: 'https://desk.example.com' });
const policy = guardPolicy(env);

describe('request guard', () => {
  it('serves loopback names on the app’s ports and ALLOWED_HOSTS only (DNS rebinding)', () => {
    for (const host of ['localhost:3000', '127.0.0.1:3000', '[::1]:3001', 'LOCALHOST:3000', 'localhost', 'desk.example.com', 'desk.example.com:443', 'box.lan:8443', null]) {
      expect(hostAllowed(host, policy), String(host)).toBe(true);
    }
    for (const host of ['evil.example:3000', 'localhost:8080', '127.0.0.1:9999', 'box.lan:8080', 'localhost.evil.example:3000', '', 'a b', '127.0.0.1:3000@evil']) {
      expect(hostAllowed(host, policy), host).toBe(false);
    }
  });

  it('allows the app’s own origins, the request’s own origin and ALLOWED_ORIGINS', () => {
    expect(originAllowed('http://localhost:3000', 'localhost:3000', policy)).toBe(true);
    expect(originAllowed('http://127.0.0.1:3001', '127.0.0.1:3001', policy)).toBe(true);
    expect(originAllowed('https://desk.example.com', 'desk.example.com', policy)).toBe(true);
    expect(originAllowed(null, 'localhost:3000', policy)).toBe(true);
    expect(originAllowed('http://evil.example', 'localhost:3000', policy)).toBe(false);
    expect(originAllowed('http://localhost:8080', 'localhost:3000', policy)).toBe(false);
    expect(originAllowed('null', 'localhost:3000', policy)).toBe(false);
    expect(originAllowed('http://evil.example:3000', 'evil.example:3000', policy)).toBe(false); // Host not allowed
  });

  it('refuses mutating requests: foreign Origin 403, any type but JSON 415; reads pass', () => {
    const base = { host: 'localhost:3000', origin: 'http://localhost:3000', contentType: 'application/json; charset=utf-8' };
    expect(checkRequest({ ...base, method: 'POST' }, policy)).toBeNull();
    expect(checkRequest({ ...base, method: 'GET', origin: 'http://evil.example', contentType: null }, policy)).toBeNull();
    expect(checkRequest({ ...base, method: 'POST', origin: 'http://evil.example' }, policy)?.status).toBe(403);
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', null, 'application/jsonx']) {
      expect(checkRequest({ ...base, method: 'DELETE', contentType }, policy)?.status, String(contentType)).toBe(415);
    }
    expect(checkRequest({ ...base, method: 'GET', host: 'evil.example:3000' }, policy)?.status).toBe(403);
  });

  it('names the bad variable of a malformed allow-list', () => {
    expect(() => securityEnv({ ALLOWED_ORIGINS: 'https://x.example/path' })).toThrow(/ALLOWED_ORIGINS/);
    expect(() => securityEnv({ ALLOWED_HOSTS: 'a b' })).toThrow(/ALLOWED_HOSTS/);
  });
});

describe('SSRF destinations', () => {
  it('accepts public unicast addresses only', () => {
    for (const address of ['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111']) expect(isPublicAddress(address), address).toBe(true);
    for (const address of ['127.0.0.1', '10.0.0.1', '172.16.5.4', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fc00::1', 'fe80::1', '::ffff:127.0.0.1', '64:ff9b::7f00:1', '2002:7f00:1::', '224.0.0.1', '255.255.255.255']) {
      expect(isPublicAddress(address), address).toBe(false);
    }
  });

  it('refuses internal, credentialed and non-http URLs at creation', () => {
    expect(checkDestinationUrl('https://hooks.example.com/x')).toBeNull();
    for (const url of ['http://127.0.0.1:8080/', 'http://2130706433/', 'http://0x7f.1/', 'http://[::1]:3000/', 'http://localhost/', 'http://metadata.google.internal/', 'http://169.254.169.254/latest', 'http://10.0.0.1/', 'http://intranet/']) {
      expect(checkDestinationUrl(url), url).toMatch(/internal/);
    }
    expect(checkDestinationUrl('https://user:pass@hooks.example.com/')).toMatch(/credentials/);
    expect(checkDestinationUrl('file:///etc/passwd')).toMatch(/http/);
    expect(checkDestinationUrl('gopher://hooks.example.com/')).toMatch(/http/);
  });

  it('lets WEBHOOK_ALLOW name an intranet host, never loopback', () => {
    const saved = process.env.WEBHOOK_ALLOW;
    process.env.WEBHOOK_ALLOW = 'hooks.corp.lan,10.1.2.3';
    try {
      expect(checkDestinationUrl('http://hooks.corp.lan/x')).toBeNull();
      expect(checkDestinationUrl('http://10.1.2.3/x')).toBeNull();
      expect(isPublicAddress('10.1.2.3', true)).toBe(true);
      expect(isPublicAddress('127.0.0.1', true)).toBe(false);
    } finally {
      if (saved === undefined) delete process.env.WEBHOOK_ALLOW;
      else process.env.WEBHOOK_ALLOW = saved;
    }
  });
});

describe('hostile input helpers', () => {
  it('finds a NUL byte anywhere in a JSON value, keys included', () => {
    expect(findNulByte({ a: ['ok', { b: 'x\u0000' }] })).toEqual(['a', 1, 'b']);
    expect(findNulByte({ ['k\u0000']: 1 })).toEqual(['k\\0']);
    expect(findNulByte({ a: 'clean', n: 1 })).toBeNull();
  });

  it('refuses bodies over the limit without reading them in full', async () => {
    await expect(readBodyText(new Request('http://x/', { method: 'POST', body: 'x', headers: { 'content-length': '5000000' } }), 1000)).rejects.toMatchObject({ status: 413 });
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(600));
      },
    });
    const request = new Request('http://x/', { method: 'POST', body: stream, duplex: 'half' } as RequestInit);
    await expect(readBodyText(request, 1000)).rejects.toMatchObject({ status: 413 });
    expect(pulled).toBeLessThan(5); // an endless body: stopped just past the limit
    expect(await readBodyText(new Request('http://x/', { method: 'POST', body: '{"a":1}' }), 1000)).toBe('{"a":1}');
  });
});

/** A task that runs until released. */
function gate<T>(value: T) {
  let release!: () => void;
  const opened = new Promise<void>((resolve) => (release = resolve));
  return { release, task: async () => (await opened, value) };
}

describe('limits', () => {
  it('runs at most max tasks, queues maxQueue and refuses the rest with 429', async () => {
    const limit = new ConcurrencyLimit({ max: 2, maxQueue: 1, retryAfterSec: 3 });
    const gates = [gate(1), gate(2), gate(3)];
    const runs = gates.map((g) => limit.run(g.task));
    expect([limit.active, limit.queued]).toEqual([2, 1]);
    await expect(limit.run(async () => 4)).rejects.toMatchObject({ status: 429, retryAfterSec: 3 });
    for (const g of gates) g.release();
    expect(await Promise.all(runs)).toEqual([1, 2, 3]);
    expect([limit.active, limit.queued]).toEqual([0, 0]);
  });

  it('database-heavy routes share one limit, coalesce identical GETs, and leave /api/health alone', async () => {
    const state = heavyState();
    let calls = 0;
    const shared = gate({ candles: [] });
    const counted = async () => {
      calls += 1;
      return shared.task();
    };
    const a = runHandler(new Request('http://localhost/api/gaps?symbol=NSE:INFY&from=2026-01-05'), counted);
    const b = runHandler(new Request('http://localhost/api/gaps?from=2026-01-05&symbol=NSE:INFY'), counted);
    expect(calls).toBe(1); // same query, other order: one execution
    const blockers = Array.from({ length: HEAVY_MAX - 1 + HEAVY_QUEUE }, (_, i) => gate(i));
    const running = blockers.map((g, i) => runHandler(new Request(`http://localhost/api/intraday/ticks?n=${i}`), g.task));
    expect([state.limit.active, state.limit.queued]).toEqual([HEAVY_MAX, HEAVY_QUEUE]);
    await expect(runHandler(new Request('http://localhost/api/gaps?x=1'), async () => 0)).rejects.toMatchObject({ status: 429, retryAfterSec: 1 });
    expect(await runHandler(new Request('http://localhost/api/health'), async () => 'fast')).toBe('fast');
    // /api/candles takes a slot only around its database work (runHeavy): a memory-served read
    // runs while the limit is saturated; its database work gets the 429.
    expect(await runHandler(new Request('http://localhost/api/candles?symbol=NSE:INFY'), async () => 'from memory')).toBe('from memory');
    await expect(runHandler(new Request('http://localhost/api/candles?symbol=NSE:TCS'), () => runHeavy(async () => 'db'))).rejects.toMatchObject({ status: 429 });
    shared.release();
    for (const g of blockers) g.release();
    expect(await a).toEqual(await b);
    await Promise.all(running);
    expect(state.limit.active).toBe(0);
  });
});
