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
import { checkTarget } from '@/lib/api/alert-target';
import { reloadAlerts } from '@/lib/api/scanner-client';
import { toApiAlert } from '@/lib/contracts/alert';
import { api } from '@/lib/contracts/api';
import { createAlert, listAlerts } from '@/lib/db/queries/alerts';
import { getDatabase } from '@/lib/db/runtime';
import { route } from '@/lib/http/route';
import { checkRepeatPolicy, checkWebhookUrl, redactUrl } from '@/lib/security/alert-rules';

export const dynamic = 'force-dynamic';

export const GET = route(api.listAlerts, async () => ({
  alerts: (await listAlerts(await getDatabase())).map((alert) => toApiAlert({ ...alert, webhookUrl: redactUrl(alert.webhookUrl) })),
}));

export const POST = route(api.createAlert, async ({ body }) => {
  const db = await getDatabase();
  // SSRF policy, minimum cooldown and the repeating-alert cap (lib/security/alert-rules.ts).
  checkWebhookUrl(body.webhook_url);
  checkRepeatPolicy({ repeat: body.repeat, cooldownSec: body.cooldown_sec, enabled: body.enabled }, await listAlerts(db));
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
  return { alert: toApiAlert(alert) };
});
