/**
 * Every study of one chart: the series (StudySeries), the streaming engines that keep them live
 * (lib/indicators/engines.ts, the scanner's computation), and the OI pane (F&O: open interest
 * line plus change in OI vs the previous candle as a histogram).
 *
 * Life cycle: built for one set of studies; `history()` after each candle load (the API's warmed
 * series are drawn, the engines are fed the chart's candles so live values continue them: the
 * chart's window is longer than the warm-up for the usual periods); `live()` for each candle from
 * the stream; `dispose()` removes its series and the panes they emptied.
 */
import { HistogramSeries, LineSeries, type IChartApi, type ISeriesApi, type UTCTimestamp } from 'lightweight-charts';
import { createStudyEngine, type StudyEngine, type StudyValue } from '@/lib/indicators/engines';
import { computeStudySeries, type StudyPoint } from '@/lib/indicators/series';
import { isOverlay, studyId, studyLabel, type StudySpec } from '@/lib/indicators/study-spec';
import { INDIAN_QUANTITY_FORMAT } from '../chart-scale';
import { StudySeries } from './study-series';

/** A chart candle: bucket start epoch ms UTC, rupees, volume within the bucket, last OI or null. */
export interface LayerCandle {
  bucket: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  oi: number | null;
}

/** One legend entry: `RSI 14` → { value: 61.2 }. */
export interface StudyLegendEntry {
  id: string;
  label: string;
  values: Record<string, number>;
}

const toTime = (ms: number) => Math.floor(ms / 1000) as UTCTimestamp;

class OiPane {
  private readonly line: ISeriesApi<'Line'>;
  private readonly change: ISeriesApi<'Histogram'>;
  /** OI of the candle before the last one, and the last candle's bucket. */
  private previousOi: number | null = null;
  private lastBucket = Number.NEGATIVE_INFINITY;
  private lastOi: number | null = null;
  latest: Record<string, number> = {};

  constructor(
    private readonly chart: IChartApi,
    pane: number,
  ) {
    this.line = chart.addSeries(LineSeries, { color: '#eab308', lineWidth: 1, priceLineVisible: false, priceFormat: INDIAN_QUANTITY_FORMAT }, pane);
    this.change = chart.addSeries(
      HistogramSeries,
      { priceScaleId: 'oi-change', priceLineVisible: false, lastValueVisible: false, priceFormat: INDIAN_QUANTITY_FORMAT },
      pane,
    );
  }

  private point(c: LayerCandle, previous: number | null) {
    const time = toTime(c.bucket);
    const change = c.oi !== null && previous !== null ? c.oi - previous : null;
    return {
      line: c.oi === null ? { time } : { time, value: c.oi },
      change: change === null ? { time } : { time, value: change, color: change >= 0 ? 'rgba(34,197,94,0.45)' : 'rgba(244,63,94,0.45)' },
      values: { ...(c.oi === null ? {} : { oi: c.oi }), ...(change === null ? {} : { change }) },
    };
  }

  history(candles: readonly LayerCandle[]): void {
    let previous: number | null = null;
    const lines = [];
    const changes = [];
    this.previousOi = null;
    for (const c of candles) {
      const p = this.point(c, previous);
      lines.push(p.line);
      changes.push(p.change);
      this.latest = p.values;
      this.previousOi = previous;
      previous = c.oi ?? previous;
    }
    this.lastBucket = candles.at(-1)?.bucket ?? Number.NEGATIVE_INFINITY;
    this.lastOi = candles.at(-1)?.oi ?? null;
    this.line.setData(lines);
    this.change.setData(changes);
  }

  live(c: LayerCandle): void {
    if (c.bucket < this.lastBucket) return;
    if (c.bucket > this.lastBucket) {
      this.previousOi = this.lastOi ?? this.previousOi;
      this.lastBucket = c.bucket;
    }
    this.lastOi = c.oi ?? this.lastOi;
    const p = this.point(c, this.previousOi);
    this.line.update(p.line);
    this.change.update(p.change);
    this.latest = p.values;
  }

