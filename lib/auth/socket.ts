/**
 * Socket.IO authentication (issue 10): an `io.use` middleware accepting the browser's session
 * cookie (sent with the handshake) or `io(url, { auth: { token: 'mdk_…' } })`. Same rules as
 * the routes (lib/auth/policy.ts): a viewer suffices. A refused handshake fails with
 * `connect_error` whose `message` says why and `data.code` is `unauthorized`.
 */
import type { Socket } from 'socket.io';
import type { Database } from '@/lib/db/client';
import { isAppError } from '@/lib/http/errors';
import { authorize } from './principal';
import type { AuthPolicy } from './policy';

type Next = (error?: Error) => void;

/** Handshake headers as a Fetch Headers, with `auth.token` turned into `Authorization: Bearer`. */
export function handshakeHeaders(socket: Pick<Socket, 'handshake'>): Headers {
  const headers = new Headers();
  for (const [key, value] of Object.entries(socket.handshake.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
  if (typeof token === 'string' && token) headers.set('authorization', `Bearer ${token}`);
  return headers;
}

/** The middleware for `io.use(...)`; the caller ends up in `socket.data.principal`. */
export function realtimeAuth(db: Database, policy: AuthPolicy) {
  return (socket: Socket, next: Next): void => {
    authorize(db, policy, handshakeHeaders(socket), 'viewer').then(
      (principal) => {
        socket.data.principal = principal;
        next();
      },
      (error: unknown) => {
        const refusal = new Error(isAppError(error) ? error.message : 'authentication failed') as Error & { data?: unknown };
        refusal.data = { code: isAppError(error) ? error.code : 'unauthorized' };
        next(refusal);
      },
    );
  };
}
