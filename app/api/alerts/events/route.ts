/**
 * GET /api/alerts/events?limit=100[&alert_id=3] — alert history, newest first:
 * { events: [{ id, alertId, alertName, symbol, instrumentToken, firedAt, tickTime, message, value,
 * webhookStatus }] } (times ISO UTC; `value` is what met the condition: LTP, %, ratio, RSI or rank).
 * Errors: 400 invalid_request naming the field.
 */
import { jsonRoute } from '@/lib/api/errors';
import { alertEventsQuerySchema } from '@/lib/api/desk-schemas';
import { getDatabase } from '@/lib/db/runtime';
import { listAlertEvents } from '@/lib/db/queries/alerts';

export const dynamic = 'force-dynamic';

export const GET = jsonRoute(alertEventsQuerySchema, async ({ limit, alert_id }) => ({
  events: await listAlertEvents(await getDatabase(), { limit, alertId: alert_id }),
}));
