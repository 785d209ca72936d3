/**
 * JSON text of a large array, produced in bounded slices that let the event loop serve other
 * requests in between (issue 12 point 1: a 31-day 1m candle response is ~8,000 candles, ~0.8 MB
 * of JSON; stringified in one go, 200 of them in a row stalled the serving thread for hundreds
 * of ms, and `/api/health` with it).
 *
 * `jsonSlices(items, { prefix, suffix })` yields `prefix + '[' + …items… + ']' + suffix` in
 * pieces of `sliceItems` items (default 500), with a `setImmediate` turn before each piece
 * after the first. Concatenated, the pieces equal `prefix + JSON.stringify(items) + suffix`
 * (items are stringified with JSON.stringify; `undefined` and functions become `null`, as in
 * arrays). Use as a Node response body (`for await … res.write`) or a web `Response` body
 * (`ReadableStream.from(jsonSlices(…))`).
 */
import { setImmediate as nextTurn } from 'node:timers/promises';

export interface JsonSliceOptions {
  /** Text before the array, e.g. `{"candles":` (default none). */
  prefix?: string;
  /** Text after the array, e.g. `}` (default none). */
  suffix?: string;
  /** Items per piece (default 500). */
  sliceItems?: number;
}

/** See the file comment. */
export async function* jsonSlices(items: readonly unknown[], options: JsonSliceOptions = {}): AsyncGenerator<string> {
  const size = Math.max(1, options.sliceItems ?? 500);
  let text = `${options.prefix ?? ''}[`;
  for (let at = 0; at < items.length; at += size) {
    if (at > 0) await nextTurn();
    const slice = JSON.stringify(items.slice(at, at + size));
    text += (at > 0 ? ',' : '') + slice.slice(1, -1);
    yield text;
    text = '';
  }
  yield `${text}]${options.suffix ?? ''}`;
}
