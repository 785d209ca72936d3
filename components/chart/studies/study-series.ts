/**
 * The lightweight-charts series of one study: overlays (SMA, EMA, VWAP, Bollinger) on the price
 * pane, RSI and MACD each in a pane of their own. `set` draws a history of API points
 * (GET /api/indicators); `update` draws one live point. Colours per kind; RSI with 70/30 lines.
 * VWAP, anchored at each session, is not joined across sessions (lib/indicators/session-breaks.ts).
 */
import {
  HistogramSeries,
  LineSeries,
  LineStyle,
  type IChartApi,
  type ISeriesApi,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts';
import type { StudyValue } from '@/lib/indicators/engines';
import type { StudyPoint } from '@/lib/indicators/series';
import { SessionBreaks } from '@/lib/indicators/session-breaks';
import { isOverlay, type StudySpec } from '@/lib/indicators/study-spec';

const PALETTE = ['#f59e0b', '#38bdf8', '#a78bfa', '#f472b6', '#34d399', '#fb923c'];

/** The value keys a study draws, in legend order. */
export function studyKeys(spec: StudySpec): string[] {
  if (spec.kind === 'macd') return ['macd', 'signal', 'histogram'];
  if (spec.kind === 'bb') return ['upper', 'middle', 'lower'];
  return ['value'];
}

const toTime = (iso: string) => Math.floor(Date.parse(iso) / 1000) as UTCTimestamp;
/** The colour of a session's last point: the segment from it to the next session is not drawn. */
const HIDDEN = 'rgba(0,0,0,0)';

export class StudySeries {
  private readonly lines = new Map<string, ISeriesApi<'Line'> | ISeriesApi<'Histogram'>>();
  /** Session ends of a session-anchored study's line (VWAP), else null. */
  private readonly sessions: SessionBreaks | null;
  /** Session ends drawn (history and live), null for a study not anchored at sessions: the chart's test hook. */
  breaks: number | null;

  /**
   * @param paneIndex pane of a non-overlay study (≥ 1); overlays go to pane 0.
   * @param colorIndex position in the palette.
   */
  constructor(
    private readonly chart: IChartApi,
    readonly spec: StudySpec,
    readonly id: string,
    paneIndex: number,
    colorIndex: number,
  ) {
    const color = PALETTE[colorIndex % PALETTE.length];
    this.sessions = spec.kind === 'vwap' ? new SessionBreaks() : null;
    this.breaks = this.sessions ? 0 : null;
    const pane = isOverlay(spec) ? 0 : paneIndex;
    const line = (key: string, options: Record<string, unknown> = {}) =>
      this.lines.set(
        key,
        chart.addSeries(
          LineSeries,
          { color, lineWidth: 1, priceLineVisible: false, lastValueVisible: key !== 'upper' && key !== 'lower', crosshairMarkerVisible: false, ...options },
          pane,
        ),
      );
    if (spec.kind === 'bb') {
      line('upper', { lineStyle: LineStyle.Dashed });
      line('middle');
      line('lower', { lineStyle: LineStyle.Dashed });
    } else if (spec.kind === 'macd') {
      this.lines.set('histogram', chart.addSeries(HistogramSeries, { priceLineVisible: false, lastValueVisible: false }, pane));
      line('macd', { color: '#38bdf8' });
      line('signal', { color: '#f59e0b' });
    } else {
      line('value');
    }
    if (spec.kind === 'rsi') {
      const rsi = this.lines.get('value') as ISeriesApi<'Line'>;
      for (const price of [70, 30]) rsi.createPriceLine({ price, color: '#4b5562', lineStyle: LineStyle.Dotted, lineWidth: 1, axisLabelVisible: false, title: '' });
    }
  }

  private datum(key: string, time: Time, value: number | null) {
    if (value === null) return { time };
    if (key === 'histogram') return { time, value, color: value >= 0 ? 'rgba(34,197,94,0.5)' : 'rgba(244,63,94,0.5)' };
    return { time, value };
  }

  /** Draw the history (one API point per candle; null fields become gaps). */
  set(points: readonly StudyPoint[]): void {
    for (const [key, series] of this.lines) {
      const values = points.map((p) => (p as unknown as Record<string, number | null>)[key] ?? null);
      const data = points.map((p, i) => this.datum(key, toTime(p.time), values[i]));
      if (this.sessions) {
        const ends = this.sessions.history(points.map((p, i) => ({ time: Date.parse(p.time), value: values[i] })));
        for (const i of ends) Object.assign(data[i], { color: HIDDEN });
        this.breaks = ends.size;
      }
      series.setData(data as never);
    }
  }

  /** Draw the live value at `bucketMs` (epoch ms UTC). */
  update(bucketMs: number, value: StudyValue | null): void {
    const time = Math.floor(bucketMs / 1000) as UTCTimestamp;
    for (const [key, series] of this.lines) {
      const v = value ? ((value as unknown as Record<string, number>)[key] ?? null) : null;
      try {
        const end = this.sessions?.next(bucketMs, v);
        if (end) {
          series.update({ time: Math.floor(end.time / 1000) as UTCTimestamp, value: end.value, color: HIDDEN } as never);
          this.breaks = (this.breaks ?? 0) + 1;
        }
        series.update(this.datum(key, time, v) as never);
      } catch {
        // An older bar than the series' last one: ignore (the next history load redraws it).
      }
    }
  }

  /** The drawn values at the crosshair, by key (absent keys: nothing drawn there). */
  valuesAt(seriesData: Map<unknown, unknown>): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [key, series] of this.lines) {
      const d = seriesData.get(series) as { value?: number } | undefined;
      if (d && typeof d.value === 'number') out[key] = d.value;
    }
    return out;
  }

  remove(): void {
    for (const series of this.lines.values()) this.chart.removeSeries(series);
    this.lines.clear();
  }
}
