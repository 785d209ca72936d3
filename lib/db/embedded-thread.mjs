/**
 * The embedded database thread: owns PGlite+TimescaleDB so that its synchronous WebAssembly
 * never runs on the thread that serves HTTP and Socket.IO (issue 12 point 1).
 *
 * Started by lib/db/embedded-thread-client.ts as a node:worker_threads Worker with
 * `workerData` = ThreadStart ({ dataDir? }). Protocol: lib/db/embedded-protocol.ts (DbRequest
 * in, DbResponse out, one ThreadReady first). Plain JavaScript on purpose: the thread must start
 * under tsx, vitest and plain node alike, without a TypeScript loader.
 *
 * Order: requests run one at a time; `priority` requests (health probes) jump the queue of
 * waiting ones; writes and plain SELECTs alternate while both wait (see `next`), FIFO within each. Opening: `LOAD 'timescaledb'` first (platform.md quirk 1),
 * DEBUG notices silenced. Migrations run here with drizzle's PGlite migrator (one transaction,
 * the same code path as in-process).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, types } from '@electric-sql/pglite';
import { timescaledb } from '@electric-sql/pglite/timescaledb';

/** drizzle-orm/pglite's parsers: timestamps, dates, intervals (and their arrays) stay text. */
const identity = (value) => value;
const DRIZZLE_PARSERS = {
  [types.TIMESTAMP]: identity,
  [types.TIMESTAMPTZ]: identity,
  [types.INTERVAL]: identity,
  [types.DATE]: identity,
  1231: identity, // numeric[]
  1115: identity, // timestamp[]
  1185: identity, // timestamptz[]
  1187: identity, // interval[]
  1182: identity, // date[]
};

/** @param {unknown} error @returns {import('./embedded-protocol').WireError} */
function toWire(error) {
  if (error instanceof Error) {
    const props = {};
    for (const [key, value] of Object.entries(error)) {
      if (value === undefined || typeof value === 'function') continue;
      try {
        structuredClone(value);
        props[key] = value;
      } catch {
        props[key] = String(value);
      }
    }
    return { name: error.name, message: error.message, props };
  }
  return { name: 'Error', message: String(error), props: {} };
}

const started = performance.now();
/** @type {PGlite} */
let pglite;
try {
  pglite = await PGlite.create({ dataDir: workerData?.dataDir, extensions: { timescaledb } });
  await pglite.exec(`LOAD 'timescaledb'`);
  await pglite.exec(`SET client_min_messages = warning`);
  parentPort.postMessage({ ready: true, ms: performance.now() - started });
} catch (error) {
  parentPort.postMessage({ ready: false, error: toWire(error) });
  process.exit(1);
}

/** @param {import('./embedded-protocol').DbRequest} request */
async function run(request) {
  switch (request.op) {
    case 'query': {
      const options =
        request.mode === 'raw' ? undefined : { rowMode: request.mode, parsers: DRIZZLE_PARSERS };
      const result = await pglite.query(request.text, request.params, options);
      return { rows: result.rows, affectedRows: result.affectedRows };
    }
    case 'copy': {
      const sql = `COPY ${request.table} (${request.columns.join(', ')}) FROM '/dev/blob' WITH (FORMAT ${request.format})`;
      const result = await pglite.query(sql, [], { blob: new Blob([request.payload]) });
      return { affectedRows: result.affectedRows };
    }
    case 'migrate': {
      const { drizzle } = await import('drizzle-orm/pglite');
      const { migrate } = await import('drizzle-orm/pglite/migrator');
      await migrate(drizzle(pglite), { migrationsFolder: request.folder });
      return {};
    }
    case 'close':
      await pglite.close();
      return {};
    default:
      throw new Error(`unknown database request ${JSON.stringify(request.op)}`);
  }
}

/** @type {import('./embedded-protocol').DbRequest[]} */
const urgent = [];
/** @type {import('./embedded-protocol').DbRequest[]} */
const reads = [];
/** @type {import('./embedded-protocol').DbRequest[]} */
const writes = [];
let running = false;
let closed = false;
/** Whether the last request taken from the two lanes below was a write. */
let lastWasWrite = false;

/** A plain SELECT (no data-modifying clause): the reads lane; every other request is a write. */
const READ = /^\s*select\b/i;
const MODIFIES = /\b(insert|update|delete|for\s+update)\b/i;
/** @param {import('./embedded-protocol').DbRequest} request */
function laneOf(request) {
  if (request.op === 'query' && request.priority) return urgent;
  return request.op === 'query' && READ.test(request.text) && !MODIFIES.test(request.text) ? reads : writes;
}

/**
 * Next request: a priority one, else writes (COPYs, upserts, refreshes, migrations) and plain
 * SELECTs alternately while both wait, so a burst of reads (200 candle requests) cannot hold
 * ingest back for seconds, nor a backlog of writes the reads. FIFO within a lane, so writes keep
 * their order; a read may overtake a write queued before it (callers that need to read their
 * write await it first, as every caller here does). `close` waits for both lanes.
 */
function next() {
  if (urgent.length) return urgent.shift();
  const closing = writes.length > 0 && writes[0].op === 'close';
  const write = writes.length > 0 && (reads.length === 0 || (!lastWasWrite && !closing));
  lastWasWrite = write;
  return write ? writes.shift() : reads.shift();
}

async function pump() {
  if (running) return;
  running = true;
  for (;;) {
    // Let messages that arrived meanwhile into the lanes first: PGlite resolves through
    // microtasks only, so without this turn of the event loop a queue of 200 reads ran to the
    // end before a COPY or a priority probe sent during them was even received.
    await new Promise((resolve) => setImmediate(resolve));
    const request = next();
    if (!request) break;
    const t0 = performance.now();
    try {
      if (closed) throw new Error('the embedded database is closed');
      const result = await run(request);
      if (request.op === 'close') closed = true;
      parentPort.postMessage({ id: request.id, ok: true, ...result, ms: performance.now() - t0 });
    } catch (error) {
      parentPort.postMessage({ id: request.id, ok: false, error: toWire(error) });
    }
  }
  running = false;
  if (closed) parentPort.close();
}

parentPort.on('message', (/** @type {import('./embedded-protocol').DbRequest} */ request) => {
  laneOf(request).push(request);
  void pump();
});
