/**
 * Simulator feed (the default feed): deterministic synthetic ticks for the universe in
 * simulator-universe.ts (NIFTY 50 + NIFTY BANK indices, the 50 constituents, 3 futures, weekly
 * NIFTY and BANKNIFTY option chains).
 *
 * Model (all prices rupees, times epoch ms UTC, "day" = IST calendar day):
 * - Equities: price = ref · exp(β·M + x), M a market factor and x an idiosyncratic factor, both
 *   mean-reverting (Ornstein–Uhlenbeck, half-life 5 sessions) with sd 1.0% (M) and 1.2% (x) per
 *   375-minute session, so a stock moves ≈1.5% per session; β ∈ [0.7, 1.3).
 * - Indices: NSE-style, from the constituents' last traded prices: ref · Σ wᵢ·(ltpᵢ/refᵢ) / Σ wᵢ.
 * - Futures: underlying · (1 + 6.5%·days-to-expiry/365) · exp(small basis noise).
 * - Options (weekly NIFTY and BANKNIFTY chains): Black-Scholes on the index's last price, the time
 *   to 15:30 IST on expiry day, `riskFreeRate` and a volatility smile (simulator-options.ts);
 *   OI random-walks with the trades like futures'.
 * - All prices rounded to the instrument's tick size (indices to 0.05).
 * - Volume: cumulative day volume growing with the U-shaped profile of simulator-profile.ts,
 *   in whole lots; lastQuantity ≤ the volume delta; averagePrice = running day VWAP; reset at
 *   00:00 IST, when prevClose becomes the last price of the previous day. A tick without a trade
 *   (delta 0) keeps ltp and lastQuantity and only moves the quotes.
 * - Ticks: each instrument about every `tickIntervalMs` (default 1000) with ±50% jitter, liquid
 *   names more often (0.7×) and illiquid ones less (1.3×). exchangeTime is the scheduled instant
 *   on the wall clock, so the feed is alive at any hour, weekends included.
 * State changes (starting → live → stopped) are `state` events on `events`.
 * Randomness: one mulberry32 stream seeded by `seed`; ticks depend only on the seed, the start
 * time and the horizon, not on how generation is chunked.
 */
import type { Instrument } from '@/lib/market/instrument';
import { istDayStart, parseIstLocal } from '@/lib/market/session';
import type { Tick } from '@/lib/market/tick';
import type { FeedStatus, TickFeed } from '../feed';
import { SourceEvents, StateTracker } from '../source-events';
import { Prng } from './prng';
import { buildSimulatorUniverse, type SimInstrumentSpec } from './simulator-universe';
import { cumulativeVolumeShare, volumeIntensity } from './simulator-profile';
import { simulatedOptionPrice } from './simulator-options';
import { parseOptionsEnv } from '@/lib/options/config';
import { sleep as realSleep, type SleepFn } from '../sleep';
import { Schedule } from './schedule';

export interface SimulatorOptions {
  /** PRNG seed (default DEFAULT_SIMULATOR_SEED). */
  seed?: number;
  /** Mean interval between two ticks of one instrument, ms (default 1000). */
  tickIntervalMs?: number;
  /** Wall clock, epoch ms (default Date.now); the start time is read once at creation. */
  now?: () => number;
  /** Abortable sleep used by `ticks()` (injectable for tests). */
  sleep?: SleepFn;
  /**
   * `ticks()` emits a batch at most this often, ms (default DEFAULT_SIM_BATCH_MS, 25; SIM_BATCH_MS):
   * each tick waits up to this long after its exchangeTime before it leaves the feed.
   */
  batchWindowMs?: number;
  /** When the clock jumps further than this past the generated horizon, `ticks()` skips ahead instead of back-filling (default 5000). */
  maxCatchUpMs?: number;
  /** Risk-free rate the options are priced with, annualised fraction (default OPTION_RISK_FREE_RATE, 0.065). */
  riskFreeRate?: number;
  /** Include the weekly NIFTY and BANKNIFTY option chains (default true; pricing costs ≈ 10 µs per option tick). */
  optionChains?: boolean;
}

export interface SimulatorFeed extends TickFeed {
  readonly seed: number;
  /** Epoch ms up to which ticks have been generated (starts at the creation time). */
  readonly generatedUntil: number;
  /** Generate every tick with exchangeTime in (generatedUntil, untilMs], in time order. Deterministic. */
  generate(untilMs: number): Tick[];
  /** The universe with each instrument's previous close (rupees) and open interest at the start (history-seed.ts). */
  startingPoint(): { spec: SimInstrumentSpec; prevClose: number; oi: number | null }[];
  /** Risk-free rate the options are priced with, annualised fraction. */
  readonly riskFreeRate: number;
}

