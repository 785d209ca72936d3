/**
 * POST /api/collectors/:name/subscribe-chain — subscribe an option chain in one step (issue 13
 * point 6; contract lib/contracts/chain-subscription.ts). Body `{ underlying: "NIFTY", expiry?:
 * "YYYY-MM-DD" (nearest live), strikes?: 1–50 each side of ATM (10), around?: rupees (stored
 * spot), mode?: "ltp"|"quote"|"full" (full) }` → `{ chain: { underlying, expiry, spot,
 * spotSource, atm, strikes, symbols }, change: { added, modeChanged, removed, instruments } }`.
 * The instruments come from the instruments master (lib/options/chain-subscription.ts) and go
 * through the collector's ordinary subscribe (by token), so budgets and modes apply as there.
 * Errors: 404 unknown collector; 400 naming `body.underlying` / `body.expiry` / `body.around`
 * (or any malformed field); 422 subscription cap (nothing subscribed); 503 worker unreachable.
 * Admin only (non-GET on /api/collectors*, lib/auth/policy.ts).
 */
import { api } from '@/lib/contracts/api';
import { getDatabase } from '@/lib/db/runtime';
import { workerGateway } from '@/lib/gateway';
import { route } from '@/lib/http/route';
import { resolveChainSubscription } from '@/lib/options/chain-subscription';

export const dynamic = 'force-dynamic';

export const POST = route(api.subscribeCollectorChain, async ({ params, body }) => {
  const collectors = workerGateway().collectors;
  await collectors.get(params.name); // 404 for an unknown collector before anything is resolved
  const chain = await resolveChainSubscription(await getDatabase(), {
    underlying: body.underlying,
    expiry: body.expiry,
    strikes: body.strikes,
    around: body.around,
  });
  const change = await collectors.subscribe(params.name, { mode: body.mode, tokens: chain.tokens });
  const { tokens: _tokens, ...answer } = chain;
  return { chain: answer, change };
});
