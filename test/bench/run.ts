/**
 * `npm run bench [-- --json] [-- --only ingest,health]`: the issue 12 report (not a test; .ci/run
 * does not run it). Runs every area of test/bench/areas.ts on the embedded database and, when
 * BENCH_DATABASE_URL names a TimescaleDB server (a database on it is created and dropped per
 * area), on the server too; prints one table per backend with each figure and its aim, and with
 * `--json` one JSON object on the last stdout line (test/bench/report.ts). Progress goes to
 * stderr. EMBEDDED_DB_THREAD=0 runs the embedded database on the serving thread (the "before").
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AREAS } from './areas';
import { emptyFigures, type BenchBackend, type BenchContext } from './figures';
import { jsonLine, printTable, type BackendReport } from './report';

function parseArgs(argv: readonly string[]): { json: boolean; only: Set<string> | null } {
  const json = argv.includes('--json');
  const at = argv.indexOf('--only');
  const only = at >= 0 && argv[at + 1] ? new Set(argv[at + 1].split(',')) : null;
  return { json, only };
}

async function runBackend(backend: BenchBackend, only: Set<string> | null): Promise<BackendReport> {
  const workDir = mkdtempSync(path.join(os.tmpdir(), `marketdesk-bench-${backend.kind}-`));
  const context: BenchContext = { backend, workDir, log: (line) => process.stderr.write(`[bench ${backend.kind}] ${line}\n`) };
  const report: BackendReport = { backend: backend.kind, figures: emptyFigures(), notes: {} };
  try {
    for (const area of AREAS) {
      if (only && !only.has(area.id)) continue;
      if (area.backends && !area.backends.includes(backend.kind)) continue;
      context.log(`${area.id}…`);
      try {
        const result = await area.run(context);
        Object.assign(report.figures, result.figures);
        Object.assign(report.notes, result.notes ?? {});
      } catch (error) {
        report.notes[`${area.id} failed`] = error instanceof Error ? error.message : String(error);
        context.log(`${area.id} failed: ${error instanceof Error ? error.stack : error}`);
      }
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  return report;
}

async function main(): Promise<void> {
  const { json, only } = parseArgs(process.argv.slice(2));
  const startLoad = os.loadavg();
  console.log(`marketdesk bench: ${os.cpus().length} cores, load average ${startLoad.map((v) => v.toFixed(1)).join(' ')} at start`);
  const backends: BenchBackend[] = [{ kind: 'embedded' }];
  if (process.env.BENCH_DATABASE_URL) backends.push({ kind: 'server', url: process.env.BENCH_DATABASE_URL });
  const reports: BackendReport[] = [];
  for (const backend of backends) {
    const report = await runBackend(backend, only);
    reports.push(report);
    printTable(report);
  }
  if (json) console.log(jsonLine(reports, startLoad));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
