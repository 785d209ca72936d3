/**
 * GET /api/alerts/:id — { alert: Alert } (shape in app/api/alerts/route.ts).
 * PATCH /api/alerts/:id — change any field of the create body (e.g. `{ "enabled": true }` re-arms
 * a fired one-shot alert). 200: { alert: Alert }.
 * DELETE /api/alerts/:id — 200 { deleted: true } (its history stays).
 * Errors: 400 invalid_request (bad id or field), 404 not_found.
 */
import { checkTarget } from '@/lib/api/alert-target';
import { reloadAlerts } from '@/lib/api/scanner-client';
import { toApiAlert } from '@/lib/contracts/alert';
import { api } from '@/lib/contracts/api';
import { deleteAlert, getAlert, listAlerts, updateAlert } from '@/lib/db/queries/alerts';
import { getDatabase } from '@/lib/db/runtime';
import { AppError } from '@/lib/http/errors';
import { route } from '@/lib/http/route';
import { checkRepeatPolicy, checkWebhookUrl, redactUrl } from '@/lib/security/alert-rules';

export const dynamic = 'force-dynamic';

const noAlert = (id: number) => new AppError('not_found', `no alert ${id}`);

export const GET = route(api.getAlert, async ({ params: { id } }) => {
  const alert = await getAlert(await getDatabase(), id);
  if (!alert) throw noAlert(id);
  return { alert: toApiAlert({ ...alert, webhookUrl: redactUrl(alert.webhookUrl) }) };
});

export const PATCH = route(api.updateAlert, async ({ params: { id }, body }) => {
  const db = await getDatabase();
  // SSRF policy, minimum cooldown and the repeating-alert cap on the alert as it will be.
  checkWebhookUrl(body.webhook_url);
  const current = await getAlert(db, id);
  if (!current) throw noAlert(id);
  const others = (await listAlerts(db)).filter((other) => other.id !== id);
  const next = { repeat: body.repeat ?? current.repeat, cooldownSec: body.cooldown_sec ?? current.cooldownSec, enabled: body.enabled ?? current.enabled };
  checkRepeatPolicy(next, others, body.repeat !== undefined || body.cooldown_sec !== undefined);
  const alert = await updateAlert(db, id, {
    name: body.name,
    condition: body.condition,
    target: body.target ? await checkTarget(db, body.target) : undefined,
    repeat: body.repeat,
    cooldownSec: body.cooldown_sec,
    webhookUrl: body.webhook_url,
    enabled: body.enabled,
  });
  if (!alert) throw noAlert(id);
  reloadAlerts();
  return { alert: toApiAlert({ ...alert, webhookUrl: redactUrl(alert.webhookUrl) }) };
});

export const DELETE = route(api.deleteAlert, async ({ params: { id } }) => {
  if (!(await deleteAlert(await getDatabase(), id))) throw noAlert(id);
  reloadAlerts();
  return { deleted: true as const };
});
