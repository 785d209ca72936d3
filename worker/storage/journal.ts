/**
 * Append-only on-disk tick journal (write-ahead): every tick the pipeline accepts is appended
 * here before anything else happens to it, so a SIGKILL, a crash or a database outage cannot
 * lose it. Segments are files `ticks-<id>.bin` (ids increasing) in the journal folder (default
 * DATA_DIR/journal). A segment is deleted once all its ticks are in the database; on start,
 * leftover segments are replayed in id order (the inserts are idempotent, so ticks that did
 * reach the database before the crash are not doubled).
 *
 * Format: one record per append: u32 payload length, u32 CRC-32 of the payload (both
 * little-endian), then the payload, a tick batch in lib/market/tick-codec.ts's binary form
 * (lossless; ~6× cheaper to write than the JSON lines of earlier versions, whose
 * `ticks-<id>.jsonl` segments are still read, so an upgrade loses nothing).
 *
 * Durability: appends are synchronous `write(2)`s, so once `append` returns the bytes are in
 * the kernel and survive the process being killed; a sealed segment is fsynced (in the
 * background; on `close`, before returning). A torn last record (power loss mid-write) is
 * skipped on read, as is a record whose CRC does not match (never decoded into ticks; counted
 * per recovered segment in `damagedRecords`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import type { StoredTick } from '@/lib/db/queries/ticks';
import { decodeTickBatch, encodeTickBatch } from '@/lib/market/tick-codec';

export interface JournalSegment {
  id: number;
  /** Ticks in the file. */
  count: number;
  bytes: number;
  /** Last modification of the file, epoch ms (≈ when its newest tick was accepted). */
  modifiedAt: number;
  /**
   * Whole records whose CRC did not match (damaged on disk: their ticks are skipped, never
   * decoded). A torn last record is not counted: it was never acknowledged to the feed.
   */
  damagedRecords: number;
}

const NAME = /^ticks-(\d{12})\.(bin|jsonl)$/;
const RECORD_HEADER = 8;

export class TickJournal {
  private active: { id: number; fd: number } | null = null;
  private nextId: number;
  private readonly sizes = new Map<number, number>();
  /** Segments left by a version that wrote JSON lines (read, then deleted, as any other). */
  private readonly legacy = new Set<number>();
  /** Segment files being deleted in the background (see `remove`). */
  private readonly removing = new Set<string>();

  private constructor(
    readonly dir: string,
    lastId: number,
  ) {
    this.nextId = lastId + 1;
  }

