/**
 * POST /api/collectors/:name/token, body `{ accessToken }` → `{ collector }`: replace the access
 * token (Kite's expire daily around 06:00 IST). A collector in token_expired (or failed)
 * reconnects at once and resubscribes; a live one keeps its socket and uses the new token on
 * its next reconnect. No restart needed.
 */
import { api } from '@/lib/contracts/api';
import { workerGateway } from '@/lib/gateway';
import { route } from '@/lib/http/route';

export const dynamic = 'force-dynamic';

export const POST = route(api.setCollectorToken, async ({ params, body }) => ({
  collector: await workerGateway().collectors.setAccessToken(params.name, body.accessToken),
}));
