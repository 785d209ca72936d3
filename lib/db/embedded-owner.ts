/**
 * Single-owner guard for the embedded database folder. PGlite is one backend in one process
 * (../shared/notes/platform.md quirk 4): two processes opening the same folder would corrupt
 * it. The owner writes DATA_DIR/owner.json ({ pid, url, startedAt }); another process that
 * finds a live owner refuses to open the folder and says which process holds it.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface EmbeddedOwner {
  pid: number;
  /** Where the owner serves HTTP (e.g. http://localhost:3000), if it does. */
  url: string | null;
  startedAt: string;
}

export class DatabaseInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly owner: EmbeddedOwner,
  ) {
    super(
      `The embedded database in ${dataDir} is in use by process ${owner.pid}` +
        (owner.url ? ` (the app at ${owner.url})` : '') +
        `. Stop it first (Ctrl+C in its terminal, or kill ${owner.pid}), or point DATA_DIR elsewhere.`,
    );
  }
}

const ownerFile = (dataDir: string) => path.join(dataDir, 'owner.json');

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The live owner of `dataDir`, or null (a stale owner file from a crashed process counts as none). */
export function readEmbeddedOwner(dataDir: string): EmbeddedOwner | null {
  try {
    const owner = JSON.parse(readFileSync(ownerFile(dataDir), 'utf8')) as EmbeddedOwner;
    return owner.pid !== process.pid && isAlive(owner.pid) ? owner : null;
  } catch {
    return null;
  }
}

/**
 * Claim `dataDir` for this process. Throws DatabaseInUseError when another live process owns it.
 * Returns a release function (also run on normal process exit).
 */
export function claimEmbeddedDatabase(dataDir: string, url: string | null = null): () => void {
  const owner = readEmbeddedOwner(dataDir);
  if (owner) throw new DatabaseInUseError(dataDir, owner);
  mkdirSync(dataDir, { recursive: true });
  const mine: EmbeddedOwner = { pid: process.pid, url, startedAt: new Date().toISOString() };
  writeFileSync(ownerFile(dataDir), JSON.stringify(mine));
  const release = () => {
    try {
      const current = JSON.parse(readFileSync(ownerFile(dataDir), 'utf8')) as EmbeddedOwner;
      if (current.pid === process.pid) rmSync(ownerFile(dataDir));
    } catch {
      /* already gone */
    }
  };
  process.once('exit', release);
  return release;
}

/** Folder inside DATA_DIR that holds the PGlite cluster. */
export function embeddedClusterDir(dataDir: string): string {
  return path.join(dataDir, 'pgdata');
}
