/**
 * User alerts: the stored definition and the description of a condition. The condition, target,
 * JSON and event schemas are contracts (lib/contracts/alert.ts).
 * Conditions are described in lib/contracts/alert.ts and docs/desk.md.
 */
import type { AlertCondition, AlertTarget } from '@/lib/contracts/alert';
import { formatRupees } from './rupees';

// The wire contracts live in lib/contracts/alert.ts; re-exported for the worker and the desk code.
export { alertConditionSchema, alertTargetSchema } from '@/lib/contracts/alert';
export type { AlertCondition, AlertEvent, AlertTarget } from '@/lib/contracts/alert';

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

/** A short human description of a condition, e.g. "LTP crosses above ₹1,650.00" (rupees with Indian grouping). */
export function describeCondition(condition: AlertCondition): string {
  switch (condition.type) {
    case 'price_cross':
      return `LTP crosses ${condition.direction === 'either' ? '' : `${condition.direction} `}${formatRupees(condition.level)}`;
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

/**
 * Bounds on alerts (docs/security.md, "Limits"): a repeating alert fires again for the same
 * instrument no sooner than `minRepeatCooldownSec` (the API refuses less; the engine applies it
 * to older rows too); at most `maxRepeatingAlerts` enabled repeating alerts per account (all
 * accounts together until alerts have owners); webhook deliveries run `webhookConcurrency` at a
 * time with at most `webhookQueue` waiting (more are dropped and recorded as failed).
 */
export const ALERT_LIMITS = {
  minRepeatCooldownSec: 60,
  maxRepeatingAlerts: 20,
  webhookConcurrency: 4,
  webhookQueue: 100,
} as const;
