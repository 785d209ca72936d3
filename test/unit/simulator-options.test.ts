/** The simulator's weekly option chains: listed like Kite's, priced on a smile, OI that moves. */
import { describe, expect, it } from 'vitest';
import { parseIstLocal } from '@/lib/market/session';
import { impliedVolatility } from '@/lib/options/black-scholes';
import { timeToExpiryYears } from '@/lib/options/expiry';
import { createSimulatorFeed } from '@/worker/sources/simulator/simulator';
import { smileVolatility } from '@/worker/sources/simulator/simulator-options';

const MONDAY_1000_IST = parseIstLocal('2026-11-16 10:00:00');

describe('simulator option chains', () => {
  const feed = createSimulatorFeed({ seed: 7, now: () => MONDAY_1000_IST, riskFreeRate: 0.065 });
  const options = feed.instruments().filter((i) => i.segment === 'NFO-OPT');

  it('lists 31 strikes × CE/PE for NIFTY and BANKNIFTY on the coming Tuesday', () => {
    for (const name of ['NIFTY', 'BANKNIFTY']) {
      const chain = options.filter((i) => i.name === name);
      expect(chain).toHaveLength(62);
      expect(new Set(chain.map((i) => i.expiry))).toEqual(new Set(['2026-11-17']));
      expect(chain.every((i) => i.tradingsymbol === `${name}26N17${i.strike}${i.instrumentType}`)).toBe(true);
    }
  });

  it('prices read back as the smile (IV within a tick of price) and OI moves', () => {
    const ticks = feed.generate(MONDAY_1000_IST + 60_000);
    const index = [...ticks].reverse();
    const spotAt = (t: number) => index.find((x) => x.tradingsymbol === 'NIFTY 50' && x.exchangeTime <= t)?.ltp;
    const byStrike = options.filter((i) => i.name === 'NIFTY');
    let checked = 0;
    const lastVolume = new Map<number, number>();
    for (const tick of ticks) {
      const traded = tick.volume > (lastVolume.get(tick.instrumentToken) ?? Infinity);
      lastVolume.set(tick.instrumentToken, tick.volume);
      const instrument = byStrike.find((i) => i.instrumentToken === tick.instrumentToken);
      // a tick with a trade is priced on the index's last price at that instant
      if (!instrument || !traded || tick.ltp < 20) continue;
      const spot = spotAt(tick.exchangeTime);
      if (spot === undefined) continue;
      const inputs = { side: instrument.instrumentType as 'CE' | 'PE', spot, strike: instrument.strike!, years: timeToExpiryYears('2026-11-17', tick.exchangeTime), rate: 0.065 };
      const iv = impliedVolatility(inputs, tick.ltp);
      if (iv !== null && Math.abs(spot - (inputs.strike)) < 400) {
        expect(Math.abs(iv - smileVolatility(0.12, inputs.strike, spot))).toBeLessThan(0.002);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(30);
    const oi = new Map<number, Set<number>>();
    for (const t of ticks) if (t.oi !== null && t.tradingsymbol.endsWith('CE')) oi.set(t.instrumentToken, (oi.get(t.instrumentToken) ?? new Set()).add(t.oi));
    expect([...oi.values()].some((values) => values.size > 1)).toBe(true);
  });
});
