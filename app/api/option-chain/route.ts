/**
 * GET /api/option-chain?underlying=NIFTY[&expiry=YYYY-MM-DD][&strikes=15]
 *
 * 200: { underlying, expiry, spot, atm, rate, timeToExpiryYears, pcr, maxPain,
 *        rows: [{ strike, ce: { symbol, ltp, change, volume, oi, oiChange, iv, delta } | null, pe: … }] }
 * (shapes and units: lib/options/chain.ts; formulas and sources: docs/desk.md "Option chain").
 *
 * Errors: 400 invalid_request (query.underlying, query.expiry, query.strikes); 404 not_found
 * (no options listed for the underlying or that expiry); 500 internal.
 */
import { getDatabase } from '@/lib/db/runtime';
import { route } from '@/lib/http/route';
import { getOptionChain } from '@/lib/options/chain-query';
import { parseOptionsEnv } from '@/lib/options/config';
import { getOptionChainEndpoint } from '@/lib/options/contract';

export const dynamic = 'force-dynamic';

export const GET = route(getOptionChainEndpoint, async ({ query }) =>
  getOptionChain(await getDatabase(), { ...query, rate: parseOptionsEnv().OPTION_RISK_FREE_RATE }),
);
