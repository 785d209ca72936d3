/**
 * User alerts: the condition and definition contracts shared by the JSON routes (zod-validated),
 * the worker's alert engine (worker/alerts) and the browser (toasts, alerts page).
 *
 * Conditions (docs/desk.md):
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
import { SCANNER_PRESETS } from './scanner';
import { TIMEFRAMES } from './timeframes';

const timeframe = z.enum(TIMEFRAMES, { error: `expected one of ${TIMEFRAMES.join(', ')}` });
const op = z.enum(['above', 'below'], { error: 'expected above or below' });
const finite = z.number({ error: 'expected a number' }).refine(Number.isFinite, 'expected a finite number');

export const alertConditionSchema = z.discriminatedUnion(
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
      timeframe: timeframe.default('1d'),
    }),
    z.object({
      type: z.literal('rsi'),
      op,
      value: finite.refine((v) => v > 0 && v < 100, 'must be between 0 and 100'),
      timeframe: timeframe.default('15m'),
    }),
    z.object({
      type: z.literal('scanner_preset'),
      preset: z.enum(SCANNER_PRESETS, { error: `expected one of ${SCANNER_PRESETS.join(', ')}` }),
      timeframe: timeframe.default('1d'),
      top: z.number().int().min(1).max(100).default(10),
    }),
  ],
  { error: 'type: expected one of price_cross, change_pct, volume_spike, rsi, scanner_preset' },
);

export type AlertCondition = z.infer<typeof alertConditionSchema>;

export const alertTargetSchema = z.object({
  kind: z.enum(['symbol', 'watchlist'], { error: 'expected symbol or watchlist' }),
  /** "EXCHANGE:TRADINGSYMBOL" or a watchlist name (predefined or user). */
  value: z.string({ error: 'required' }).trim().min(1, 'required').max(64, 'at most 64 characters'),
});

export type AlertTarget = z.infer<typeof alertTargetSchema>;

/** A stored alert definition. */
export interface AlertDefinition {
  id: number;
  name: string;
  condition: AlertCondition;
  target: AlertTarget;
  /** false: one-shot (disabled after firing); true: fires again after `cooldownSec`. */
  repeat: boolean;
  cooldownSec: number;
  webhookUrl: string | null;
  enabled: boolean;
  /** Last firing, epoch ms UTC, or null. */
  lastFiredAt: number | null;
  createdAt: number;
}

/** One firing, as stored in alert_events, sent over Socket.IO (`alert`) and POSTed to the webhook. */
export interface AlertEvent {
  id: number;
  alertId: number | null;
  alertName: string;
  symbol: string;
  instrumentToken: number;
  /** Wall-clock firing time, ISO UTC. */
  firedAt: string;
  /** Exchange time of the tick that fired it, ISO UTC. */
  tickTime: string;
  message: string;
  /** The value that met the condition (LTP, %, ratio, RSI or rank). */
  value: number | null;
  webhookStatus: string | null;
}

/** A short human description of a condition, e.g. "LTP crosses above ₹1,650". */
export function describeCondition(condition: AlertCondition): string {
  switch (condition.type) {
    case 'price_cross':
      return `LTP crosses ${condition.direction === 'either' ? '' : `${condition.direction} `}₹${condition.level}`;
    case 'change_pct':
      return `day change ${condition.op === 'above' ? '≥' : '≤'} ${condition.value}%`;
    case 'volume_spike':
      return `volume ≥ ${condition.ratio}× usual (${condition.timeframe})`;
    case 'rsi':
      return `RSI(14) ${condition.op === 'above' ? '≥' : '≤'} ${condition.value} (${condition.timeframe})`;
    case 'scanner_preset':
      return `in top ${condition.top} of ${condition.preset} (${condition.timeframe})`;
  }
}
