/**
 * GET /api/option-chain: query and answer schemas (zod), the endpoint contract for route() and
 * the OpenAPI document. Shapes and units: lib/options/chain.ts; sources: lib/options/chain-query.ts.
 */
import { z } from 'zod';
import { endpoint } from '@/lib/http/endpoint';

/** An underlying's name (NIFTY, BANKNIFTY, RELIANCE), upper-cased; shared by the chain query and chain subscribe. */
export const underlyingParam = z
  .string({ error: (issue) => (issue.input === undefined ? 'required' : 'expected a string') })
  .trim()
  .regex(/^[A-Za-z0-9&-]{1,30}$/, 'expected an underlying such as NIFTY, BANKNIFTY or RELIANCE')
  .transform((v) => v.toUpperCase());
/** An expiry date, YYYY-MM-DD (IST calendar date); optional: the nearest expiry. */
export const expiryParam = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD').optional();

export const optionChainQuerySchema = z.object({
  underlying: underlyingParam,
  expiry: expiryParam,
  strikes: z.coerce.number({ error: 'expected an integer' }).int('expected an integer').min(1, 'must be at least 1').max(60, 'must be at most 60').default(15),
});

const legSchema = z
  .object({
    symbol: z.string().meta({ example: 'NFO:NIFTY2512926000CE' }),
    ltp: z.number().nullable().meta({ description: 'rupees' }),
    change: z.number().nullable().meta({ description: 'ltp − previous session close, rupees' }),
    volume: z.number().nullable().meta({ description: 'day volume, units' }),
    oi: z.number().nullable().meta({ description: 'open interest, units' }),
    oiChange: z.number().nullable().meta({ description: 'OI − previous session closing OI, units' }),
    iv: z.number().nullable().meta({ description: 'Black-Scholes implied volatility, annualised fraction (0.14 = 14%)' }),
    delta: z.number().nullable().meta({ description: 'Black-Scholes delta at iv' }),
  })
  .nullable();

export const optionChainResponseSchema = z
  .object({
    underlying: z.string(),
    expiry: z.string().meta({ description: 'YYYY-MM-DD; expires 15:30 IST' }),
    spot: z.number().nullable(),
    atm: z.number().nullable(),
    rate: z.number().meta({ description: 'risk-free rate, annualised fraction (OPTION_RISK_FREE_RATE)' }),
    timeToExpiryYears: z.number(),
    pcr: z.number().nullable().meta({ description: 'Σ PE OI / Σ CE OI over the rows' }),
    maxPain: z.number().nullable(),
    rows: z.array(z.object({ strike: z.number(), ce: legSchema, pe: legSchema })),
  })
  .meta({ id: 'OptionChain' });

export const getOptionChainEndpoint = endpoint({
  method: 'GET',
  path: '/api/option-chain',
  tags: ['Market data'],
  summary: 'Option chain of an underlying for one expiry',
  description:
    'Strikes around the money from the instruments master; per strike CE and PE last price, change, volume, OI, change in OI, Black-Scholes IV and delta; spot, ATM, PCR by OI and max pain (docs/desk.md).',
  query: optionChainQuerySchema,
  response: optionChainResponseSchema,
  errors: ['invalid_request', 'not_found'],
});
