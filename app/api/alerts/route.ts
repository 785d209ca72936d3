/**
 * GET /api/alerts — every alert, newest first: { alerts: [Alert] }.
 * POST /api/alerts — create one. Body:
 *   { name, condition: { type: "price_cross", level, direction? } | { type: "change_pct", op, value }
 *     | { type: "volume_spike", ratio, timeframe? } | { type: "rsi", op, value, timeframe? }
 *     | { type: "scanner_preset", preset, timeframe?, top? },
 *     target: { kind: "symbol" | "watchlist", value }, repeat?: false, cooldown_sec?: 300,
 *     webhook_url?: null, enabled?: true }
 * 201: { alert: Alert } with Alert = { id, name, condition, target, repeat, cooldown_sec,
 * webhook_url, enabled, last_fired_at, created_at } (ISO UTC times).
 * Errors: 400 invalid_request naming the field (unknown symbol or watchlist in `target.value`).
 * The worker evaluates alerts (docs/desk.md); an in-process engine reloads at once, a separate
 * worker within 5 s.
 */
import { jsonBodyRoute, jsonRoute } from '@/lib/api/errors';
import { alertJson, checkTarget } from '@/lib/api/alert-json';
import { createAlertSchema } from '@/lib/api/desk-schemas';
import { reloadAlerts } from '@/lib/api/scanner-client';
import { getDatabase } from '@/lib/db/runtime';
import { createAlert, listAlerts } from '@/lib/db/queries/alerts';
import { z } from 'zod';

export const dynamic = 'force-dynamic';

export const GET = jsonRoute(z.object({}), async () => ({
  alerts: (await listAlerts(await getDatabase())).map(alertJson),
}));

export const POST = jsonBodyRoute(
  createAlertSchema,
  async (body) => {
    const db = await getDatabase();
    const alert = await createAlert(db, {
      name: body.name,
      condition: body.condition,
      target: await checkTarget(db, body.target),
      repeat: body.repeat,
      cooldownSec: body.cooldown_sec,
      webhookUrl: body.webhook_url,
      enabled: body.enabled,
    });
    reloadAlerts();
    return { alert: alertJson(alert) };
  },
  { status: 201 },
);
