/**
 * GET /api/alerts/:id — { alert: Alert } (shape in app/api/alerts/route.ts).
 * PATCH /api/alerts/:id — change any field of the create body (e.g. `{ "enabled": true }` re-arms
 * a fired one-shot alert). 200: { alert: Alert }.
 * DELETE /api/alerts/:id — 200 { deleted: true } (its history stays).
 * Errors: 400 invalid_request (bad id or field), 404 not_found.
 */
import { ApiError, jsonBodyRoute } from '@/lib/api/errors';
import { alertJson, checkTarget } from '@/lib/api/alert-json';
import { idParamSchema, updateAlertSchema } from '@/lib/api/desk-schemas';
import { reloadAlerts } from '@/lib/api/scanner-client';
import { getDatabase } from '@/lib/db/runtime';
import { deleteAlert, getAlert, updateAlert } from '@/lib/db/queries/alerts';

export const dynamic = 'force-dynamic';

type Params = { id: string };

function parseId(raw: string): number {
  const parsed = idParamSchema.safeParse(raw);
  if (!parsed.success) throw new ApiError(400, 'invalid_request', 'id: expected a positive integer');
  return parsed.data;
}

export const GET = jsonBodyRoute(null, async (_input, _request, { id }: Params) => {
  const alert = await getAlert(await getDatabase(), parseId(id));
  if (!alert) throw new ApiError(404, 'not_found', `no alert ${id}`);
  return { alert: alertJson(alert) };
});

export const PATCH = jsonBodyRoute(updateAlertSchema, async (body, _request, { id }: Params) => {
  const db = await getDatabase();
  const alert = await updateAlert(db, parseId(id), {
    name: body.name,
    condition: body.condition,
    target: body.target ? await checkTarget(db, body.target) : undefined,
    repeat: body.repeat,
    cooldownSec: body.cooldown_sec,
    webhookUrl: body.webhook_url,
    enabled: body.enabled,
  });
  if (!alert) throw new ApiError(404, 'not_found', `no alert ${id}`);
  reloadAlerts();
  return { alert: alertJson(alert) };
});

export const DELETE = jsonBodyRoute(null, async (_input, _request, { id }: Params) => {
  if (!(await deleteAlert(await getDatabase(), parseId(id)))) throw new ApiError(404, 'not_found', `no alert ${id}`);
  reloadAlerts();
  return { deleted: true };
});
