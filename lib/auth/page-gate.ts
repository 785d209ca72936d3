/**
 * The page gate (issue 10): may a page be served, or must the browser sign in first? Installed
 * by lib/auth/install.ts in the process registry and asked by proxy.ts for every page request.
 *
 * This module imports nothing but the registry package, so the proxy bundle stays small (no
 * better-auth, no database driver): the gate itself is the installed function.
 */
import { getSlot, setSlot } from '@marketdesk/process-registry';

/** `allow`: serve the page; `login`: redirect to /login. */
export type PageGate = (headers: Headers, pathname: string) => Promise<'allow' | 'login'>;

const GATE_SLOT = 'marketdesk.page-gate';

/** The installed page gate, or undefined (nothing installed in this process). */
export function getPageGate(): PageGate | undefined {
  return getSlot(GATE_SLOT) as PageGate | undefined;
}

/** Install (or with undefined, remove) the page gate. */
export function setPageGate(gate: PageGate | undefined): void {
  setSlot(GATE_SLOT, gate);
}

/** Where to send a signed-out browser: /login, with the page it asked for as `next`. */
export function loginLocation(pathname: string, search: string): string {
  const next = pathname === '/' && !search ? '' : `?next=${encodeURIComponent(pathname + search)}`;
  return `/login${next}`;
}

/** A safe `next` target after sign-in: a same-origin path (not `//host`), else `/`. */
export function safeNextPath(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  return next;
}
