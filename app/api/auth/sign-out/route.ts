/** POST /api/auth/sign-out — ends the session and clears its cookie. 200 { ok: true } (also without a session). */
import { signOut } from '@/lib/auth/contracts';
import { authServer, SESSION_COOKIE } from '@/lib/auth/server';
import { getDatabase } from '@/lib/db/runtime';
import { route } from '@/lib/http';

export const dynamic = 'force-dynamic';

export const POST = route(signOut, async ({ request }) => {
  const response = Response.json({ ok: true }, { headers: { 'cache-control': 'no-store' } });
  if (!(request.headers.get('cookie') ?? '').includes(SESSION_COOKIE)) return response;
  const auth = await authServer(await getDatabase());
  const answer = await auth.api.signOut({ headers: request.headers, asResponse: true });
  for (const cookie of answer.headers.getSetCookie()) response.headers.append('set-cookie', cookie);
  return response;
});
