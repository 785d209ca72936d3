/**
 * POST /api/auth/sign-in — body { email, password }. 200 { user: { email, name, role } } with
 * the httpOnly SameSite=Lax session cookie (better-auth, lib/auth/server.ts). 401 unauthorized
 * for a wrong email or password (one message for both).
 */
import { signIn } from '@/lib/auth/contracts';
import { authServer } from '@/lib/auth/server';
import { getDatabase } from '@/lib/db/runtime';
import { AppError, route } from '@/lib/http';

export const dynamic = 'force-dynamic';

export const POST = route(signIn, async ({ body, request }) => {
  const auth = await authServer(await getDatabase());
  const answer = await auth.api.signInEmail({ body, headers: request.headers, asResponse: true });
  if (!answer.ok) throw new AppError('unauthorized', 'Wrong email or password');
  const { user } = (await answer.json()) as { user: { email: string; name: string; role?: string } };
  const response = Response.json({ user: { email: user.email, name: user.name, role: user.role ?? 'viewer' } }, { headers: { 'cache-control': 'no-store' } });
  for (const cookie of answer.headers.getSetCookie()) response.headers.append('set-cookie', cookie);
  return response;
});
