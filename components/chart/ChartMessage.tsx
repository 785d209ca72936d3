import type { ReactNode } from 'react';
import Link from 'next/link';

/** Friendly full-width notice for the chart page (unknown symbol, database unavailable). */
export function ChartMessage({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div
      data-testid="chart-message"
      className="mx-auto mt-16 max-w-lg rounded-lg border border-desk-line bg-desk-panel px-6 py-8 text-center"
    >
      <h1 className="text-base font-semibold">{title}</h1>
      <div className="mt-2 text-sm text-desk-muted">{children}</div>
      <Link
        href="/"
        className="mt-5 inline-block rounded border border-desk-line px-3 py-1.5 text-xs text-desk-text hover:bg-desk-hover"
      >
        ← Back to Markets
      </Link>
    </div>
  );
}
