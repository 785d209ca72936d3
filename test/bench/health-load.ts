/**
 * Load clients of the health bench (test/bench/health.ts), in a process of their own: CONCURRENCY
 * loops of `GET /api/candles?symbol=NSE:HEALTH<i>&timeframe=1m&from=…&to=…` (31 days of 1m
 * candles, the route's newest 5,000, ~0.4 MB) against the server child until the deadline. Kept out of the process that times `/api/health`: 200 responses of
 * ~0.8 MB arriving at once kept that process's own event loop busy for seconds, and the probe's
 * answer waited behind them there (a 8–13 s "health" figure on the server backend, while the
 * server had answered the probe in under 100 ms). A monitoring probe is its own process too.
 *
 * The clients first open their connections (one request each, not counted) and say so with
 * `{ warm: true, warmMs }`; the measured span starts then. Opening 200 connections at once takes
 * seconds on a busy server: libuv accepts one connection per event-loop turn (libuv 1.45+,
 * libuv/libuv#3696), so a probe's new connection opened during that storm waits behind them.
 *
 * IPC out: `{ ready: true }` once booted; in: `{ base, concurrency, seconds, paths }` (request i
 * asks `paths[i % paths.length]`); out: `{ warm: true, warmMs }`, then `{ loads, statuses }` at
 * the end (count per HTTP status: 200 answered, 429 shed by the heavy-route limit).
 */
import http from 'node:http';
import { httpGet } from './http-get';

process.once('message', async (m: { base: string; concurrency: number; seconds: number; paths: string[] }) => {
  // One keep-alive connection per client, no more (./http-get.ts).
  const agent = new http.Agent({ keepAlive: true, maxSockets: m.concurrency });
  const warmStarted = performance.now();
  await Promise.all(Array.from({ length: m.concurrency }, (_, i) => httpGet(agent, `${m.base}${m.paths[i % m.paths.length]}`)));
  process.send!({ warm: true, warmMs: Math.round(performance.now() - warmStarted) });
  const deadline = performance.now() + m.seconds * 1000;
  let loads = 0;
  const statuses: Record<number, number> = {};
  const loop = async (i: number) => {
    for (let n = i; performance.now() < deadline; n += m.concurrency) {
      const { status } = await httpGet(agent, `${m.base}${m.paths[n % m.paths.length]}`);
      statuses[status] = (statuses[status] ?? 0) + 1;
      loads++;
    }
  };
  await Promise.all(Array.from({ length: m.concurrency }, (_, i) => loop(i)));
  process.send!({ loads, statuses }, () => process.exit(0));
});
process.send!({ ready: true });
