/**
 * worker/pipeline/tick-buffer.ts: a backlog is written in full `maxBatch` statements that span
 * journal segments (segments are sealed every `segmentTicks`), in order, each tick once, and
 * the journal is emptied as segments are written.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StoredTick } from '@/lib/db/queries/ticks';
import { TickBuffer } from '@/worker/pipeline/tick-buffer';
import { TickJournal } from '@/worker/storage/journal';
import { makeTick } from '../support/ticks';

const tick = (n: number): StoredTick => ({ ...makeTick({ instrumentToken: 1, tradingsymbol: 'X', exchangeTime: 1_700_000_000_000 + n, ltp: 100, volume: n }), seq: 0 });

describe('tick buffer batches', () => {
  it('writes a backlog in full batches across sealed segments, in order, once', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tick-buffer-'));
    const { journal } = TickJournal.open(dir);
    const batches: number[][] = [];
    let release!: () => void;
    const firstWrite = new Promise<void>((resolve) => (release = resolve));
    const buffer = new TickBuffer({
      flushSize: 1000,
      flushIntervalMs: 60_000,
      maxBatch: 10_000,
      segmentTicks: 3_000, // segments smaller than a batch: a full batch must span several
      journal,
      write: async (ticks) => {
        batches.push(ticks.map((t) => t.volume));
        if (batches.length === 1) await firstWrite;
        return ticks.length;
      },
    });
    for (let i = 0; i < 25; i++) buffer.push(Array.from({ length: 1000 }, (_, j) => tick(i * 1000 + j)));
    release();
    expect(await buffer.drain()).toBe(true);
    buffer.stop();
    // (the first write starts after the synchronous pushes: all 25k are pending by then)
    expect(batches.map((b) => b.length)).toEqual([10_000, 10_000, 5_000]);
    expect(batches.flat()).toEqual(Array.from({ length: 25_000 }, (_, n) => n));
    expect(buffer.stats.written).toBe(25_000);
    expect(readdirSync(dir).filter((f) => f.startsWith('ticks-'))).toEqual([]);
  });
});
