/**
 * POST /api/auth/password — body { currentPassword, newPassword } (newPassword 12–128 characters).
 * Changes the signed-in account's own password through better-auth (lib/auth/server.ts
 * `changePassword`, scrypt hash) and signs out the account's other sessions; this session stays.
 *
 * 200 { ok: true }.
 * Errors: 400 invalid_request ("body.currentPassword: incorrect", field rules); 401 without a
 * session; 403 forbidden for an API token (tokens act for scripts, not for an account's
 * password); 409 conflict on the local desk (no account exists yet: create one in Settings).
 */
import { changePasswordEndpoint } from '@/lib/auth/contracts';
import { authServer } from '@/lib/auth/server';
import { getDatabase } from '@/lib/db/runtime';
import { AppError, route } from '@/lib/http';

export const dynamic = 'force-dynamic';

export const POST = route(changePasswordEndpoint, async ({ body, request, principal }) => {
  if (principal?.kind === 'local') throw new AppError('conflict', 'The local desk has no account: create one in Settings first');
  if (principal?.kind === 'token') throw new AppError('forbidden', 'An API token cannot change a password: sign in as the account');
  const auth = await authServer(await getDatabase());
  const answer = await auth.api.changePassword({
    body: { currentPassword: body.currentPassword, newPassword: body.newPassword, revokeOtherSessions: true },
    headers: request.headers,
    asResponse: true,
  });
  if (answer.status === 400) throw new AppError('invalid_request', 'body.currentPassword: incorrect');
  if (answer.status === 401) throw new AppError('unauthorized', 'Sign in to change your password');
  if (!answer.ok) throw new Error(`changePassword answered HTTP ${answer.status}`);
  const response = Response.json({ ok: true }, { headers: { 'cache-control': 'no-store' } });
  for (const cookie of answer.headers.getSetCookie()) response.headers.append('set-cookie', cookie);
  return response;
});
