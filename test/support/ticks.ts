/** Test tick builder: an NSE equity tick from the replay feed with empty depth, overridable. */
import type { Tick } from '@/lib/market/tick';

export function makeTick(fields: Partial<Tick> & Pick<Tick, 'exchangeTime' | 'ltp' | 'volume'>): Tick {
  return {
    instrumentToken: 0,
    exchange: 'NSE',
    tradingsymbol: 'TEST',
    lastQuantity: 1,
    averagePrice: null,
    oi: null,
    bidPrice: null,
    bidQuantity: null,
    askPrice: null,
    askQuantity: null,
    feed: 'replay',
    ...fields,
  };
}
