/**
 * Independent study references (textbook formulas written from scratch, no trading-signals) for
 * the studies' unit and API tests. Every function returns one entry per input, null while the
 * study is undefined. Prices rupees; buckets epoch ms UTC.
 */
const IST_OFFSET_MS = 330 * 60_000;
const DAY_MS = 86_400_000;

export function smaRef(values: number[], n: number): (number | null)[] {
  return values.map((_, i) => (i + 1 < n ? null : values.slice(i + 1 - n, i + 1).reduce((a, b) => a + b, 0) / n));
}

function rawEma(values: number[], n: number): number[] {
  const alpha = 2 / (n + 1);
  const out: number[] = [];
  values.forEach((v, i) => out.push(i === 0 ? v : alpha * v + (1 - alpha) * out[i - 1]));
  return out;
}

/** EMA, α = 2/(n+1), seeded with the first value; null before n inputs. */
export function emaRef(values: number[], n: number): (number | null)[] {
  return rawEma(values, n).map((e, i) => (i + 1 < n ? null : e));
}

/** Wilder's RSI: first averages are simple means of the first n changes, then (prev·(n−1) + x)/n. */
export function rsiRef(values: number[], n: number): (number | null)[] {
  const out: (number | null)[] = [null];
  let gain = 0;
  let loss = 0;
  for (let i = 1; i < values.length; i += 1) {
    const change = values[i] - values[i - 1];
    const g = Math.max(change, 0);
    const l = Math.max(-change, 0);
    if (i <= n) {
      gain += g / n;
      loss += l / n;
      if (i < n) {
        out.push(null);
        continue;
      }
    } else {
      gain = (gain * (n - 1) + g) / n;
      loss = (loss * (n - 1) + l) / n;
    }
    out.push(loss === 0 ? 100 : 100 - 100 / (1 + gain / loss));
  }
  return out;
}

/** MACD: EMA fast − EMA slow from the slow-th value; signal = EMA of that line from its first value. */
export function macdRef(values: number[], fast: number, slow: number, signal: number) {
  const f = rawEma(values, fast);
  const s = rawEma(values, slow);
  const line = values.map((_, i) => f[i] - s[i]).slice(slow - 1);
  const sig = rawEma(line, signal);
  return values.map((_, i) => {
    const k = i - (slow - 1);
    if (k < signal - 1) return null;
    return { macd: line[k], signal: sig[k], histogram: line[k] - sig[k] };
  });
}

/** Bollinger: SMA n ± k population standard deviations. */
export function bollingerRef(values: number[], n: number, k: number) {
  return values.map((_, i) => {
    if (i + 1 < n) return null;
    const window = values.slice(i + 1 - n, i + 1);
    const mean = window.reduce((a, b) => a + b, 0) / n;
    const sd = Math.sqrt(window.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
    return { upper: mean + k * sd, middle: mean, lower: mean - k * sd };
  });
}

/** Session VWAP: Σ (H+L+C)/3 · V ÷ Σ V over the IST day's candles so far; null until the day has volume. */
export function vwapRef(candles: { bucket: number; high: number; low: number; close: number; volume: number }[]): (number | null)[] {
  let day = Number.NaN;
  let pv = 0;
  let v = 0;
  return candles.map((c) => {
    const d = Math.floor((c.bucket + IST_OFFSET_MS) / DAY_MS);
    if (d !== day) {
      day = d;
      pv = 0;
      v = 0;
    }
    pv += ((c.high + c.low + c.close) / 3) * c.volume;
    v += c.volume;
    return v > 0 ? pv / v : null;
  });
}

/** Deterministic 1m candles over `sessions` weekdays from 09:15 IST (drift, cycle, LCG noise). */
export function syntheticSessions(firstDayIst: string, sessions: number, perSession = 375, seed = 11) {
  let state = seed;
  const rand = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) - 0.5;
  const out: { bucket: number; open: number; high: number; low: number; close: number; volume: number }[] = [];
  let day = Date.parse(`${firstDayIst}T00:00:00+05:30`);
  let p = 1500;
  let made = 0;
  while (made < sessions) {
    const weekday = new Date(day + IST_OFFSET_MS).getUTCDay();
    if (weekday !== 0 && weekday !== 6) {
      for (let m = 0; m < perSession; m += 1) {
        const open = p;
        p = Math.round(p * (1 + 0.002 * Math.sin((made * perSession + m) / 25) + 0.004 * rand()) * 100) / 100;
        const high = Math.max(open, p) + 0.5;
        const low = Math.min(open, p) - 0.5;
        out.push({ bucket: day + (555 + m) * 60_000, open, high, low, close: p, volume: 100 + Math.round(400 * (rand() + 0.5)) });
      }
      made += 1;
    }
    day += DAY_MS;
  }
  return out;
}
