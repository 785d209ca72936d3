/**
 * /login (issue 10; docs/security.md): email + password sign-in. The proxy (proxy.ts) sends
 * signed-out browsers here with `next` = the page they asked for. A caller who needs no sign-in
 * (signed in already, or the loopback local desk) goes straight on to `next`.
 */
import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { authStatus } from '@/lib/auth/install';
import { safeNextPath } from '@/lib/auth/page-gate';
import { getDatabase } from '@/lib/db/runtime';
import { LoginForm } from './LoginForm';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Sign in' };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const raw = (await searchParams).next;
  const next = safeNextPath(typeof raw === 'string' ? raw : undefined);
  const status = await authStatus(await getDatabase(), await headers());
  if (status.mode !== 'signed-out') redirect(next);
  return (
    <div className="flex min-h-[70vh] items-center justify-center">
      <LoginForm next={next} exposed={status.exposed} />
    </div>
  );
}