  /**
   * Open (creating) the journal folder. Returns the journal and the segments left by a previous
   * run, oldest first, to be replayed before new ticks. Throws on a folder that cannot be created.
   */
  static open(dir: string): { journal: TickJournal; recovered: JournalSegment[] } {
    fs.mkdirSync(dir, { recursive: true });
    const found = fs
      .readdirSync(dir)
      .map((name) => NAME.exec(name))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ id: Number(m[1]), legacy: m[2] === 'jsonl' }))
      .sort((a, b) => a.id - b.id);
    const ids = found.map((f) => f.id);
    const journal = new TickJournal(dir, ids.at(-1) ?? 0);
    for (const f of found) if (f.legacy) journal.legacy.add(f.id);
    const recovered = ids.map((id) => {
      const file = journal.file(id);
      const stat = fs.statSync(file);
      journal.sizes.set(id, stat.size);
      const { ticks, damaged } = journal.readRecords(id);
      return { id, count: ticks.length, bytes: stat.size, modifiedAt: stat.mtimeMs, damagedRecords: damaged };
    });
    return { journal, recovered };
  }

  private file(id: number): string {
    return path.join(this.dir, `ticks-${String(id).padStart(12, '0')}.${this.legacy.has(id) ? 'jsonl' : 'bin'}`);
  }

  /** Id of the segment appends go to (opened on the next append when none is). */
  get activeId(): number | null {
    return this.active?.id ?? null;
  }

  /** Total bytes of all segment files. */
  get bytes(): number {
    let total = 0;
    for (const size of this.sizes.values()) total += size;
    return total;
  }

  /** Number of segment files. */
  get segments(): number {
    return this.sizes.size;
  }

  /** Append ticks to the active segment (opening one if needed); returns its id. Throws on I/O errors. */
  append(ticks: readonly StoredTick[]): number {
    if (!this.active) {
      const id = this.nextId++;
      this.active = { id, fd: fs.openSync(this.file(id), 'a') };
      this.sizes.set(id, 0);
    }
    const payload = encodeTickBatch(ticks);
    const bytes = new Uint8Array(RECORD_HEADER + payload.length);
    const view = new DataView(bytes.buffer);
    view.setUint32(0, payload.length, true);
    view.setUint32(4, crc32(payload), true);
    bytes.set(payload, RECORD_HEADER);
    let offset = 0;
    while (offset < bytes.length) offset += fs.writeSync(this.active.fd, bytes, offset);
    this.sizes.set(this.active.id, (this.sizes.get(this.active.id) ?? 0) + bytes.length);
    return this.active.id;
  }

  /**
   * Close the active segment; the next append starts a new one. The fsync and close run on
   * libuv's pool, off the calling thread (a synchronous fsync of a 10k-tick segment blocked the
   * serving thread for 10–50 ms, more under disk load): the appends are already in the kernel
   * (they survive the process dying), the fsync only adds power-loss safety a moment later.
   */
  seal(): void {
    if (!this.active) return;
    const { fd } = this.active;
    this.active = null;
    fs.fsync(fd, () => fs.close(fd, () => {}));
  }

  /** `seal`, with the fsync and close done before returning (shutdown). */
  private sealNow(): void {
    if (!this.active) return;
    try {
      fs.fsyncSync(this.active.fd);
    } finally {
      fs.closeSync(this.active.fd);
      this.active = null;
    }
  }

  /** The ticks of a segment, in append order (a torn last record, or one failing its CRC, is skipped). */
  read(id: number): StoredTick[] {
    return this.readRecords(id).ticks;
  }

  /** `read`, with the number of records skipped for a CRC mismatch. */
  private readRecords(id: number): { ticks: StoredTick[]; damaged: number } {
    if (this.legacy.has(id)) return { ticks: this.readJsonLines(id), damaged: 0 };
    const bytes = fs.readFileSync(this.file(id));
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const ticks: StoredTick[] = [];
    let damaged = 0;
    for (let at = 0; at + RECORD_HEADER <= bytes.length; ) {
      const length = view.getUint32(at, true);
      const end = at + RECORD_HEADER + length;
      if (end > bytes.length) break; // torn write at the end: never acknowledged to the feed
      const payload = bytes.subarray(at + RECORD_HEADER, end);
      if (crc32(payload) === view.getUint32(at + 4, true)) {
        for (const tick of decodeTickBatch(payload)) ticks.push(tick as StoredTick);
      } else damaged++;
      at = end;
    }
    return { ticks, damaged };
  }

  /** A segment written as JSON lines by an earlier version (a torn last line is skipped). */
  private readJsonLines(id: number): StoredTick[] {
    const text = fs.readFileSync(this.file(id), 'utf8');
    const ticks: StoredTick[] = [];
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        ticks.push(JSON.parse(line) as StoredTick);
      } catch {
        // torn write at the end of the file: the tick was never acknowledged to the feed
      }
    }
    return ticks;
  }

  /**
   * Delete a segment whose ticks are all stored (seals it first if it is the active one). The
   * unlink runs on libuv's pool: done synchronously it waited for the segment's background
   * fsync (same inode) and blocked the serving thread ~7 ms per segment at max-speed ingest. A
   * segment whose unlink has not happened when the process dies is replayed at the next start,
   * storing nothing twice (the writes are idempotent). `close` finishes pending unlinks.
   * `onError` receives a failed unlink (the file stays and is replayed at the next start).
   */
  remove(id: number, onError?: (error: Error) => void): void {
    if (this.active?.id === id) this.seal();
    const file = this.file(id);
    this.removing.add(file);
    fs.rm(file, { force: true }, (error) => {
      this.removing.delete(file);
      if (error) onError?.(error);
    });
    this.sizes.delete(id);
    this.legacy.delete(id);
  }

  /** Seal the active segment (fsynced before returning) and finish pending deletions; unwritten segments stay for the next start. */
  close(): void {
    this.sealNow();
    for (const file of this.removing) fs.rmSync(file, { force: true });
    this.removing.clear();
  }
}
