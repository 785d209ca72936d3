/** DELETE /api/tokens/:id — admin. Revokes the token. 200 { token: info }; 404 unknown or already revoked. */
import { revokeTokenEndpoint } from '@/lib/auth/contracts';
import { revokeApiToken } from '@/lib/auth/tokens';
import { getDatabase } from '@/lib/db/runtime';
import { AppError, route } from '@/lib/http';

export const dynamic = 'force-dynamic';

export const DELETE = route(revokeTokenEndpoint, async ({ params }) => {
  const [revoked] = await revokeApiToken(await getDatabase(), params.id);
  if (!revoked) throw new AppError('not_found', `path.id: no active token ${params.id}`);
  return { token: revoked };
});
