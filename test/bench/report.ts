/**
 * Printing the bench: one table per backend (figure, value, unit, aim, ✓/✗/–) plus notes, and
 * with `--json` one JSON object on the last stdout line: the FIGURE_KEYS of the embedded run,
 * and `server` with the same keys when BENCH_DATABASE_URL was set (plus `machine`: cores and
 * the load average at start, so a loaded machine is visible in the record).
 */
import os from 'node:os';
import { FIGURE_KEYS, FIGURES, type Figures } from './figures';

export interface BackendReport {
  backend: 'embedded' | 'server';
  figures: Figures;
  notes: Record<string, string>;
}

const fmt = (value: number | null) => (value === null ? '—' : value.toLocaleString('en-US', { maximumFractionDigits: 1 }));

function verdict(key: (typeof FIGURE_KEYS)[number], figures: Figures): string {
  const value = figures[key];
  const holds = FIGURES[key].holds;
  if (value === null) return 'not measured';
  if (!holds) return '';
  return holds(value, figures) ? 'holds' : 'MISSED';
}

/** Print one backend's table and notes to stdout. */
export function printTable(report: BackendReport): void {
  console.log(`\n== ${report.backend} ==`);
  const rows: Record<string, Record<string, string>> = {};
  for (const key of FIGURE_KEYS) {
    const spec = FIGURES[key];
    rows[key] = { figure: spec.label, value: fmt(report.figures[key]), unit: spec.unit, aim: spec.aim, verdict: verdict(key, report.figures) };
  }
  console.table(rows);
  for (const [label, text] of Object.entries(report.notes)) console.log(`  ${label}: ${text}`);
}

/** The `--json` object (printed last, on one line). */
export function jsonLine(reports: readonly BackendReport[], startLoad: number[]): string {
  const embedded = reports.find((r) => r.backend === 'embedded');
  const server = reports.find((r) => r.backend === 'server');
  return JSON.stringify({
    ...(embedded?.figures ?? {}),
    ...(server ? { server: server.figures } : {}),
    machine: { cores: os.cpus().length, load_average_at_start: startLoad.map((v) => Math.round(v * 100) / 100) },
  });
}
