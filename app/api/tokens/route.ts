/**
 * GET /api/tokens — admin. 200 { tokens: [{ id, name, role, prefix, createdBy, createdAt, lastUsedAt, revokedAt }] }.
 * POST /api/tokens — admin. Body { name (1–64), role?: "viewer"|"admin" (default viewer) }.
 * 201 { token: "mdk_…" (shown once), info }. Send it as `Authorization: Bearer <token>`.
 */
import { createTokenEndpoint, listTokensEndpoint } from '@/lib/auth/contracts';
import { createApiToken, listApiTokens } from '@/lib/auth/tokens';
import { getDatabase } from '@/lib/db/runtime';
import { route } from '@/lib/http';

export const dynamic = 'force-dynamic';

export const GET = route(listTokensEndpoint, async () => ({ tokens: await listApiTokens(await getDatabase()) }));

export const POST = route(createTokenEndpoint, async ({ body, principal }) =>
  createApiToken(await getDatabase(), { name: body.name, role: body.role, createdBy: principal?.kind === 'session' ? principal.userId : null }),
);
