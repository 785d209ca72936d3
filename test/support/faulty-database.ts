/**
 * A real Database (the embedded TimescaleDB) behind a switch that makes it unavailable, for
 * fault tests: `refuse` fails every statement at once (server stopped / refusing connections),
 * `hang` delays every statement by `hangMs` and then runs it (a timeout whose write still
 * commits: the writer waits for it before its next attempt and counts it once).
 */
import type { Database } from '@/lib/db/client';

export type FaultMode = 'ok' | 'refuse' | 'hang';

export interface FaultyDatabase extends Database {
  mode: FaultMode;
  hangMs: number;
  /** Statements refused or delayed so far. */
  faults: number;
}

export function faultyDatabase(inner: Database): FaultyDatabase {
  const gate = async () => {
    if (db.mode === 'refuse') {
      db.faults++;
      throw new Error('connect ECONNREFUSED 127.0.0.1:5432 (simulated outage)');
    }
    if (db.mode === 'hang') {
      db.faults++;
      await new Promise((r) => setTimeout(r, db.hangMs));
    }
  };
  const db: FaultyDatabase = {
    mode: 'ok',
    hangMs: 500,
    faults: 0,
    kind: inner.kind,
    get orm() {
      return inner.orm;
    },
    async rows(query) {
      await gate();
      return inner.rows(query);
    },
    async query(text, params) {
      await gate();
      return inner.query(text, params);
    },
    async copyFrom(table, columns, payload, format) {
      await gate();
      return inner.copyFrom(table, columns, payload, format);
    },
    close: () => inner.close(),
  };
  return db;
}
