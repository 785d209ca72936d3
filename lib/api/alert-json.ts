/**
 * Alert routes' helpers: the JSON shape of an alert (snake_case, ISO times) and target checks.
 */
import type { Database } from '@/lib/db/client';
import { getWatchlistSymbols, resolveSymbols } from '@/lib/db/queries/watchlists';
import type { AlertDefinition, AlertTarget } from '@/lib/market/alerts';
import { parseSymbol, symbolOf } from '@/lib/market/tick';
import { ApiError } from './errors';

export function alertJson(alert: AlertDefinition) {
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

/** Normalise and check an alert target: a known instrument or an existing watchlist. Throws ApiError 400. */
export async function checkTarget(db: Database, target: AlertTarget): Promise<AlertTarget> {
  if (target.kind === 'symbol') {
    const parsed = parseSymbol(target.value);
    if (!parsed) throw new ApiError(400, 'invalid_request', 'target.value: expected EXCHANGE:TRADINGSYMBOL, e.g. NSE:INFY');
    const symbol = symbolOf(parsed);
    const { missing } = await resolveSymbols(db, [symbol]);
    if (missing.length) throw new ApiError(400, 'invalid_request', `target.value: unknown instrument ${symbol}`);
    return { kind: 'symbol', value: symbol };
  }
  if ((await getWatchlistSymbols(db, target.value)) === null) {
    throw new ApiError(400, 'invalid_request', `target.value: no watchlist named "${target.value}"`);
  }
  return target;
}