export const DEFAULT_SIMULATOR_SEED = 20251229;

/**
 * Default batch cadence of `ticks()`, ms: 25 ms adds at most 25 ms to tick → browser latency
 * (issue 12: p99 ≤ CONFLATE_MS + 100 ms) for ≈ 40 small batches/s through the pipeline
 * (journal append, aggregator, broadcaster); docs/operations.md.
 */
export const DEFAULT_SIM_BATCH_MS = 25;

/** True for a feed made by createSimulatorFeed. */
export function isSimulatorFeed(feed: TickFeed): feed is SimulatorFeed {
  return feed.name === 'simulator' && typeof (feed as Partial<SimulatorFeed>).startingPoint === 'function';
}

const SESSION_MS = 375 * 60_000;
const THETA = Math.LN2 / (5 * SESSION_MS); // OU mean reversion per ms
const MARKET_SIGMA = 0.01 / Math.sqrt(SESSION_MS); // per √ms
const IDIO_SIGMA = 0.012 / Math.sqrt(SESSION_MS);
const BASIS_SIGMA = 0.0005 / Math.sqrt(SESSION_MS);
const CARRY_PER_YEAR = 0.065;
const YEAR_MS = 365 * 24 * 60 * 60_000;
const MAX_VOLUME_DT_MS = 10_000;

interface SimState {
  spec: SimInstrumentSpec;
  token: number;
  beta: number;
  sigma: number;
  /** Idiosyncratic (or basis) log factor and when it was last advanced. */
  x: number;
  xAt: number;
  ltp: number;
  prevClose: number;
  dayStart: number;
  volume: number;
  vwapNumerator: number;
  lastQuantity: number;
  oi: number | null;
  meanInterval: number;
  nextAt: number;
  /** Position in the universe (schedule tie-breaker). */
  order: number;
  expiryMs: number | null;
}

/** Exact Ornstein–Uhlenbeck step of `x` over `dt` ms with noise `z`. */
function ouStep(x: number, dt: number, sigma: number, z: number): number {
  if (dt <= 0) return x;
  const decay = Math.exp(-THETA * dt);
  return x * decay + sigma * Math.sqrt((1 - decay * decay) / (2 * THETA)) * z;
}

function decimalsOf(step: number): number {
  const text = String(step);
  const dot = text.indexOf('.');
  return dot === -1 ? 0 : text.length - dot - 1;
}

/** Round a price to a multiple of `step` (at least one step), without float residue. */
export function roundToStep(price: number, step: number): number {
  const n = Math.max(1, Math.round(price / step));
  return Number((n * step).toFixed(decimalsOf(step)));
}

