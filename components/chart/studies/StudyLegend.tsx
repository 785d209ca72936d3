/**
 * The studies' part of the crosshair legend: `RSI 14 61.20 · MACD 12 26 9 1.20 0.80 0.40 · OI 1.2M +12K`
 * (values at the hovered candle, or the latest). Test id: study-legend, study-legend-<id>.
 */
import { formatCompactVolume, formatPrice } from '@/components/format';
import type { StudyLegendEntry } from './study-layer';

const COMPACT = new Set(['oi', 'change']);

export function StudyLegend({ entries }: { entries: StudyLegendEntry[] }) {
  if (entries.length === 0) return null;
  return (
    <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1 font-mono text-[11px]" data-testid="study-legend">
      {entries.map((entry) => (
        <span key={entry.id} className="flex items-baseline gap-1" data-testid={`study-legend-${entry.id}`}>
          <span className="text-desk-faint">{entry.label}</span>
          {Object.keys(entry.values).length === 0 ? (
            <span className="text-desk-faint">—</span>
          ) : (
            Object.entries(entry.values).map(([key, value]) => (
              <span key={key} className="text-desk-text" title={key}>
                {COMPACT.has(key) ? `${key === 'change' && value > 0 ? '+' : ''}${formatCompactVolume(value)}` : formatPrice(value)}
              </span>
            ))
          )}
        </span>
      ))}
    </div>
  );
}
