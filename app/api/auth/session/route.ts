/**
 * GET /api/auth/session — 200 { mode: "local"|"signed-in"|"signed-out", exposed: boolean,
 * principal: { kind, role, name } | null } (lib/auth/install.ts authStatus). Public.
 */
import { session } from '@/lib/auth/contracts';
import { authStatus } from '@/lib/auth/install';
import { getDatabase } from '@/lib/db/runtime';
import { route } from '@/lib/http';

export const dynamic = 'force-dynamic';

export const GET = route(session, async ({ request }) => {
  const status = await authStatus(await getDatabase(), request.headers);
  const principal = status.principal && { kind: status.principal.kind, role: status.principal.role, name: status.principal.name };
  return { mode: status.mode, exposed: status.exposed, principal };
});
