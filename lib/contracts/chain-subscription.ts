/**
 * POST /api/collectors/{name}/subscribe-chain (issue 13 point 6; docs/brokers.md): subscribe an
 * option chain on a collector in one step.
 *
 *   { underlying: "NIFTY", expiry?: "2025-12-30", strikes?: 10, around?: 26000, mode?: "full" }
 *   → { chain: { underlying, expiry, spot, spotSource, atm, strikes, symbols }, change }
 *
 * `strikes` listed strikes each side of ATM (1–50, default 10); `expiry` default the nearest live
 * one; `around` the price to centre on (rupees; default the stored spot); `mode` default `full`
 * (Kite sends OI and depth only in full mode). Resolution: lib/options/chain-subscription.ts.
 */
import { z } from 'zod';
import { expiryParam, underlyingParam } from '@/lib/options/contract';
import { endpoint } from '@/lib/http/endpoint';
import { collectorParams, STREAM_MODES, subscriptionChangeSchema } from './collector';

export const subscribeChainBody = z
  .object({
    underlying: underlyingParam,
    expiry: expiryParam,
    strikes: z.number({ error: 'expected an integer' }).int('expected an integer').min(1, 'must be at least 1').max(50, 'must be at most 50').default(10),
    around: z.number({ error: 'expected a price in rupees' }).positive('must be positive').max(10_000_000, 'too large').optional(),
    mode: z.enum(STREAM_MODES).default('full'),
  })
  .strict();

export const subscribeChainResponseSchema = z.object({
  chain: z.object({
    underlying: z.string(),
    expiry: z.string().meta({ description: 'YYYY-MM-DD' }),
    spot: z.number().meta({ description: 'price ATM was taken from, rupees' }),
    spotSource: z.enum(['around', 'index', 'future']),
    atm: z.number(),
    strikes: z.array(z.number()),
    /** Subscribed instruments: CE/PE contracts, then the underlying and its nearest future. */
    symbols: z.array(z.string()),
  }),
  change: subscriptionChangeSchema,
});

export type SubscribeChainResponse = z.infer<typeof subscribeChainResponseSchema>;

export const subscribeChainEndpoint = endpoint({
  method: 'POST',
  path: '/api/collectors/{name}/subscribe-chain',
  tags: ['Collectors'],
  summary: 'Subscribe an option chain (contracts around ATM, the underlying and its future) in one step',
  description:
    'Resolves the CE and PE contracts of `strikes` listed strikes each side of ATM for `underlying` and `expiry` (default the nearest live one) from the instruments master, plus the index/equity and its nearest future, and subscribes them in `mode` (default `full`). ATM: the listed strike nearest `around`, else the last stored price of the index, else of the future. 400 names `body.underlying`, `body.expiry` or `body.around` when they cannot be resolved; 422 when the instruments do not fit the API key\'s connections.',
  params: collectorParams,
  body: subscribeChainBody,
  response: subscribeChainResponseSchema,
  errors: ['invalid_request', 'not_found', 'subscription_cap', 'unavailable'],
});
