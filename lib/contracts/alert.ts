/**
 * User alerts (docs/desk.md): the condition and target (validated on the API, evaluated by the
 * worker's alert engine), the alert as JSON answers show it, the firing event (API history,
 * Socket.IO `alert`, webhook payload), and the request bodies of /api/alerts.
 *
 * Conditions:
 * - price_cross: LTP crosses `level` (rupees) upwards (`above`), downwards (`below`) or either
 *   way, between two evaluations. Edge-triggered.
 * - change_pct: the day's % change vs the previous close is above / below `value` (percent).
 * - volume_spike: the volume ratio on `timeframe` (vs the same time of day over 20 sessions) is
 *   at least `ratio`.
 * - rsi: RSI(14) on `timeframe` is above / below `value`.
 * - scanner_preset: the instrument is among the first `top` rows of a scanner preset.
 * All but price_cross are level conditions: they fire while true, once for a one-shot alert,
 * then at most once per `cooldownSec` per instrument for a repeating one.
 */
import { z } from 'zod';
import type { AlertDefinition } from '@/lib/market/alerts';
import { SCANNER_PRESETS } from '@/lib/market/scanner';
import { idParam, intParam, isoTime, timeframeSchema } from './common';

const op = z.enum(['above', 'below'], { error: 'expected above or below' });
const finite = z.number({ error: 'expected a number' }).refine(Number.isFinite, 'expected a finite number');

export const alertConditionSchema = z
  .discriminatedUnion(
    'type',
    [
      z.object({
        type: z.literal('price_cross'),
        level: finite.refine((v) => v > 0, 'must be > 0'),
        direction: z.enum(['above', 'below', 'either'], { error: 'expected above, below or either' }).default('either'),
      }),
      z.object({ type: z.literal('change_pct'), op, value: finite.refine((v) => Math.abs(v) <= 100, 'must be within ±100') }),
      z.object({
        type: z.literal('volume_spike'),
        ratio: finite.refine((v) => v >= 1 && v <= 1000, 'must be between 1 and 1000'),
        timeframe: timeframeSchema.default('1d'),
      }),
      z.object({
        type: z.literal('rsi'),
        op,
        value: finite.refine((v) => v > 0 && v < 100, 'must be between 0 and 100'),
        timeframe: timeframeSchema.default('15m'),
      }),
      z.object({
        type: z.literal('scanner_preset'),
        preset: z.enum(SCANNER_PRESETS, { error: `expected one of ${SCANNER_PRESETS.join(', ')}` }),
        timeframe: timeframeSchema.default('1d'),
        top: z.number().int().min(1).max(100).default(10),
      }),
    ],
    { error: 'type: expected one of price_cross, change_pct, volume_spike, rsi, scanner_preset' },
  )
  .meta({ id: 'AlertCondition' });

export type AlertCondition = z.infer<typeof alertConditionSchema>;

export const alertTargetSchema = z
  .object({
    kind: z.enum(['symbol', 'watchlist'], { error: 'expected symbol or watchlist' }),
    /** "EXCHANGE:TRADINGSYMBOL" or a watchlist name (predefined or user). */
    value: z.string({ error: 'required' }).trim().min(1, 'required').max(64, 'at most 64 characters'),
  })
  .meta({ id: 'AlertTarget' });

export type AlertTarget = z.infer<typeof alertTargetSchema>;

/** An alert in JSON answers (snake_case, ISO times). */
export const alertSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    condition: alertConditionSchema,
    target: alertTargetSchema,
    /** false: one-shot (disabled after firing); true: fires again after `cooldown_sec`. */
    repeat: z.boolean(),
    cooldown_sec: z.number().int(),
    webhook_url: z.string().nullable(),
    enabled: z.boolean(),
    last_fired_at: isoTime.nullable(),
    created_at: isoTime,
  })
  .meta({ id: 'Alert' });

export type Alert = z.infer<typeof alertSchema>;

/** One firing, as stored in alert_events, sent over Socket.IO (`alert`) and POSTed to the webhook. */
export const alertEventSchema = z
  .object({
    id: z.number().int(),
    alertId: z.number().int().nullable(),
    alertName: z.string(),
    symbol: z.string(),
    instrumentToken: z.number().int(),
    /** Wall-clock firing time, ISO UTC. */
    firedAt: isoTime,
    /** Exchange time of the tick that fired it, ISO UTC. */
    tickTime: isoTime,
    message: z.string(),
    /** The value that met the condition (LTP, %, ratio, RSI or rank). */
    value: z.number().nullable(),
    webhookStatus: z.string().nullable(),
  })
  .meta({ id: 'AlertEvent' });

export type AlertEvent = z.infer<typeof alertEventSchema>;

/** What an alert's webhook receives: `POST { alert: { id, name, condition, target }, event }`. */
export const alertWebhookSchema = z.object({
  alert: alertSchema.pick({ id: true, name: true, condition: true, target: true }),
  event: alertEventSchema,
});

const webhookUrl = z
  .string()
  .trim()
  .url('expected an http(s) URL')
  .refine((value) => /^https?:\/\//i.test(value), 'expected an http(s) URL')
  .nullable();
const alertName = z.string({ error: 'required' }).trim().min(1, 'required').max(80, 'at most 80 characters');
const flag = z.boolean({ error: 'expected true or false' });
const cooldownSec = z.number({ error: 'expected a number of seconds' }).int().min(0).max(86_400 * 7);

/** POST /api/alerts. */
export const createAlertSchema = z.object({
  name: alertName,
  condition: alertConditionSchema,
  target: alertTargetSchema,
  repeat: flag.default(false),
  cooldown_sec: cooldownSec.default(300),
  webhook_url: webhookUrl.default(null),
  enabled: flag.default(true),
});

/** PATCH /api/alerts/{id}: any field of the create body (`{ "enabled": true }` re-arms a fired one-shot alert). */
export const updateAlertSchema = z.object({
  name: alertName.optional(),
  condition: alertConditionSchema.optional(),
  target: alertTargetSchema.optional(),
  repeat: flag.optional(),
  cooldown_sec: cooldownSec.optional(),
  webhook_url: webhookUrl.optional(),
  enabled: flag.optional(),
});

/** GET /api/alerts/events: `limit` 1–500 (default 100), `alert_id` (optional). */
export const alertEventsQuerySchema = z.object({
  limit: intParam(1, 500).default(100),
  alert_id: idParam.optional(),
});

export const alertResponseSchema = z.object({ alert: alertSchema });
export const alertsResponseSchema = z.object({ alerts: z.array(alertSchema) });
export const alertEventsResponseSchema = z.object({ events: z.array(alertEventSchema) });

/** The JSON form of a stored alert definition. */
export function toApiAlert(alert: AlertDefinition): Alert {
  return {
    id: alert.id,
    name: alert.name,
    condition: alert.condition,
    target: alert.target,
    repeat: alert.repeat,
    cooldown_sec: alert.cooldownSec,
    webhook_url: alert.webhookUrl,
    enabled: alert.enabled,
    last_fired_at: alert.lastFiredAt === null ? null : new Date(alert.lastFiredAt).toISOString(),
    created_at: new Date(alert.createdAt).toISOString(),
  };
}
