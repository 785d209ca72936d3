/**
 * Worker-thread host for ONE Fyers data socket (npm fyers-api-v3 `fyersDataSocket`, CommonJS).
 * The client is a process-wide singleton (`getInstance`) with module-scope state, hence one
 * thread per connection, started fresh for every attempt (like the Kite ticker thread).
 *
 * NOT verified against a server here: the client resolves symbols over HTTPS
 * (api-t1.fyers.in/data/symbol-token), decodes the access token as a JWT for its `hsm_key`
 * and then speaks Fyers' binary HSM protocol, none of which has a local stand-in.
 *
 * Messages: in { type: 'subscribe', symbols, depth } | { type: 'unsubscribe', symbols } | { type: 'close' }
 *           out { type: 'connected' } | { type: 'messages', messages } (the client's documented JSON:
 *           sf / if / dp) | { type: 'error', message, tokenRejected } | { type: 'disconnected', reason, tokenRejected }
 * workerData: { appId, accessToken }.
 */
'use strict';
const os = require('node:os');
const { parentPort, workerData } = require('node:worker_threads');
const { fyersDataSocket } = require('fyers-api-v3');

const socket = fyersDataSocket.getInstance(`${workerData.appId}:${workerData.accessToken}`, os.tmpdir(), false);
let lastError = '';
let tokenRejected = false;
let ended = false;

/** Fyers reports bad tokens with negative codes (-15, -16, -17, -300) and "token" in the message. */
function isTokenError(error) {
  const code = error && typeof error === 'object' ? Number(error.code) : NaN;
  const text = typeof error === 'string' ? error : JSON.stringify(error || '');
  return [-15, -16, -17, -300].includes(code) || /token|jwt|auth/i.test(text);
}

socket.on('connect', () => parentPort.postMessage({ type: 'connected' }));
socket.on('message', (message) => {
  const messages = Array.isArray(message) ? message : [message];
  parentPort.postMessage({ type: 'messages', messages });
});
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