/** Create the simulator feed. See the module comment for the model. */
export function createSimulatorFeed(options: SimulatorOptions = {}): SimulatorFeed {
  const seed = options.seed ?? DEFAULT_SIMULATOR_SEED;
  const tickIntervalMs = options.tickIntervalMs ?? 1000;
  if (!(tickIntervalMs > 0)) throw new Error(`tickIntervalMs must be > 0, got ${tickIntervalMs}`);
  const clock = options.now ?? Date.now;
  const sleepFn = options.sleep ?? realSleep;
  const batchWindowMs = options.batchWindowMs ?? DEFAULT_SIM_BATCH_MS;
  if (!(batchWindowMs > 0)) throw new Error(`batchWindowMs must be > 0, got ${batchWindowMs}`);
  const maxCatchUpMs = options.maxCatchUpMs ?? 5000;
  const riskFreeRate = options.riskFreeRate ?? parseOptionsEnv().OPTION_RISK_FREE_RATE;

  const startMs = clock();
  const rng = new Prng(seed);
  const universe = buildSimulatorUniverse(startMs).filter((s) => options.optionChains !== false || s.kind !== 'option');
  const instruments: Instrument[] = universe.map((s) => s.instrument);
  const states: SimState[] = [];
  const byToken = new Map<number, SimState>();
  let market = 0;
  let marketAt = startMs;
  let generatedUntil = startMs;
  const events = new SourceEvents();
  const tracker = new StateTracker('simulator', 'starting', events, clock);
  let ticksEmitted = 0;
  let lastTickTime: number | null = null;

  // Initialise in dependency order: equities, then indices (from equities), then futures.
  for (const kind of ['equity', 'index', 'future', 'option'] as const) {
    for (const spec of universe.filter((s) => s.kind === kind)) {
      const st: SimState = {
        spec,
        token: spec.instrument.instrumentToken,
        beta: kind === 'equity' ? 0.7 + 0.6 * rng.next() : 0,
        sigma: kind === 'equity' ? IDIO_SIGMA : BASIS_SIGMA,
        x: kind === 'equity' ? 0.5 * 0.012 * rng.normal() : 0,
        xAt: startMs,
        ltp: 0,
        prevClose: 0,
        dayStart: istDayStart(startMs),
        volume: 0,
        vwapNumerator: 0,
        lastQuantity: 0,
        oi: spec.initialOi !== undefined ? Math.round(spec.initialOi / spec.lot) * spec.lot : null,
        meanInterval: tickIntervalMs * (kind === 'equity' ? 1.3 - 0.6 * spec.liquidity : kind === 'future' ? 0.7 : 1),
        nextAt: 0,
        order: universe.indexOf(spec),
        expiryMs: spec.instrument.expiry ? parseIstLocal(`${spec.instrument.expiry} 15:30:00`) : null,
      };
      byToken.set(st.token, st);
      st.ltp = roundToStep(latentPrice(st, startMs), spec.priceStep);
      st.prevClose = initialPrevClose(st);
      if (spec.lot > 0) {
        st.volume = Math.floor((spec.adv * cumulativeVolumeShare(startMs)) / spec.lot) * spec.lot;
        st.vwapNumerator = st.volume * st.ltp * (1 + 0.002 * rng.normal());
        st.lastQuantity = st.volume > 0 ? spec.lot : 0;
      }
      states.push(st);
    }
  }
  // Tick schedule in universe order (states were built in dependency order).
  states.sort((a, b) => universe.indexOf(a.spec) - universe.indexOf(b.spec));
  for (const st of states) st.nextAt = startMs + 1 + Math.floor(rng.next() * st.meanInterval);
  const schedule = new Schedule<SimState>();
  schedule.reset(states);

  /**
   * Previous close at start: equities ≈1% (sd) away from the first price; indices and futures
   * derived from their members'/underlying's previous close so the day changes agree.
   */
  function initialPrevClose(st: SimState): number {
    const { spec } = st;
    if (spec.kind === 'equity') return roundToStep(st.ltp * Math.exp(0.01 * rng.normal()), spec.priceStep);
    if (spec.kind === 'index') {
      const ratio = memberRatio(spec, (member) => member.prevClose);
      return roundToStep(ratio === null ? st.ltp : spec.refPrice * ratio, spec.priceStep);
    }
    const underlying = byToken.get(spec.underlying ?? -1);
    if (spec.kind === 'option' && spec.option) {
      const years = Math.max(0, (st.expiryMs ?? startMs) - startMs) / YEAR_MS + 1 / 365;
      return roundToStep(simulatedOptionPrice(spec.option, underlying?.prevClose ?? 0, years, riskFreeRate), spec.priceStep);
    }
    const ratio = underlying ? underlying.prevClose / underlying.ltp : 1;
    return roundToStep(st.ltp * ratio * (1 + CARRY_PER_YEAR / 365), spec.priceStep);
  }

  /** Weighted mean of members' `price(member) / reference price` for an index, or null without members. */
  function memberRatio(spec: SimState['spec'], price: (member: SimState) => number): number | null {
    let sum = 0;
    let weights = 0;
    for (const c of spec.components ?? []) {
      const member = byToken.get(c.token);
      if (!member) continue;
      sum += c.weight * (price(member) / member.spec.refPrice);
      weights += c.weight;
    }
    return weights > 0 ? sum / weights : null;
  }

  /** Unrounded price of `st` at `t` from the current factors and members' last prices. */
  function latentPrice(st: SimState, t: number): number {
    const { spec } = st;
    if (spec.kind === 'equity') return spec.refPrice * Math.exp(st.beta * market + st.x);
    if (spec.kind === 'index') {
      const ratio = memberRatio(spec, (member) => member.ltp);
      return ratio === null ? spec.refPrice : spec.refPrice * ratio;
    }
    const underlying = byToken.get(spec.underlying ?? -1);
    if (spec.kind === 'option' && spec.option) {
      const years = st.expiryMs === null ? 0 : Math.max(0, st.expiryMs - t) / YEAR_MS;
      return simulatedOptionPrice(spec.option, underlying?.ltp ?? 0, years, riskFreeRate);
    }
    const base = underlying ? underlying.ltp : spec.refPrice;
    const years = st.expiryMs === null ? 0 : Math.max(0, st.expiryMs - t) / YEAR_MS;
    return base * (1 + CARRY_PER_YEAR * years) * Math.exp(st.x);
  }

  function setQuotes(st: SimState, tick: Tick): void {
    const { priceStep: step, lot, adv, liquidity } = st.spec;
    const spread = step * (1 + Math.floor(rng.next() * (liquidity > 0.5 ? 2 : 4)));
    const atBid = rng.next() < 0.5;
    const bid = atBid ? st.ltp : roundToStep(st.ltp - spread, step);
    const ask = atBid ? roundToStep(st.ltp + spread, step) : st.ltp;
    const base = Math.max(lot, adv / 50_000);
    const qty = () => Math.max(lot, Math.round((base * (0.2 + 1.6 * rng.next())) / lot) * lot);
    tick.bidPrice = bid;
    tick.askPrice = ask > bid ? ask : roundToStep(bid + step, step);
    tick.bidQuantity = qty();
    tick.askQuantity = qty();
  }

  function tickOf(st: SimState, t: number): Tick {
    const { spec } = st;
    const day = istDayStart(t);
    if (day !== st.dayStart) {
      st.prevClose = st.ltp;
      st.volume = 0;
      st.vwapNumerator = 0;
      st.lastQuantity = 0;
      st.dayStart = day;
    }
    const dt = t - st.xAt;
    if (spec.kind === 'equity' || spec.kind === 'future') st.x = ouStep(st.x, dt, st.sigma, rng.normal());
    st.xAt = t;

    if (spec.kind === 'index') {
      st.ltp = roundToStep(latentPrice(st, t), spec.priceStep);
    } else {
      const expected = spec.adv * volumeIntensity(t) * Math.min(dt, MAX_VOLUME_DT_MS);
      const lots = Math.floor((expected / spec.lot) * rng.exponential() + rng.next());
      if (lots > 0) {
        const delta = lots * spec.lot;
        st.ltp = roundToStep(latentPrice(st, t), spec.priceStep);
        st.volume += delta;
        st.vwapNumerator += st.ltp * delta;
        const u = rng.next();
        st.lastQuantity = spec.lot * (1 + Math.floor(u * u * lots)); // ≤ delta, skewed small
        if (st.oi !== null) st.oi = Math.max(spec.lot, st.oi + Math.round(rng.normal() * lots * 0.6) * spec.lot);
      }
    }

    const tick: Tick = {
      instrumentToken: st.token,
      exchange: spec.instrument.exchange,
      tradingsymbol: spec.instrument.tradingsymbol,
      exchangeTime: t,
      ltp: st.ltp,
      lastQuantity: st.lastQuantity,
      volume: st.volume,
      averagePrice: st.volume > 0 ? Math.round((st.vwapNumerator / st.volume) * 100) / 100 : null,
      oi: st.oi,
      bidPrice: null,
      bidQuantity: null,
      askPrice: null,
      askQuantity: null,
      prevClose: st.prevClose,
      feed: 'simulator',
    };
    if (spec.kind !== 'index') setQuotes(st, tick);
    return tick;
  }

  function generate(untilMs: number): Tick[] {
    const out: Tick[] = [];
    for (;;) {
      const next = schedule.peek();
      if (next === undefined || next.nextAt > untilMs) break;
      const t = next.nextAt;
      market = ouStep(market, t - marketAt, MARKET_SIGMA, rng.normal());
      marketAt = t;
      out.push(tickOf(next, t));
      next.nextAt = t + Math.max(1, Math.round(next.meanInterval * (0.5 + rng.next())));
      schedule.rescheduleTop();
    }
    if (untilMs > generatedUntil) generatedUntil = untilMs;
    return out;
  }

  /** Live catch-up after a clock jump: reschedule everyone from `t` instead of back-filling. */
  function skipTo(t: number): void {
    for (const st of states) st.nextAt = t + 1 + Math.floor(rng.next() * st.meanInterval);
    schedule.reset(states);
    generatedUntil = t;
  }

  async function* ticks(signal: AbortSignal): AsyncGenerator<Tick[]> {
    tracker.set('live');
    try {
      while (!signal.aborted) {
        const now = clock();
        if (now - generatedUntil > maxCatchUpMs) skipTo(now);
        const batch = generate(now);
        if (batch.length) {
          ticksEmitted += batch.length;
          lastTickTime = batch[batch.length - 1].exchangeTime;
          yield batch;
        }
        const due = schedule.peek()?.nextAt ?? Number.POSITIVE_INFINITY;
        await sleepFn(Math.max(batchWindowMs, due - clock()), signal);
      }
    } finally {
      tracker.set('stopped');
    }
  }

  return {
    name: 'simulator',
    seed,
    get generatedUntil() {
      return generatedUntil;
    },
    generate,
    riskFreeRate,
    startingPoint: () => states.map((st) => ({ spec: st.spec, prevClose: st.prevClose, oi: st.oi })),
    instruments: () => instruments.slice(),
    ticks,
    now: () => clock(),
    status: (): FeedStatus => ({
      name: 'simulator',
      state: tracker.state,
      ticksEmitted,
      lastTickTime,
      detail: `${instruments.length} instruments, seed ${seed}, mean tick interval ${tickIntervalMs} ms`,
    }),
    events,
  };
}
