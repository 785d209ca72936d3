/**
 * Worker-thread host for ONE Fyers data socket (npm fyers-api-v3 `fyersDataSocket`, CommonJS).
 * The client is a process-wide singleton (`getInstance`) with module-scope state, hence one
 * thread per connection, started fresh for every attempt (like the Kite ticker thread). Its own
 * auto-reconnect stays off (it is off unless `autoreconnect()` is called); the collector
 * reconnects with a new thread.
 *
 * What the client does (fyers-api-v3 1.9.0; protocol in test/support/fyers-hsm-codec.ts):
 * decodes the access token as a JWT for its `hsm_key` (throws on a token without one or an
 * expired one), resolves symbols to Fytokens with POST {data}/symbol-token, connects to
 * Config.HSM_SOCKET and speaks the binary HSM protocol; it emits JSON `sf`/`if`/`dp` messages.
 *
 * What this host adds:
 * - `socketUrl` / `dataRoot` overrides (tests: a local server): the socket URL is read from the
 *   client's shared Config when its module loads; the symbol-token URL is fixed in the client,
 *   so requests to https://api-t1.fyers.in/data are rewritten on the client's axios instance.
 * - TZ=Asia/Kolkata before the client loads: it formats exchange times as local date strings
 *   and parses them back as IST (it sets TZ itself, but only after formatting the first one).
 * - Malformed frames (text, truncated or undecodable binary) are counted and NOT passed on: the
 *   client would throw out of its socket handler.
 * - Open interest: the client's HSM layer decodes `oi` but its JSON mapper drops it; the host
 *   reads it from the HSM layer's output and puts it back on the `sf` message as `oi`.
 *
 * Messages: in { type: 'subscribe', symbols, depth } | { type: 'unsubscribe', symbols } | { type: 'close' }
 *           out { type: 'connected' } | { type: 'messages', messages } | { type: 'malformed', detail }
 *               | { type: 'error', message, tokenRejected } | { type: 'disconnected', reason, tokenRejected }
 * workerData: { appId, accessToken, socketUrl?, dataRoot? }.
 */
'use strict';
process.env.TZ = 'Asia/Kolkata';
const os = require('node:os');
const { parentPort, workerData } = require('node:worker_threads');

const FYERS_DATA_ROOT = 'https://api-t1.fyers.in/data';
if (workerData.socketUrl) require('fyers-api-v3/config/config.js').Config.HSM_SOCKET = workerData.socketUrl;
if (workerData.dataRoot) {
  const { axiosInstance } = require('fyers-api-v3/apiService/apiService.js');
  axiosInstance.interceptors.request.use((config) => {
    if (typeof config.url === 'string' && config.url.startsWith(FYERS_DATA_ROOT)) config.url = workerData.dataRoot + config.url.slice(FYERS_DATA_ROOT.length);
    return config;
  });
}

/** HSM response types the client understands (auth, ack, subscribe, unsubscribe, data, channel, snapshot, mode). */
const KNOWN_TYPES = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13]);
const HSWebSocket = require('fyers-api-v3/HSM_Package/hslib.js');
const openInterest = new Map(); // "sf|<exchange token>" → last OI
const pendingOi = []; // OI of each data item, in the order the client emits them

const connect = HSWebSocket.prototype.connect;
HSWebSocket.prototype.connect = function patchedConnect(...args) {
  connect.apply(this, args);
  const ws = this.ws;
  const onFrame = ws && ws.onmessage;
  if (!onFrame) return;
  ws.onmessage = (event) => {
    const data = event.data;
    if (!(data instanceof ArrayBuffer)) return malformed(`text frame: ${String(data).slice(0, 60)}`);
    const bytes = new Uint8Array(data);
    if (bytes.length < 3 || !KNOWN_TYPES.has(bytes[2])) return malformed(`binary frame of ${bytes.length} bytes, type ${bytes[2]}`);
    try {
      onFrame(event);
    } catch (error) {
      pendingOi.length = 0;
      malformed(`undecodable frame of ${bytes.length} bytes: ${error && error.message ? error.message : error}`);
    }
  };
  const onParsed = this.onMessage;
  if (onParsed) {
    this.onMessage = (text) => {
      peekOpenInterest(text);
      onParsed(text);
    };
  }
};

function malformed(detail) {
  parentPort.postMessage({ type: 'malformed', detail });
}

function peekOpenInterest(text) {
  let items;
  try {
    items = JSON.parse(text);
  } catch {
    return;
  }
  if (!Array.isArray(items)) return;
  for (const item of items) {
    if (!item || item.stat !== undefined || item.tk === '' || item.tk === undefined) continue;
    const key = `${item.name}|${item.tk}`;
    if (item.oi !== undefined) openInterest.set(key, Number(item.oi));
    pendingOi.push(openInterest.get(key));
  }
}

const { fyersDataSocket } = require('fyers-api-v3');

let lastError = '';
let tokenRejected = false;
let ended = false;

/**
 * Token refusals: the client's own JWT checks (no hsm_key, expired), Fyers' negative token codes
 * (-15, -16, -17, -300 with "token"), and a refused HSM auth (type "cn", code 11001).
 */
function isTokenError(error) {
  const code = error && typeof error === 'object' ? Number(error.code) : NaN;
  const text = typeof error === 'string' ? error : JSON.stringify(error || '');
  if (error && typeof error === 'object' && error.type === 'cn') return true;
  return [-15, -16, -17, 11001].includes(code) || /token|jwt|auth/i.test(text);
}

let socket;
try {
  socket = fyersDataSocket.getInstance(`${workerData.appId}:${workerData.accessToken}`, os.tmpdir(), false);
} catch (error) {
  const message = String(error && error.message ? error.message : error);
  parentPort.postMessage({ type: 'disconnected', reason: message, tokenRejected: isTokenError(message) });
  ended = true;
}

if (socket) {
  // 'error' first: the client captures the error callback when 'message' is registered and
  // reports a refused auth (and other negative answers) through that captured callback.
  socket.on('error', (error) => {
    lastError = typeof error === 'string' ? error : JSON.stringify(error);
    if (isTokenError(error)) tokenRejected = true;
    parentPort.postMessage({ type: 'error', message: lastError, tokenRejected });
  });
  socket.on('close', () => {
    if (ended) return;
    ended = true;
    parentPort.postMessage({ type: 'disconnected', reason: lastError || 'socket closed', tokenRejected });
  });

  socket.on('connect', () => parentPort.postMessage({ type: 'connected' }));
  socket.on('message', (message) => {
    const messages = Array.isArray(message) ? message : [message];
    for (const m of messages) {
      if (!m || typeof m !== 'object' || m.s !== undefined) continue; // confirmations carry `s`
      const oi = pendingOi.shift();
      if (m.type === 'sf' && oi !== undefined && Number.isFinite(oi)) m.oi = oi;
    }
    parentPort.postMessage({ type: 'messages', messages });
  });
  parentPort.on('message', (message) => {
    try {
      if (message.type === 'subscribe') {
        socket.subscribe(message.symbols);
        if (message.depth) socket.subscribe(message.symbols, true);
      } else if (message.type === 'unsubscribe') {
        socket.unsubscribe(message.symbols);
        socket.unsubscribe(message.symbols, true);
      } else if (message.type === 'close') {
        ended = true;
        socket.close();
      }
    } catch (error) {
      parentPort.postMessage({ type: 'error', message: String(error && error.message ? error.message : error), tokenRejected: false });
    }
  });

  socket.connect();
}
