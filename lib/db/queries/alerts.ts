/**
 * Alert definitions (`alerts`) and the alert history (`alert_events`), drizzle/0003_desk.sql.
 * Times are timestamptz (UTC); the API shapes them as ISO strings, AlertDefinition as epoch ms.
 */
import { desc, eq, sql } from 'drizzle-orm';
import { alertConditionSchema, type AlertCondition, type AlertDefinition, type AlertEvent, type AlertTarget } from '@/lib/market/alerts';
import type { Database } from '../client';
import { alertEvents, alerts } from '../schema';

export interface AlertInput {
  name: string;
  condition: AlertCondition;
  target: AlertTarget;
  repeat: boolean;
  cooldownSec: number;
  webhookUrl: string | null;
  enabled: boolean;
}

function toDefinition(row: typeof alerts.$inferSelect): AlertDefinition {
  return {
    id: row.id,
    name: row.name,
    // Stored by this module from a validated condition; parsed again so a bad row cannot crash the engine.
    condition: alertConditionSchema.parse(row.condition),
    target: { kind: row.targetKind as AlertTarget['kind'], value: row.target },
    repeat: row.repeat,
    cooldownSec: row.cooldownSec,
    webhookUrl: row.webhookUrl,
    enabled: row.enabled,
    lastFiredAt: row.lastFiredAt ? row.lastFiredAt.getTime() : null,
    createdAt: row.createdAt.getTime(),
  };
}

function toEvent(row: typeof alertEvents.$inferSelect): AlertEvent {
  return {
    id: row.id,
    alertId: row.alertId,
    alertName: row.alertName,
    symbol: row.symbol,
    instrumentToken: row.instrumentToken,
    firedAt: row.firedAt.toISOString(),
    tickTime: row.tickTime.toISOString(),
    message: row.message,
    value: row.value,
    webhookStatus: row.webhookStatus,
  };
}

/** All alerts, newest first (`enabledOnly` for the engine). Rows whose condition no longer parses are skipped. */
export async function listAlerts(db: Database, options: { enabledOnly?: boolean } = {}): Promise<AlertDefinition[]> {
  const query = db.orm.select().from(alerts);
  const rows = options.enabledOnly
    ? await query.where(eq(alerts.enabled, true)).orderBy(desc(alerts.id))
    : await query.orderBy(desc(alerts.id));
  const result: AlertDefinition[] = [];
  for (const row of rows) {
    try {
      result.push(toDefinition(row));
    } catch {
      // a condition written by an older version: leave it out rather than fail everything
    }
  }
  return result;
}

/** One alert, or null. */
export async function getAlert(db: Database, id: number): Promise<AlertDefinition | null> {
  const rows = await db.orm.select().from(alerts).where(eq(alerts.id, id)).limit(1);
  return rows[0] ? toDefinition(rows[0]) : null;
}

/** Store a new alert; returns it. */
export async function createAlert(db: Database, input: AlertInput): Promise<AlertDefinition> {
  const [row] = await db.orm
    .insert(alerts)
    .values({
      name: input.name,
      condition: input.condition,
      targetKind: input.target.kind,
      target: input.target.value,
      repeat: input.repeat,
      cooldownSec: input.cooldownSec,
      webhookUrl: input.webhookUrl,
      enabled: input.enabled,
    })
    .returning();
  return toDefinition(row);
}

/** Change some fields of an alert; null when it does not exist. Re-enabling clears nothing else. */
export async function updateAlert(db: Database, id: number, patch: Partial<AlertInput>): Promise<AlertDefinition | null> {
  const set: Partial<typeof alerts.$inferInsert> = { updatedAt: new Date() };
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.condition !== undefined) set.condition = patch.condition;
  if (patch.target !== undefined) {
    set.targetKind = patch.target.kind;
    set.target = patch.target.value;
  }
  if (patch.repeat !== undefined) set.repeat = patch.repeat;
  if (patch.cooldownSec !== undefined) set.cooldownSec = patch.cooldownSec;
  if (patch.webhookUrl !== undefined) set.webhookUrl = patch.webhookUrl;
  if (patch.enabled !== undefined) set.enabled = patch.enabled;
  const rows = await db.orm.update(alerts).set(set).where(eq(alerts.id, id)).returning();
  return rows[0] ? toDefinition(rows[0]) : null;
}

/** Delete an alert (its history stays, with alert_id set to null). False when it did not exist. */
export async function deleteAlert(db: Database, id: number): Promise<boolean> {
  const rows = await db.orm.delete(alerts).where(eq(alerts.id, id)).returning({ id: alerts.id });
  return rows.length > 0;
}

/**
 * Record a firing: inserts the history row and stamps the alert's last_fired_at; a one-shot
 * alert (`disable`) is disabled in the same statement batch. Returns the stored event.
 */
export async function recordAlertFiring(
  db: Database,
  firing: { alertId: number; alertName: string; symbol: string; instrumentToken: number; tickTime: Date; message: string; value: number | null; firedAt: Date; disable: boolean },
): Promise<AlertEvent> {
  const [row] = await db.orm
    .insert(alertEvents)
    .values({
      alertId: firing.alertId,
      alertName: firing.alertName,
      symbol: firing.symbol,
      instrumentToken: firing.instrumentToken,
      tickTime: firing.tickTime,
      message: firing.message,
      value: firing.value,
      firedAt: firing.firedAt,
    })
    .returning();
  await db.orm
    .update(alerts)
    .set(firing.disable ? { lastFiredAt: firing.firedAt, enabled: false } : { lastFiredAt: firing.firedAt })
    .where(eq(alerts.id, firing.alertId));
  return toEvent(row);
}

/** Store the outcome of a webhook delivery ("delivered (HTTP 200)", "failed: …"). */
export async function setAlertEventWebhookStatus(db: Database, eventId: number, status: string): Promise<void> {
  await db.orm.update(alertEvents).set({ webhookStatus: status }).where(eq(alertEvents.id, eventId));
}

/** Alert history, newest first: at most `limit` (default 100), optionally of one alert. */
export async function listAlertEvents(db: Database, options: { limit?: number; alertId?: number } = {}): Promise<AlertEvent[]> {
  const query = db.orm.select().from(alertEvents);
  const rows = await (options.alertId !== undefined ? query.where(eq(alertEvents.alertId, options.alertId)) : query)
    .orderBy(desc(alertEvents.firedAt), desc(alertEvents.id))
    .limit(options.limit ?? 100);
  return rows.map(toEvent);
}

/** Number of stored firings (tests, health). */
export async function countAlertEvents(db: Database): Promise<number> {
  const rows = await db.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM alert_events`);
  return Number(rows[0]?.n ?? 0);
}
