/**
 * POST /api/collectors/:name/token, body `{ accessToken }` → `{ collector }`: replace the access
 * token (Kite's expire daily around 06:00 IST). A collector in token_expired (or failed)
 * reconnects at once and resubscribes; a live one keeps its socket and uses the new token on
 * its next reconnect. No restart needed.
 */
import { accessTokenBody } from '@/lib/api/collector-schemas';
import { collectorRoute } from '../../_lib/route';

export const dynamic = 'force-dynamic';

export const POST = collectorRoute(accessTokenBody, async (control, { name, body }) => ({
  collector: await control.setAccessToken(name, body.accessToken),
}));
