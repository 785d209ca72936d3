/**
 * GET /api/alerts/events?limit=100[&alert_id=3] — alert history, newest first:
 * { events: [{ id, alertId, alertName, symbol, instrumentToken, firedAt, tickTime, message, value,
 * webhookStatus }] } (times ISO UTC; `value` is what met the condition: LTP, %, ratio, RSI or rank).
 * Errors: 400 invalid_request naming the field.
 */
import { api } from '@/lib/contracts/api';
import { listAlertEvents } from '@/lib/db/queries/alerts';
import { getDatabase } from '@/lib/db/runtime';
import { route } from '@/lib/http/route';
import { webhookStatusFor } from '@/lib/security/alert-rules';

export const dynamic = 'force-dynamic';

// Delivery details (HTTP status, connection errors) only for admins; others see delivered / failed.
export const GET = route(api.listAlertEvents, async ({ query: { limit, alert_id }, principal }) => ({
  events: (await listAlertEvents(await getDatabase(), { limit, alertId: alert_id })).map((event) => ({
    ...event,
    webhookStatus: webhookStatusFor(event.webhookStatus, principal),
  })),
}));
