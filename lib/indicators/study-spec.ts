/**
 * Study identifiers shared by GET /api/indicators, the chart and the scanner:
 *
 *   sma:20   ema:50   vwap   bb:20:2   rsi:14   macd:12:26:9
 *
 * `parseStudyId` turns one such id into a StudySpec (or an error message naming the id);
 * `studyId` gives the canonical id back (`bb:20:2`, never `bb:20:2.0`). Periods are candles,
 * 1…500; the Bollinger multiplier is a number of standard deviations, 0.1…10.
 * Pure: no I/O, safe in the browser, the web app and the worker.
 */

export type StudySpec =
  | { kind: 'sma'; period: number }
  | { kind: 'ema'; period: number }
  | { kind: 'vwap' }
  | { kind: 'bb'; period: number; multiplier: number }
  | { kind: 'rsi'; period: number }
  | { kind: 'macd'; fast: number; slow: number; signal: number };

export type StudyKind = StudySpec['kind'];

export const STUDY_KINDS: readonly StudyKind[] = ['sma', 'ema', 'vwap', 'bb', 'rsi', 'macd'];

/** The default spec of each kind (the scanner's and Kite's defaults). */
export const DEFAULT_STUDIES: { [K in StudyKind]: Extract<StudySpec, { kind: K }> } = {
  sma: { kind: 'sma', period: 20 },
  ema: { kind: 'ema', period: 50 },
  vwap: { kind: 'vwap' },
  bb: { kind: 'bb', period: 20, multiplier: 2 },
  rsi: { kind: 'rsi', period: 14 },
  macd: { kind: 'macd', fast: 12, slow: 26, signal: 9 },
};

export const MAX_PERIOD = 500;

/** Human form of the accepted ids, for error messages. */
export const STUDY_SYNTAX = 'sma:N, ema:N, vwap, bb:N:K, rsi:N or macd:FAST:SLOW:SIGNAL';

/** Canonical id of a spec: `macd:12:26:9`. */
export function studyId(spec: StudySpec): string {
  switch (spec.kind) {
    case 'vwap':
      return 'vwap';
    case 'bb':
      return `bb:${spec.period}:${spec.multiplier}`;
    case 'macd':
      return `macd:${spec.fast}:${spec.slow}:${spec.signal}`;
    default:
      return `${spec.kind}:${spec.period}`;
  }
}

/** Short label for legends: `RSI 14`, `BB 20 2`, `VWAP`. */
export function studyLabel(spec: StudySpec): string {
  return studyId(spec).toUpperCase().split(':').join(' ');
}

const period = (text: string | undefined, what: string): number | string => {
  if (text === undefined || !/^\d+$/.test(text)) return `${what} must be an integer`;
  const n = Number(text);
  if (n < 1 || n > MAX_PERIOD) return `${what} must be 1…${MAX_PERIOD}`;
  return n;
};

/**
 * Parse one study id. Returns the spec, or a message such as
 * `"rsi:0": period must be 1…500`. A kind alone (`rsi`) takes its default parameters.
 */
export function parseStudyId(text: string): StudySpec | string {
  const [kind, ...args] = text.trim().toLowerCase().split(':');
  const fail = (message: string) => `"${text}": ${message}`;
  if (!(STUDY_KINDS as readonly string[]).includes(kind)) return fail(`unknown study (expected ${STUDY_SYNTAX})`);
  const k = kind as StudyKind;
  if (args.length === 0) return DEFAULT_STUDIES[k];
  const arity = { sma: 1, ema: 1, vwap: 0, bb: 2, rsi: 1, macd: 3 }[k];
  if (args.length !== arity) return fail(`expected ${arity} parameter${arity === 1 ? '' : 's'} (${STUDY_SYNTAX})`);
  const nums = args.map((a, i) => (k === 'bb' && i === 1 ? a : period(a, k === 'macd' ? ['fast', 'slow', 'signal'][i] : 'period')));
  const bad = nums.find((n) => typeof n === 'string' && k !== 'bb');
  if (typeof bad === 'string') return fail(bad);
  switch (k) {
    case 'sma':
    case 'ema':
    case 'rsi':
      return { kind: k, period: nums[0] as number };
    case 'bb': {
      if (typeof nums[0] === 'string') return fail(nums[0]);
      const multiplier = Number(args[1]);
      if (!/^\d+(\.\d+)?$/.test(args[1]) || multiplier < 0.1 || multiplier > 10) return fail('multiplier must be a number 0.1…10');
      return { kind: 'bb', period: nums[0], multiplier };
    }
    case 'macd': {
      const [fast, slow, signal] = nums as number[];
      if (fast >= slow) return fail('fast must be shorter than slow');
      return { kind: 'macd', fast, slow, signal };
    }
    default:
      return fail('unexpected parameters');
  }
}

/** True for the studies drawn on the price scale (overlays); the others get their own pane. */
export function isOverlay(spec: StudySpec): boolean {
  return spec.kind === 'sma' || spec.kind === 'ema' || spec.kind === 'vwap' || spec.kind === 'bb';
}
