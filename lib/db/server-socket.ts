/**
 * How the postgres.js pool of a TimescaleDB server (re)connects: its socket factory and its
 * reconnect backoff.
 *
 * The socket factory (postgres.js's `socket` option):
 * a TCP socket with Nagle's algorithm off (postgres.js leaves it on, which made every COPY wait
 * ~40–90 ms), returned *at once*, before it has connected.
 *
 * Why at once. postgres.js (3.4.9, src/connection.js `createSocket`/`connect`) treats a factory
 * that rejects as a query error only: the connection is left in its "connecting" queue and is
 * never closed, reconnected or reused. A factory that waited for 'connect' and rejected on
 * ECONNREFUSED therefore removed one pool connection for good per refused attempt: after a
 * server outage as long as `max` connection attempts, every later query waited forever (the
 * worker's candle writes, alert reads and feed-event writes stopped, while ticks still went
 * through the separate COPY connection, and its SIGTERM shutdown then ran past its bound).
 * Returned unconnected, the socket reports a refused or dropped connection through the
 * 'error'/'close' listeners postgres.js attaches to it, and postgres.js closes the connection,
 * backs off and reconnects on the next query, exactly as with its own sockets. Writes made
 * before the connection is up (the startup message) are buffered by Node.
 *
 * The backoff (postgres.js's `backoff` option, seconds before a connection that closed with an
 * error may connect again; its `retries` argument counts failed attempts across the whole pool
 * and is reset by the first successful connection). postgres.js's default grows to 10–20 s
 * after ~7 refused attempts, i.e. within the first seconds of an outage: a query issued after
 * the server is back then still waited up to 20 s, longer than the worker's whole shutdown
 * bound (SHUTDOWN_TIMEOUT_MS, 15 s). Capped at 1 s here: a refused attempt costs the server
 * nothing, so retrying every second per pool connection is cheap.
 */
import net from 'node:net';

/**
 * @param options postgres.js connection options: `host[0]`/`port[0]` are used (one host).
 * @returns a connecting `net.Socket` (noDelay); connection errors are emitted on it, never thrown.
 */
export function serverSocket(options: { host: string[]; port: number[] }): net.Socket {
  const socket = net.connect({ host: options.host[0], port: options.port[0], noDelay: true });
  // postgres.js adds its own 'error' listener as soon as it receives the socket; this one only
  // guarantees that an error can never be unhandled in between.
  socket.on('error', () => {});
  return socket;
}

/**
 * Seconds to wait before reconnecting after `retries` failed attempts (50 ms, 100 ms, 200 ms, …,
 * at most 1 s).
 */
export function reconnectBackoff(retries: number): number {
  return Math.min(0.05 * 2 ** Math.max(0, retries - 1), 1);
}
