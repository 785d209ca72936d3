/**
 * Request bodies of the collectors API (app/api/collectors/**, and the worker's /collectors
 * endpoints that the web app proxies to in server mode). A collector's definition is the same
 * entry as in the YAML config file (lib/config/collectors-config.ts).
 */
import { z } from 'zod';
import { collectorEntrySchema, toCollectorConfig } from '@/lib/config/collectors-config';
import { refuseApiEndpoints } from '@/lib/security/collector-endpoints';

export const collectorNameSchema = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/i, 'unknown collector name');

/** POST /api/collectors: a config entry (durations in seconds) → the worker's definition (ms). */
export const createCollectorBody = collectorEntrySchema.superRefine(refuseApiEndpoints).transform(toCollectorConfig);

const targets = {
  symbols: z.array(z.string().min(3).max(64)).max(9000).optional(),
  tokens: z.array(z.number().int().positive()).max(9000).optional(),
  watchlist: z.string().min(1).max(64).optional(),
};
const hasTarget = (s: { symbols?: string[]; tokens?: number[]; watchlist?: string }) =>
  Boolean(s.symbols?.length || s.tokens?.length || s.watchlist);

/** POST /api/collectors/:name/subscribe: `{ mode?: "ltp"|"quote"|"full" (quote), symbols?, tokens?, watchlist? }`. */
export const subscribeBody = z
  .object({ mode: z.enum(['ltp', 'quote', 'full']).default('quote'), ...targets })
  .strict()
  .refine(hasTarget, { message: 'needs symbols, tokens or watchlist', path: ['symbols'] });

/** POST /api/collectors/:name/unsubscribe: `{ symbols?, tokens?, watchlist? }`. */
export const unsubscribeBody = z
  .object(targets)
  .strict()
  .refine(hasTarget, { message: 'needs symbols, tokens or watchlist', path: ['symbols'] });

/** POST /api/collectors/:name/token: `{ accessToken }` (Kite: today's token from the login flow). */
export const accessTokenBody = z.object({ accessToken: z.string().min(1).max(512) }).strict();
