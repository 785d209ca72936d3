/**
 * One HTTP GET over a node:http Agent for the bench clients (test/bench/candles.ts,
 * health.ts, health-load.ts). A keep-alive Agent with `maxSockets` bounds the connections a
 * client holds: undici's fetch opens a new connection whenever the next request starts before
 * the last response has handed its connection back, so a tight request loop keeps opening
 * connections, and each waits in the server's accept queue (libuv accepts one per event-loop
 * turn, libuv/libuv#3696).
 */
import http from 'node:http';

export interface GetResult {
  status: number;
  body: Buffer;
  /** From sending the request to the last body byte, ms. */
  ms: number;
}

/** GET `url` (http://host:port/path) over `agent`; rejects on a connection error. */
export function httpGet(agent: http.Agent, url: string): Promise<GetResult> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), ms: performance.now() - t0 }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}