  valuesAt(seriesData: Map<unknown, unknown>): Record<string, number> {
    const out: Record<string, number> = {};
    const line = seriesData.get(this.line) as { value?: number } | undefined;
    const change = seriesData.get(this.change) as { value?: number } | undefined;
    if (typeof line?.value === 'number') out.oi = line.value;
    if (typeof change?.value === 'number') out.change = change.value;
    return out;
  }

  remove(): void {
    this.chart.removeSeries(this.line);
    this.chart.removeSeries(this.change);
  }
}

export class StudyLayer {
  private readonly entries: { spec: StudySpec; id: string; series: StudySeries; engine: StudyEngine; latest: StudyValue | null }[] = [];
  private readonly oi: OiPane | null;
  private lastBucket = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly chart: IChartApi,
    specs: readonly StudySpec[],
    options: { oi: boolean },
  ) {
    let pane = 1;
    specs.forEach((spec, i) => {
      const series = new StudySeries(chart, spec, studyId(spec), isOverlay(spec) ? 0 : pane, i);
      if (!isOverlay(spec)) pane += 1;
      this.entries.push({ spec, id: studyId(spec), series, engine: createStudyEngine(spec), latest: null });
    });
    this.oi = options.oi ? new OiPane(chart, pane) : null;
    for (const p of chart.panes().slice(1)) p.setStretchFactor(0.35);
  }

  /** Study ids this layer draws (what to ask GET /api/indicators for). */
  get ids(): string[] {
    return this.entries.map((e) => e.id);
  }

  /**
   * Draw a freshly loaded history. `api` is GET /api/indicators' `studies` for the same candles
   * (warmed up on stored history); a study missing from it is computed here from `candles`.
   */
  history(candles: readonly LayerCandle[], api: readonly { id: string; values: StudyPoint[] }[] | null): void {
    for (const entry of this.entries) {
      entry.engine = createStudyEngine(entry.spec);
      for (const c of candles) entry.engine.update(c, false);
      entry.latest = entry.engine.value();
      const points = api?.find((s) => s.id === entry.id)?.values ?? computeStudySeries(entry.spec, candles, Number.NEGATIVE_INFINITY);
      // The API's values are drawn as they are; the engine (fed the same candles) continues them live.
      entry.series.set(points);
    }
    this.lastBucket = candles.at(-1)?.bucket ?? Number.NEGATIVE_INFINITY;
    this.oi?.history(candles);
  }

  /** Apply a live candle: a newer bucket appends, the same bucket replaces (older ones are ignored). */
  live(candle: LayerCandle): void {
    if (candle.bucket < this.lastBucket) return;
    const replace = candle.bucket === this.lastBucket;
    this.lastBucket = candle.bucket;
    for (const entry of this.entries) {
      entry.engine.update(candle, replace);
      entry.latest = entry.engine.value();
      entry.series.update(candle.bucket, entry.latest);
    }
    this.oi?.live(candle);
  }

  /** Legend at the crosshair (`seriesData` of a crosshair event), or of the latest candle without one. */
  legend(seriesData?: Map<unknown, unknown>): StudyLegendEntry[] {
    const out: StudyLegendEntry[] = this.entries.map((e) => ({
      id: e.id,
      label: studyLabel(e.spec),
      values: seriesData ? e.series.valuesAt(seriesData) : ((e.latest ?? {}) as Record<string, number>),
    }));
    if (this.oi) out.push({ id: 'oi', label: 'OI', values: seriesData ? this.oi.valuesAt(seriesData) : this.oi.latest });
    return out;
  }

  /** Session ends drawn per session-anchored study id (`{ vwap: 3 }`): the chart's test hook. */
  sessionBreaks(): Record<string, number> {
    return Object.fromEntries(this.entries.flatMap((e) => (e.series.breaks === null ? [] : [[e.id, e.series.breaks]])));
  }

  dispose(): void {
    for (const entry of this.entries) entry.series.remove();
    this.oi?.remove();
    const panes = this.chart.panes();
    for (let i = panes.length - 1; i >= 1; i -= 1) if (panes[i].getSeries().length === 0) this.chart.removePane(i);
  }
}
