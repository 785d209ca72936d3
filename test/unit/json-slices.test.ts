/** lib/http/json-slices.ts: pieces concatenate to JSON.stringify, and other work runs between them. */
import { describe, expect, it } from 'vitest';
import { jsonSlices } from '@/lib/http/json-slices';

async function pieces(items: readonly unknown[], options?: Parameters<typeof jsonSlices>[1]) {
  const out: string[] = [];
  for await (const piece of jsonSlices(items, options)) out.push(piece);
  return out;
}

describe('jsonSlices', () => {
  it('equals prefix + JSON.stringify + suffix, for empty, short, exact and ragged arrays', async () => {
    const items = Array.from({ length: 1234 }, (_, i) => ({ bucket: new Date(i * 60_000), close: i / 3, oi: i % 2 ? null : i, x: undefined }));
    for (const list of [[], items.slice(0, 1), items.slice(0, 500), items.slice(0, 1000), items]) {
      const text = (await pieces(list, { prefix: '{"candles":', suffix: '}' })).join('');
      expect(text).toBe(`{"candles":${JSON.stringify(list)}}`);
    }
    expect((await pieces([1, undefined, 'a"b'], { sliceItems: 1 })).join('')).toBe(JSON.stringify([1, undefined, 'a"b']));
  });

  it('lets callbacks queued on the event loop run between pieces', async () => {
    const items = Array.from({ length: 5000 }, (_, i) => i);
    let ran = false;
    setImmediate(() => (ran = true));
    let piecesSeen = 0;
    let ranBeforeLast = false;
    for await (const piece of jsonSlices(items, { sliceItems: 100 })) {
      piecesSeen++;
      if (piece.endsWith(']')) ranBeforeLast = ran;
    }
    expect(piecesSeen).toBe(51);
    expect(ranBeforeLast).toBe(true);
  });
});
