/**
 * Server-side rules of the alert routes (app/api/alerts; docs/security.md):
 * - a webhook URL must pass the SSRF policy's static check (destination.ts): http(s), no
 *   credentials, no internal literal or local name → 400 naming `body.webhook_url`;
 * - a repeating alert needs `cooldown_sec` ≥ ALERT_LIMITS.minRepeatCooldownSec (60) → 400 naming
 *   `body.cooldown_sec`;
 * - at most ALERT_LIMITS.maxRepeatingAlerts (20) enabled repeating alerts (per account once alerts
 *   have owners; all together until then) → 409 naming `body.repeat`;
 * - answers never show URL credentials (redactUrl) and show delivery details only to admins
 *   (webhookStatusFor).
 */
import { AppError } from '@/lib/http/errors';
import type { RoutePrincipal } from '@/lib/http/auth';
import { ALERT_LIMITS, type AlertDefinition } from '@/lib/market/alerts';
import { checkDestinationUrl } from './destination';

/** @throws AppError 400 naming `field` when `url` breaks the destination rules. */
export function checkWebhookUrl(url: string | null | undefined, field = 'body.webhook_url'): void {
  if (url === null || url === undefined) return;
  const reason = checkDestinationUrl(url);
  if (reason) throw new AppError('invalid_request', `${field}: ${reason}`);
}

/** The repeat fields an alert will have after a create or update. */
export interface RepeatState {
  repeat: boolean;
  cooldownSec: number;
  enabled: boolean;
}

/**
 * Check the cooldown and the repeating-alert cap for an alert that will be `next`.
 * @param others the other stored alerts (the one being updated left out)
 * @param checkCooldown false on an update that does not touch repeat/cooldown_sec (older rows keep theirs; the engine applies the minimum)
 * @throws AppError 400 `body.cooldown_sec` / 409 `body.repeat`
 */
export function checkRepeatPolicy(next: RepeatState, others: readonly Pick<AlertDefinition, 'repeat' | 'enabled'>[], checkCooldown = true): void {
  if (!next.repeat) return;
  if (checkCooldown && next.cooldownSec < ALERT_LIMITS.minRepeatCooldownSec) {
    throw new AppError('invalid_request', `body.cooldown_sec: at least ${ALERT_LIMITS.minRepeatCooldownSec} s for a repeating alert`);
  }
  if (!next.enabled) return;
  const repeating = others.filter((alert) => alert.repeat && alert.enabled).length;
  if (repeating >= ALERT_LIMITS.maxRepeatingAlerts) {
    throw new AppError('conflict', `body.repeat: at most ${ALERT_LIMITS.maxRepeatingAlerts} enabled repeating alerts; disable or delete one first`);
  }
}

/** `url` without `user:pass@` (null stays null; an unparsable value is hidden). */
export function redactUrl(url: string | null): string | null {
  if (url === null) return null;
  try {
    const parsed = new URL(url);
    if (!parsed.username && !parsed.password) return url;
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return '(invalid URL)';
  }
}

/** Whether the caller may see delivery details (an admin; no authenticator installed counts as not). */
export function canSeeDeliveryDetail(principal: RoutePrincipal | undefined): boolean {
  return principal?.role === 'admin';
}

/**
 * A stored webhook status as `principal` may see it: the detail (`delivered (HTTP 200, attempt
 * 2)`, `failed: connect ECONNREFUSED …`) for admins, else only `delivered` or `failed` (so the
 * history cannot serve as a port scanner). null stays null (no webhook, or not yet delivered).
 */
export function webhookStatusFor(status: string | null, principal: RoutePrincipal | undefined): string | null {
  if (status === null || canSeeDeliveryDetail(principal)) return status;
  return status.startsWith('delivered') ? 'delivered' : 'failed';
}
