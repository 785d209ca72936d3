/**
 * Socket.IO server options that apply the request guard (request-guard.ts) to every handshake:
 * `allowRequest` refuses a Host or Origin outside the allow-lists (the client sees a
 * connect_error; the server answers 403), and `cors.origin` answers CORS only for allowed
 * origins instead of echoing any (the stand-alone worker serves browsers from the web app's
 * origin, so it needs CORS; the single-process host is same-origin).
 *
 *   new Server(httpServer, { serveClient: false, ...realtimeGuardOptions() })
 */
import type { IncomingMessage } from 'node:http';
import type { ServerOptions } from 'socket.io';
import { securityEnv, type SecurityEnv } from '@/lib/config/security-env';
import { guardHandshake, guardPolicy, originAllowed } from './request-guard';

/** `allowRequest` and `cors` for a Socket.IO server; `env` defaults to the environment. */
export function realtimeGuardOptions(env: () => SecurityEnv = () => securityEnv()): Pick<ServerOptions, 'allowRequest' | 'cors'> {
  return {
    allowRequest: (req: IncomingMessage, callback: (err: string | null | undefined, success: boolean) => void) => {
      const refusal = guardHandshake(req, env());
      callback(refusal ? refusal.message : null, refusal === null);
    },
    cors: {
      // A browser origin on the allow-list (no Host known here: only the explicit allow-list and own loopback origins).
      origin: (origin: string | undefined, callback: (err: Error | null, allow?: boolean) => void) =>
        callback(null, origin !== undefined && originAllowed(origin, null, guardPolicy(env()))),
    },
  };
}
