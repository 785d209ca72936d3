/**
 * worker/storage/journal.ts and worker/storage/tick-sequencer.ts, the zero-loss path's first
 * steps: what is appended is read back exactly after a reopen (binary records); a torn last
 * record and a record failing its CRC are skipped, never decoded into ticks, and the records
 * around them are kept (the damaged one counted in the buffer's journalErrors); a JSON-lines segment from an earlier version is still replayed; the
 * sequencer's stored ticks carry every contract field and their seq without touching the input.
 */
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tickSchema, type Tick } from '@/lib/contracts/tick';
import type { StoredTick } from '@/lib/db/queries/ticks';
import { TickBuffer } from '@/worker/pipeline/tick-buffer';
import { TickJournal } from '@/worker/storage/journal';
import { TickSequencer, withSeq } from '@/worker/storage/tick-sequencer';
import { makeTick } from '../support/ticks';

const at = (n: number, fields: Partial<Tick> = {}): Tick =>
  makeTick({ instrumentToken: 7, tradingsymbol: 'INFY', exchangeTime: 1_767_000_000_000 + n, ltp: 1600 + n / 20, volume: n, ...fields });
const stored = (n: number, fields: Partial<Tick> = {}): StoredTick => ({ ...at(n, fields), seq: 0 });
const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'tick-journal-'));

describe('tick journal', () => {
  it('reads back exactly what was appended, across segments, after a reopen', () => {
    const dir = tmp();
    const { journal } = TickJournal.open(dir);
    const first = [stored(1, { depth: { buy: [{ price: 1600, quantity: 5, orders: 2 }], sell: [] }, prevClose: 1590 }), stored(2)];
    const second = [stored(3, { exchange: 'NFO', tradingsymbol: 'NIFTY25DEC26000CE', oi: 125_000 })];
    const a = journal.append(first);
    expect(journal.append([stored(4)])).toBe(a);
    journal.seal();
    const b = journal.append(second);
    journal.close();
    expect(b).toBeGreaterThan(a);
    const reopened = TickJournal.open(dir);
    expect(reopened.recovered.map((s) => [s.id, s.count, s.damagedRecords])).toEqual([[a, 3, 0], [b, 1, 0]]);
    expect(reopened.journal.read(a)).toStrictEqual([...first, stored(4)]);
    expect(reopened.journal.read(b)).toStrictEqual(second);
    expect(reopened.journal.append([stored(5)])).toBe(b + 1); // new ids continue after the leftovers
  });

  it('skips a torn last record and a record whose CRC fails, keeping the others', () => {
    const dir = tmp();
    const { journal } = TickJournal.open(dir);
    const id = journal.append([stored(1)]);
    journal.append([stored(2), stored(3)]);
    journal.append([stored(4)]);
    journal.close();
    const file = path.join(dir, readdirSync(dir)[0]);
    const bytes = readFileSync(file);
    const recordLength = (offset: number) => 8 + bytes.readUInt32LE(offset);
    const second = recordLength(0);
    const damaged = Buffer.from(bytes);
    damaged[second + 8 + 40] ^= 0x01; // a bit flipped inside the second record's ticks
    writeFileSync(file, damaged);
    appendFileSync(file, bytes.subarray(0, 20)); // a record cut short by power loss
    const reopened = TickJournal.open(dir);
    expect(reopened.journal.read(id).map((t) => t.volume)).toEqual([1, 4]);
    // The damaged record is counted (the torn tail, never acknowledged, is not) and reported.
    expect(reopened.recovered.map((s) => [s.count, s.damagedRecords])).toEqual([[2, 1]]);
    const buffer = new TickBuffer({ flushSize: 1000, flushIntervalMs: 60_000, journal: reopened.journal, write: async () => {} });
    buffer.recover(reopened.recovered);
    expect(buffer.stats).toMatchObject({ recoveredTicks: 2, journalErrors: 1, lastError: expect.stringMatching(/1 damaged record/) });
  });

  it('replays a JSON-lines segment left by an earlier version, then deletes it', () => {
    const dir = tmp();
    const old = [stored(1), { ...stored(1), seq: 1 }];
    writeFileSync(path.join(dir, 'ticks-000000000007.jsonl'), `${old.map((t) => JSON.stringify(t)).join('\n')}\n{"instrumentTok`);
    const { journal, recovered } = TickJournal.open(dir);
    expect(recovered.map((s) => [s.id, s.count])).toEqual([[7, 2]]);
    expect(journal.read(7)).toEqual(old);
    expect(journal.append([stored(2)])).toBe(8);
    journal.remove(7);
    journal.close();
    expect(readdirSync(dir)).toEqual(['ticks-000000000008.bin']);
  });
});

describe('tick sequencer', () => {
  it('numbers look-alike ticks within one exchange time, from 0 again at the next', () => {
    const sequencer = new TickSequencer();
    const input = [at(1), at(1), at(1, { ltp: 1 }), at(1), at(2)];
    const before = structuredClone(input);
    expect(sequencer.assign(input).map((t) => t.seq)).toEqual([0, 1, 0, 2, 0]);
    expect(sequencer.assign([at(2), at(1)]).map((t) => t.seq)).toEqual([1, 0]);
    expect(input).toStrictEqual(before); // the input is not modified
  });

  it('carries every field of the Tick contract into the stored tick', () => {
    const full: Tick = { ...at(1), depth: { buy: [], sell: [] }, prevClose: null, averagePrice: 1601.6, oi: 10 };
    expect(Object.keys(full).sort()).toEqual(Object.keys(tickSchema.shape).sort());
    expect(withSeq(full, 3)).toStrictEqual({ ...full, seq: 3 });
    expect(Object.keys(withSeq(at(1), 0)).sort()).toEqual([...Object.keys(at(1)), 'seq'].sort()); // absent stays absent
  });
});
