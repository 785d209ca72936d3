/**
 * Append-only on-disk tick journal (write-ahead): every tick the pipeline accepts is appended
 * here before anything else happens to it, so a SIGKILL, a crash or a database outage cannot
 * lose it. Segments are files `ticks-<id>.jsonl` (one JSON tick per line, ids increasing) in
 * the journal folder (default DATA_DIR/journal). A segment is deleted once all its ticks are
 * in the database; on start, leftover segments are replayed in id order (the inserts are
 * idempotent, so ticks that did reach the database before the crash are not doubled).
 *
 * Durability: appends are synchronous `write(2)`s, so once `append` returns the bytes are in
 * the kernel and survive the process being killed; a sealed segment is fsynced (in the
 * background; on `close`, before returning). A torn last
 * line (power loss mid-write) is skipped on read.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { StoredTick } from '@/lib/db/queries/ticks';

export interface JournalSegment {
  id: number;
  /** Ticks in the file. */
  count: number;
  bytes: number;
  /** Last modification of the file, epoch ms (≈ when its newest tick was accepted). */
  modifiedAt: number;
}

const NAME = /^ticks-(\d{12})\.jsonl$/;

export class TickJournal {
  private active: { id: number; fd: number } | null = null;
  private nextId: number;
  private readonly sizes = new Map<number, number>();

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
    const ids = fs
      .readdirSync(dir)
      .map((name) => NAME.exec(name))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]))
      .sort((a, b) => a - b);
    const journal = new TickJournal(dir, ids.at(-1) ?? 0);
    const recovered = ids.map((id) => {
      const file = journal.file(id);
      const stat = fs.statSync(file);
      journal.sizes.set(id, stat.size);
      return { id, count: journal.read(id).length, bytes: stat.size, modifiedAt: stat.mtimeMs };
    });
    return { journal, recovered };
  }

  private file(id: number): string {
    return path.join(this.dir, `ticks-${String(id).padStart(12, '0')}.jsonl`);
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
    let text = '';
    for (const tick of ticks) text += `${JSON.stringify(tick)}\n`;
    const bytes = Buffer.from(text);
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

  /** The ticks of a segment, in append order (a torn last line is skipped). */
  read(id: number): StoredTick[] {
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

  /** Delete a segment whose ticks are all stored (seals it first if it is the active one). */
  remove(id: number): void {
    if (this.active?.id === id) this.seal();
    fs.rmSync(this.file(id), { force: true });
    this.sizes.delete(id);
  }

  /** Seal the active segment (fsynced before returning); files stay for the next start. */
  close(): void {
    this.sealNow();
  }
}
