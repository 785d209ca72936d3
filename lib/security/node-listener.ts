/**
 * The request guard (request-guard.ts) in front of a plain Node request listener: the
 * stand-alone worker's HTTP API (worker/index.ts). Refusals answer `{ error: { code, message } }`:
 * 403 (Host / Origin), 415 (Content-Type), 405 for methods the API never serves (TRACE, CONNECT,
 * anything non-standard). Socket.IO's own requests (/socket.io/) never reach the listener; its
 * handshakes are guarded by socket-guard.ts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError, errorAnswer } from '@/lib/http/errors';
import { guardNodeRequest } from './request-guard';

const SERVED_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE']);

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/** `listener` behind the guard; refused requests are answered here and never reach it. */
export function guardedListener(listener: Listener): Listener {
  return (req, res) => {
    const method = (req.method ?? 'GET').toUpperCase();
    const refusal = SERVED_METHODS.has(method) ? guardNodeRequest(req) : new AppError('method_not_allowed', `${method.slice(0, 20)} is not allowed`);
    if (!refusal) return listener(req, res);
    const { status, body } = errorAnswer(refusal);
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', connection: 'close' });
    res.end(JSON.stringify(body));
    req.resume(); // drain what the client still sends, unread
  };
}
