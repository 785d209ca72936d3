/**
 * The page gate (issue 10; docs/security.md): when sign-in is required (an exposed HOST, or an
 * account exists), a browser without a valid session (or token) asking for a page is redirected
 * to /login?next=<page>. API routes are not matched here: the route wrapper answers them 401/403
 * (lib/http/route.ts).
 *
 * Next.js runs this proxy in the server's own Node process, so it asks the gate the process
 * entry installed in the process registry (lib/auth/page-gate.ts, installed by
 * lib/auth/install.ts). No gate installed (the app started without an entry that installs one):
 * every page but /login redirects, failing closed.
 */
import { NextResponse, type NextRequest } from 'next/server';
import { getPageGate, loginLocation } from '@/lib/auth/page-gate';

export async function proxy(request: NextRequest): Promise<NextResponse> {
  const { pathname, search } = request.nextUrl;
  if (pathname === '/login') return NextResponse.next();
  const gate = getPageGate();
  const verdict = gate ? await gate(request.headers, pathname).catch(() => 'login' as const) : 'login';
  if (verdict === 'allow') return NextResponse.next();
  const target = new URL(loginLocation(pathname, search), request.nextUrl);
  return NextResponse.redirect(target, 307);
}

export const config = {
  // Pages only: not the JSON API, Next's assets or the favicons (public/favicon.ico, favicon.svg).
  matcher: ['/((?!api/|_next/static/|_next/image|favicon\\.ico|favicon\\.svg|robots\\.txt).*)'],
};
