/** Black-Scholes round trip, chain figures on a hand-made chain, expiry time. */
import { describe, expect, it } from 'vitest';
import { impliedVolatility, optionDelta, optionPrice } from '@/lib/options/black-scholes';
import { buildChain } from '@/lib/options/chain';
import { atmStrike, maxPain, putCallRatio, strikesAround } from '@/lib/options/chain-math';
import { timeToExpiryYears, weeklyExpiry } from '@/lib/options/expiry';
import { parseOptionsEnv } from '@/lib/options/config';
import { optionTradingsymbol } from '@/lib/options/symbols';

describe('Black-Scholes', () => {
  it('price → implied volatility → price round trip (calls and puts, ITM to OTM)', () => {
    for (const side of ['CE', 'PE'] as const) {
      for (const strike of [24500, 25500, 26000, 26500, 27500]) {
        for (const vol of [0.09, 0.14, 0.3]) {
          const inputs = { side, spot: 26000, strike, years: 6 / 365, rate: 0.065 };
          const price = optionPrice(inputs, vol);
          if (price < 0.5) continue; // no time value worth the name
          const iv = impliedVolatility(inputs, price);
          expect(iv).not.toBeNull();
          expect(optionPrice(inputs, iv!)).toBeCloseTo(price, 1);
          expect(Math.abs(iv! - vol)).toBeLessThan(0.005);
        }
      }
    }
  });

  it('matches a textbook value (Hull: S=42, K=40, r=10%, σ=20%, T=0.5 → call 4.76, put 0.81)', () => {
    const base = { spot: 42, strike: 40, years: 0.5, rate: 0.1 };
    expect(optionPrice({ side: 'CE', ...base }, 0.2)).toBeCloseTo(4.76, 2);
    expect(optionPrice({ side: 'PE', ...base }, 0.2)).toBeCloseTo(0.81, 2);
    expect(optionDelta({ side: 'CE', ...base }, 0.2)).toBeCloseTo(0.7791, 3);
    expect(optionDelta({ side: 'PE', ...base }, 0.2)).toBeCloseTo(0.7791 - 1, 3);
  });

  it('no IV below the no-arbitrage bound or after expiry', () => {
    expect(impliedVolatility({ side: 'CE', spot: 26000, strike: 25000, years: 0.02, rate: 0.065 }, 900)).toBeNull();
    expect(impliedVolatility({ side: 'CE', spot: 26000, strike: 26000, years: 0, rate: 0.065 }, 50)).toBeNull();
  });
});

describe('chain figures on a hand-made chain', () => {
  // OI in units: calls pile up above spot, puts below.
  const rows = [
    { strike: 100, ceOi: 10, peOi: 500 },
    { strike: 110, ceOi: 100, peOi: 300 },
    { strike: 120, ceOi: 400, peOi: 100 },
    { strike: 130, ceOi: 600, peOi: 20 },
  ];

  it('PCR = Σ put OI / Σ call OI', () => {
    expect(putCallRatio(rows)).toBeCloseTo(920 / 1110, 10);
    expect(putCallRatio([{ strike: 1, ceOi: 0, peOi: 5 }])).toBeNull();
  });

  it('max pain is the strike with the least payout to holders', () => {
    // payouts: S=100: puts 300·10+100·20+20·30=5600; S=110: calls 10·10=100 + puts 100·10+20·20=1400 → 1500;
    // S=120: calls 10·20+100·10=1200 + puts 20·10=200 → 1400; S=130: calls 10·30+100·20+400·10=6300.
    expect(maxPain(rows)).toBe(120);
    expect(maxPain([{ strike: 1, ceOi: null, peOi: 0 }])).toBeNull();
  });

  it('ATM and strikes around it', () => {
    expect(atmStrike([100, 110, 120], 114.9)).toBe(110);
    expect(atmStrike([100, 110, 120], 115)).toBe(110);
    expect(strikesAround([130, 100, 110, 120, 140], 121, 1)).toEqual([110, 120, 130]);
  });

  it('buildChain: change, OI change, IV consistent with the price', () => {
    const inputs = { side: 'CE' as const, spot: 26010, strike: 26000, years: 5 / 365, rate: 0.065 };
    const ltp = Number(optionPrice(inputs, 0.13).toFixed(2));
    const chain = buildChain({
      underlying: 'NIFTY',
      expiry: '2025-12-30',
      spot: 26010,
      rate: 0.065,
      timeToExpiryYears: 5 / 365,
      strikes: [{ strike: 26000, ce: { symbol: 'NFO:X', ltp, prevClose: ltp - 12.5, volume: 650, oi: 13000, prevOi: 6500 }, pe: null }],
    });
    const ce = chain.rows[0].ce!;
    expect(ce.change).toBeCloseTo(12.5, 6);
    expect(ce.oiChange).toBe(6500);
    expect(optionPrice(inputs, ce.iv!)).toBeCloseTo(ltp, 1);
    expect(ce.delta!).toBeGreaterThan(0.5);
    expect(chain).toMatchObject({ atm: 26000, pcr: 0, maxPain: 26000 });
  });
});

describe('expiry and configuration', () => {
  it('time to 15:30 IST on expiry day, in 365-day years', () => {
    const now = Date.parse('2025-12-29T04:00:00Z'); // 09:30 IST Monday
    expect(timeToExpiryYears('2025-12-30', now) * 365 * 24).toBeCloseTo(30, 6); // to Tue 15:30 IST
  });

  it('weekly expiry: the coming Tuesday, the next one after 15:30 IST on a Tuesday', () => {
    expect(weeklyExpiry(Date.parse('2025-12-29T04:00:00Z'))).toBe('2025-12-30');
    expect(weeklyExpiry(Date.parse('2025-12-30T09:00:00Z'))).toBe('2025-12-30'); // 14:30 IST
    expect(weeklyExpiry(Date.parse('2025-12-30T10:30:00Z'))).toBe('2026-01-06'); // 16:00 IST
  });

  it('Kite option symbols: monthly and weekly', () => {
    expect(optionTradingsymbol('NIFTY', '2025-12-30', 26000, 'CE')).toBe('NIFTY25DEC26000CE');
    expect(optionTradingsymbol('NIFTY', '2026-01-06', 26000, 'PE')).toBe('NIFTY2610626000PE');
  });

  it('OPTION_RISK_FREE_RATE is validated', () => {
    expect(parseOptionsEnv({}).OPTION_RISK_FREE_RATE).toBe(0.065);
    expect(parseOptionsEnv({ OPTION_RISK_FREE_RATE: '0.07' }).OPTION_RISK_FREE_RATE).toBe(0.07);
    expect(() => parseOptionsEnv({ OPTION_RISK_FREE_RATE: '7' })).toThrow(/OPTION_RISK_FREE_RATE must be at most 0.25/);
    expect(() => parseOptionsEnv({ OPTION_RISK_FREE_RATE: 'x' })).toThrow(/OPTION_RISK_FREE_RATE/);
  });
});
