/**
 * Configuration of the exchange calendar and of the broker history source used by gap
 * backfill (GET /api/candles, `npm run backfill`), shared by the host, the web app and the
 * CLI. Validated once with zod; errors name the variable.
 *
 * - MARKET_CALENDAR_EXTRA: extra holidays / special sessions, e.g. "2027-01-26,2026-11-08@18:00-19:00"
 *   (lib/market/calendar.ts).
 * - HISTORY_SOURCE: `none` (default), `kite` or `fyers`; with `kite`, KITE_API_KEY and
 *   KITE_ACCESS_TOKEN are required and KITE_API_ROOT (default https://api.kite.trade) may point
 *   elsewhere (tests); with `fyers`, FYERS_APP_ID ("XXXXXX-100") and FYERS_ACCESS_TOKEN are
 *   required and FYERS_DATA_ROOT (default https://api-t1.fyers.in/data) may point elsewhere.
 */
import { z } from 'zod';
import type { ExchangeCalendar } from '@/lib/market/calendar';
import { createMarketSessions, parseSessionExtra, type MarketSessions } from '@/lib/market/sessions';

const historyEnvSchema = z
  .object({
    MARKET_CALENDAR_EXTRA: z
      .string()
      .default('')
      .superRefine((value, ctx) => {
        try {
          parseSessionExtra(value);
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
        }
      }),
    HISTORY_SOURCE: z.enum(['none', 'kite', 'fyers']).default('none'),
    KITE_API_KEY: z.string().optional(),
    KITE_ACCESS_TOKEN: z.string().optional(),
    KITE_API_ROOT: z.string().url().default('https://api.kite.trade'),
    FYERS_APP_ID: z
      .string()
      .regex(/^[A-Z0-9]+-\d{3}$/, 'must be a Fyers App ID like XXXXXX-100')
      .optional(),
    FYERS_ACCESS_TOKEN: z.string().optional(),
    FYERS_DATA_ROOT: z.string().url().default('https://api-t1.fyers.in/data'),
  })
  .superRefine((env, ctx) => {
    if (env.HISTORY_SOURCE === 'kite') {
      for (const key of ['KITE_API_KEY', 'KITE_ACCESS_TOKEN'] as const) {
        if (!env[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'is required when HISTORY_SOURCE=kite' });
      }
    }
    if (env.HISTORY_SOURCE === 'fyers') {
      for (const key of ['FYERS_APP_ID', 'FYERS_ACCESS_TOKEN'] as const) {
        if (!env[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'is required when HISTORY_SOURCE=fyers' });
      }
    }
  });

export type HistoryEnv = z.infer<typeof historyEnvSchema>;

/** Parse (default source: process.env). Throws an Error naming the bad variable. */
export function parseHistoryEnv(source: NodeJS.ProcessEnv = process.env): HistoryEnv {
  const input = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = historyEnvSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid configuration: ${issue.path.join('.')} ${issue.message}`);
  }
  return parsed.data;
}

/** The last MARKET_CALENDAR_EXTRA built and its sessions: a memo of a pure function, keyed by its input. */
let memo: { extra: string; sessions: MarketSessions } | undefined;

/**
 * Session rules of every segment extended by MARKET_CALENDAR_EXTRA (lib/market/sessions.ts).
 * Rebuilt only when the variable's value changes (callers ask often: collectors' watchdog, routes).
 */
export function configuredSessions(): MarketSessions {
  const extra = process.env.MARKET_CALENDAR_EXTRA ?? '';
  if (memo?.extra !== extra) memo = { extra, sessions: createMarketSessions(parseHistoryEnv().MARKET_CALENDAR_EXTRA) };
  return memo.sessions;
}

/** The NSE equity calendar extended by MARKET_CALENDAR_EXTRA (market hours of the equity segment). */
export function configuredCalendar(): ExchangeCalendar {
  return configuredSessions().equity;
}
