/**
 * Worker-thread host for ONE KiteTicker connection (npm kiteconnect, CommonJS).
 *
 * Why a thread: kiteconnect keeps the ticker's socket, callbacks and reconnect state at module
 * scope, so two KiteTicker instances in one module registry share one socket. Each thread has
 * its own module registry; the collector starts a fresh thread per connection attempt and
 * terminates it on disconnect, so stale sockets and timers of the client die with it. The
 * client's own auto-reconnect is off (it calls process.exit when it gives up); the collector
 * reconnects with its own capped backoff.
 *
 * Plain JavaScript on purpose: a worker thread gets no TypeScript loader. Messages:
 *   in:  { type: 'subscribe', mode, tokens } | { type: 'unsubscribe', tokens } | { type: 'close' }
 *   out: { type: 'connected' } | { type: 'ticks', ticks } (KiteTicker tick objects, prices in
 *        rupees as the client decodes them, Date timestamps) | { type: 'heartbeat' }
 *        | { type: 'malformed', bytes, reason } | { type: 'error', message }
 *        | { type: 'disconnected', reason, tokenRejected }
 * workerData: { apiKey, accessToken, root }.
 */
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { KiteTicker } = require('kiteconnect');

/** Packet lengths KiteTicker decodes (ltp 8; index quote/full 28/32; quote 44; full 184). */
const KNOWN_LENGTHS = new Set([8, 28, 32, 44, 184]);

/** Why a binary message is not a well-formed tick message, or null when it is. */
function frameProblem(buf) {
  const bytes = new Uint8Array(buf);
  if (bytes.length < 4) return `message of ${bytes.length} bytes`;
  const count = (bytes[0] << 8) | bytes[1];
  if (count === 0) return 'zero packets';
  let at = 2;
  for (let i = 0; i < count; i++) {
    if (at + 2 > bytes.length) return `truncated before packet ${i + 1} of ${count}`;
    const size = (bytes[at] << 8) | bytes[at + 1];
    if (!KNOWN_LENGTHS.has(size)) return `packet ${i + 1} has unknown length ${size}`;
    at += 2 + size;
    if (at > bytes.length) return `packet ${i + 1} of ${count} truncated`;
  }
  if (at !== bytes.length) return `${bytes.length - at} trailing bytes`;
  return null;
}

const ticker = new KiteTicker({
  api_key: workerData.apiKey,
  access_token: workerData.accessToken,
  root: workerData.root,
  reconnect: false,
});

let lastError = '';
let socketClosed = false;
let frameOk = true;
let ended = false;

function end(reason) {
  if (ended) return;
  ended = true;
  const tokenRejected = /\b403\b/.test(lastError);
  parentPort.postMessage({ type: 'disconnected', reason: lastError || reason, tokenRejected });
}

ticker.on('connect', () => parentPort.postMessage({ type: 'connected' }));
ticker.on('message', (data) => {
  // Fires before the client decodes the same frame and emits 'ticks' (synchronously).
  if (data.byteLength === 1) {
    frameOk = true;
    parentPort.postMessage({ type: 'heartbeat' });
    return;
  }
  const problem = data.byteLength > 2 ? frameProblem(data) : null;
  frameOk = problem === null;
  if (problem) parentPort.postMessage({ type: 'malformed', bytes: data.byteLength, reason: problem });
});
ticker.on('ticks', (ticks) => {
  if (!frameOk) return; // counted above; whatever the decoder made of it is dropped
  if (ticks.length) parentPort.postMessage({ type: 'ticks', ticks });
});
ticker.on('error', (event) => {
  lastError = (event && event.message) || 'socket error';
  parentPort.postMessage({ type: 'error', message: lastError });
});
ticker.on('close', () => {
  socketClosed = true;
});
// Without a preceding 'close', the client's own read timer fired: no frame (not even a
// heartbeat) for 5 s.
ticker.on('disconnect', () => end(socketClosed ? 'connection closed' : 'no data for 5 s (client read timeout)'));

parentPort.on('message', (message) => {
  if (message.type === 'subscribe') {
    ticker.subscribe(message.tokens);
    ticker.setMode(message.mode, message.tokens);
  } else if (message.type === 'unsubscribe') {
    ticker.unsubscribe(message.tokens);
  } else if (message.type === 'close') {
    ended = true;
    ticker.disconnect();
  }
});

ticker.connect();
