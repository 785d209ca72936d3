/**
 * Wraps a Database so a bench can say where database time goes: wall time and count per
 * statement kind (COPY, or the first words of the SQL: "INSERT INTO candles_1m", "CALL
 * refresh_continuous_aggregate", …), measured around each call on the calling thread (so it
 * includes the hop to the database thread and any wait behind another statement).
 */
import type { Database } from '@/lib/db/client';

export interface StatementTiming {
  kind: string;
  count: number;
  ms: number;
}

type WithThreadTimings = Database & { threadTimings?: () => StatementTiming[] };

/**
 * Execution time on the embedded database thread per statement kind since `before` (queueing
 * excluded; lib/db/embedded-thread-client.ts threadTimings), or null for other databases.
 */
export function threadTimingsSince(db: Database, before: StatementTiming[] | null): StatementTiming[] | null {
  const now = (db as WithThreadTimings).threadTimings?.();
  if (!now) return null;
  const earlier = new Map((before ?? []).map((t) => [t.kind, t]));
  return now
    .map((t) => ({ kind: t.kind, count: t.count - (earlier.get(t.kind)?.count ?? 0), ms: t.ms - (earlier.get(t.kind)?.ms ?? 0) }))
    .filter((t) => t.count > 0)
    .sort((a, b) => b.ms - a.ms);
}

export function timedDatabase(inner: Database): { db: Database; timings(): StatementTiming[] } {
  const table = new Map<string, StatementTiming>();
  const note = (kind: string, started: number) => {
    const entry = table.get(kind) ?? { kind, count: 0, ms: 0 };
    entry.count++;
    entry.ms += performance.now() - started;
    table.set(kind, entry);
  };
  const kindOf = (text: string) =>
    text
      .replace(/^\s*WITH\s+\w+\s+AS\s*\(/i, '')
      .trim()
      .split(/\s+/)
      .slice(0, 3)
      .join(' ')
      .replace(/\(.*$/, '');
  const db: Database = {
    kind: inner.kind,
    get orm() {
      return inner.orm;
    },
    async rows(query) {
      const started = performance.now();
      try {
        return await inner.rows(query);
      } finally {
        note('drizzle sql', started);
      }
    },
    async query(text, params) {
      const started = performance.now();
      try {
        return await inner.query(text, params);
      } finally {
        note(kindOf(text), started);
      }
    },
    async copyFrom(table, columns, payload, format) {
      const started = performance.now();
      try {
        return await inner.copyFrom(table, columns, payload, format);
      } finally {
        note(`COPY ${table}`, started);
      }
    },
    close: () => inner.close(),
  };
  return { db, timings: () => [...table.values()].sort((a, b) => b.ms - a.ms) };
}
