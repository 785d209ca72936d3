'use client';

/**
 * Owns one lightweight-charts v5 chart: candlesticks plus a volume histogram on its own scale at
 * the bottom. The chart is created once per mount and removed on unmount; a symbol / timeframe
 * change reloads history with `setData` and re-subscribes, and live `candle` events go through
 * `series.update` (no rebuild, no React re-render of the chart), at most once per animation
 * frame (frame-queue.ts), as the latest tick handed to `onTick`.
 *
 * Stable test hooks on the container (`data-testid="chart"`), written directly to the DOM:
 * data-timeframe, data-state (loading | ready | error), data-candles (bars on the chart) and
 * data-last-update (epoch ms of the last live candle applied); for studies data-studies (ids
 * drawn), data-study-state (loading | ready) and data-study-values (JSON legend of the latest
 * candle, rewritten on every live candle), data-study-breaks (JSON session ends drawn per VWAP);
 * for alerts data-alert-lines / data-alert-levels.
 *
 * Studies (components/chart/studies): GET /api/indicators for the loaded candles' range, then the
 * shared engines keep them live. Alert lines: components/chart/alerts/alert-lines.ts.
 */
import {
  CandlestickSeries,
  ColorType,
  CrosshairMode,
  HistogramSeries,
  createChart,
  type CandlestickData,
  type HistogramData,
  type IChartApi,
  type ISeriesApi,
  type MouseEventParams,
  type Time,
  type UTCTimestamp,
  type WhitespaceData,
} from 'lightweight-charts';
import { memo, useEffect, useRef } from 'react';
import type { StudySpec } from '@/lib/indicators/study-spec';
import type { ApiCandle } from '@/lib/contracts/candle';
import type { Candle, Tick } from '@/lib/market/tick';
import type { Timeframe } from '@/lib/market/timeframes';
import { subscribeRealtime } from '@/lib/realtime/client';
import { useAlertLines } from './alerts/useAlertLines';
import { INDIAN_PRICE_FORMAT, INDIAN_QUANTITY_FORMAT, initialVisibleRange } from './chart-scale';
import { frameQueue } from './frame-queue';
import { chartTimeToMs, istCrosshairLabel, istTickMark } from './ist-format';
import type { LayerCandle, StudyLayer, StudyLegendEntry } from './studies/study-layer';
import { useStudyLayer } from './studies/useStudyLayer';

export interface LegendCandle {
  /** Bucket start, epoch ms UTC. */
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number | null;
  /** True while the crosshair is on this candle; false for the latest candle. */
  hovered: boolean;
}

export interface HistoryInfo {
  state: 'loading' | 'ready' | 'error';
  candles: number;
  lastClose: number | null;
  error: string | null;
}

export interface CandleChartProps {
  symbol: string;
  timeframe: Timeframe;
  /** Bump to reload history after an error. */
  reloadKey?: number;
  onLegend: (legend: LegendCandle | null) => void;
  onTick: (tick: Tick) => void;
  onHistory: (info: HistoryInfo) => void;
  /** Studies to draw (overlays and panes). */
  studies: readonly StudySpec[];
  showVolume: boolean;
  /** The OI pane (the panel passes true only for futures and options). */
  showOi: boolean;
  /** While true, the next click on the chart creates a price alert there. */
  alertArmed: boolean;
  /** Study values at the crosshair, or of the latest candle. */
  onStudyLegend: (entries: StudyLegendEntry[]) => void;
  /** Outcome of an alert created or moved on the chart (also disarms). */
  onAlertMessage: (message: string) => void;
}


const COLORS = {
  background: '#0d1117',
  text: '#7d8896',
  grid: '#141b24',
  line: '#1f2935',
  crosshair: '#4b5562',
  up: '#22c55e',
  down: '#f43f5e',
  upVolume: 'rgba(34, 197, 94, 0.35)',
  downVolume: 'rgba(244, 63, 94, 0.35)',
};
const MAX_PENDING = 500;

export interface Series {
  chart: IChartApi;
  candles: ISeriesApi<'Candlestick'>;
  volume: ISeriesApi<'Histogram'>;
}

const toTime = (ms: number) => Math.floor(ms / 1000) as UTCTimestamp;
const volumeColor = (open: number, close: number) => (close >= open ? COLORS.upVolume : COLORS.downVolume);
/** A volume bar, or a gap (whitespace) when there is none: indices trade no volume, so no zero line. */
const volumeBar = (time: UTCTimestamp, c: { open: number; close: number; volume: number | null }): HistogramData | WhitespaceData =>
  c.volume ? { time, value: c.volume, color: volumeColor(c.open, c.close) } : { time };

function CandleChartImpl(props: CandleChartProps) {
  const { symbol, timeframe, reloadKey = 0, studies, showVolume, showOi, alertArmed } = props;
  const containerRef = useRef<HTMLDivElement>(null);
  const seriesRef = useRef<Series | null>(null);
  const hoveringRef = useRef(false);
  const lastCandleRef = useRef<LegendCandle | null>(null);
  /** The candles on the chart (history + live), for the study engines. */
  const barsRef = useRef<LayerCandle[]>([]);
  /** The [from, to) of the loaded history (the candles answer), null while loading. */
  const rangeRef = useRef<{ from: string; to: string } | null>(null);
  const viewRef = useRef({ symbol, timeframe });
  const layerRef = useRef<StudyLayer | null>(null);
  // Latest callbacks, read by the chart and socket handlers so re-renders never resubscribe.
  const callbacksRef = useRef(props);
  useEffect(() => {
    callbacksRef.current = props;
  });

  // Create the chart once.
  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const chart = createChart(container, {
      autoSize: true,
      layout: {
        background: { type: ColorType.Solid, color: COLORS.background },
        textColor: COLORS.text,
        fontSize: 11,
        fontFamily: 'ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
      },
      grid: { vertLines: { color: COLORS.grid }, horzLines: { color: COLORS.grid } },
      crosshair: {
        mode: CrosshairMode.Normal,
        vertLine: { color: COLORS.crosshair, labelBackgroundColor: COLORS.line },
        horzLine: { color: COLORS.crosshair, labelBackgroundColor: COLORS.line },
      },
      rightPriceScale: { borderColor: COLORS.line },
      timeScale: {
        borderColor: COLORS.line,
        timeVisible: true,
        secondsVisible: false,
        rightOffset: 6,
        tickMarkFormatter: istTickMark,
      },
      localization: { locale: 'en-IN' },
    });
    const candles = chart.addSeries(CandlestickSeries, {
      upColor: COLORS.up,
      downColor: COLORS.down,
      wickUpColor: COLORS.up,
      wickDownColor: COLORS.down,
      borderVisible: false,
      priceFormat: INDIAN_PRICE_FORMAT,
    });
    candles.priceScale().applyOptions({ scaleMargins: { top: 0.08, bottom: 0.26 } });
    const volume = chart.addSeries(HistogramSeries, {
      priceScaleId: 'volume',
      priceFormat: INDIAN_QUANTITY_FORMAT,
      lastValueVisible: false,
      priceLineVisible: false,
    });
    chart.priceScale('volume').applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });

    const onCrosshair = (param: MouseEventParams<Time>) => {
      const bar = param.time === undefined ? undefined : (param.seriesData.get(candles) as CandlestickData | undefined);
      if (bar && 'open' in bar && layerRef.current) callbacksRef.current.onStudyLegend(layerRef.current.legend(param.seriesData));
      else if (hoveringRef.current && layerRef.current) callbacksRef.current.onStudyLegend(layerRef.current.legend());
      if (bar && 'open' in bar) {
        const vol = param.seriesData.get(volume) as HistogramData | undefined;
        hoveringRef.current = true;
        callbacksRef.current.onLegend({
          time: chartTimeToMs(bar.time),
          open: bar.open,
          high: bar.high,
          low: bar.low,
          close: bar.close,
          volume: vol?.value ?? null,
          hovered: true,
        });
      } else if (hoveringRef.current) {
        hoveringRef.current = false;
        callbacksRef.current.onLegend(lastCandleRef.current);
      }
    };
    chart.subscribeCrosshairMove(onCrosshair);
    seriesRef.current = { chart, candles, volume };
    return () => {
      chart.unsubscribeCrosshairMove(onCrosshair);
      chart.remove();
      seriesRef.current = null;
    };
  }, []);

  // Studies and alert lines (after the chart exists, before the history effect that feeds them).
  const { loadStudies, publishStudies } = useStudyLayer({ seriesRef, containerRef, hoveringRef, barsRef, rangeRef, viewRef, layerRef, callbacksRef, studies, showVolume, showOi });
  useAlertLines({ seriesRef, containerRef, lastCandleRef, callbacksRef, symbol, alertArmed });

  // History + live updates for the current symbol and timeframe.
  useEffect(() => {
    const api = seriesRef.current;
    const container = containerRef.current;
    if (!api || !container) return;
    const controller = new AbortController();
    let loaded = false;
    let lastBucket = Number.NEGATIVE_INFINITY;
    let count = 0;
    let pending: Candle[] = [];

    viewRef.current = { symbol, timeframe };
    barsRef.current = [];
    rangeRef.current = null;
    layerRef.current?.history([], null);
    container.dataset.timeframe = timeframe;
    container.dataset.state = 'loading';
    container.dataset.candles = '0';
    api.chart.applyOptions({
      localization: { timeFormatter: (time: Time) => istCrosshairLabel(time, timeframe) },
      timeScale: { timeVisible: timeframe !== '1d' },
    });
    api.candles.setData([]);
    api.volume.setData([]);
    lastCandleRef.current = null;
    callbacksRef.current.onLegend(null);
    callbacksRef.current.onHistory({ state: 'loading', candles: 0, lastClose: null, error: null });

    const showLatest = (candle: LegendCandle) => {
      lastCandleRef.current = candle;
      if (!hoveringRef.current) callbacksRef.current.onLegend(candle);
    };

    const applyLive = (candle: Candle) => {
      if (candle.symbol !== symbol || candle.timeframe !== timeframe) return;
      if (!loaded) {
        pending.push(candle);
        if (pending.length > MAX_PENDING) pending.shift();
        return;
      }
      const time = toTime(candle.bucket);
      const bar = { time, open: candle.open, high: candle.high, low: candle.low, close: candle.close };
      const layerBar: LayerCandle = { bucket: candle.bucket, open: candle.open, high: candle.high, low: candle.low, close: candle.close, volume: candle.volume, oi: candle.oi };
      const vol = volumeBar(time, candle);
      try {
        if (candle.bucket >= lastBucket) {
          api.candles.update(bar);
          api.volume.update(vol);
          if (candle.bucket > lastBucket) {
            lastBucket = candle.bucket;
            count += 1;
          }
          showLatest({ ...bar, time: candle.bucket, volume: candle.volume, hovered: false });
          const bars = barsRef.current;
          if (bars.length && bars[bars.length - 1].bucket === candle.bucket) bars[bars.length - 1] = layerBar;
          else bars.push(layerBar);
          layerRef.current?.live(layerBar);
          publishStudies();
        } else {
          // The final version of an older bar (e.g. `closed` after a late tick): amend in place.
          api.candles.update(bar, true);
          api.volume.update(vol, true);
        }
      } catch (error) {
        console.warn('[chart] live candle not applied', error);
        return;
      }
      container.dataset.candles = String(count);
      container.dataset.lastUpdate = String(Date.now());
    };

    // Live events drawn at most once per animation frame (frame-queue.ts): the latest version of
    // each bar and the latest tick of the frame.
    const candleFrames = frameQueue<Candle>((candles) => candles.forEach(applyLive), (c) => `${c.symbol}|${c.timeframe}|${c.bucket}`);
    const tickFrames = frameQueue<Tick>((ticks) => callbacksRef.current.onTick(ticks[0]), () => 0);
    const unsubscribe = subscribeRealtime({
      symbols: [symbol],
      timeframes: [timeframe],
      onCandle: (candle) => candleFrames.push(candle),
      onTicks: (ticks) => tickFrames.push(ticks[ticks.length - 1]),
    });

    void (async () => {
      try {
        const response = await fetch(
          `/api/candles?symbol=${encodeURIComponent(symbol)}&timeframe=${encodeURIComponent(timeframe)}`,
          { signal: controller.signal, cache: 'no-store' },
        );
        const body = (await response.json()) as { from?: string; to?: string; candles?: ApiCandle[]; error?: { message?: string } };
        if (!response.ok || !body.candles) throw new Error(body.error?.message ?? `HTTP ${response.status}`);
        const history = body.candles.map((c) => ({ ...c, bucket: Date.parse(c.time) }));
        api.candles.setData(
          history.map((c) => ({ time: toTime(c.bucket), open: c.open, high: c.high, low: c.low, close: c.close })),
        );
        api.volume.setData(history.map((c) => volumeBar(toTime(c.bucket), c)));
        // No volume at all (an index): the candles take the band the volume bars would use.
        api.candles.priceScale().applyOptions({ scaleMargins: { top: 0.08, bottom: history.some((c) => c.volume) ? 0.26 : 0.08 } });
        count = history.length;
        barsRef.current = history.map((c) => ({ bucket: c.bucket, open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume, oi: c.oi }));
        rangeRef.current = body.from && body.to ? { from: body.from, to: body.to } : null;
        const last = history[history.length - 1];
        if (last) {
          lastBucket = last.bucket;
          showLatest({ ...last, time: last.bucket, hovered: false });
        }
        loaded = true;
        const buffered = pending;
        pending = [];
        for (const candle of buffered) applyLive(candle);
        void loadStudies();
        // The loaded bars across the width (the newest that fit when there are many).
        const range = initialVisibleRange(count, api.chart.timeScale().width() || container.clientWidth);
        if (range) api.chart.timeScale().setVisibleLogicalRange(range);
        container.dataset.candles = String(count);
        container.dataset.state = 'ready';
        callbacksRef.current.onHistory({
          state: 'ready',
          candles: count,
          lastClose: lastCandleRef.current?.close ?? null,
          error: null,
        });
      } catch (error) {
        if (controller.signal.aborted) return;
        container.dataset.state = 'error';
        callbacksRef.current.onHistory({
          state: 'error',
          candles: 0,
          lastClose: null,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    })();

    return () => {
      controller.abort();
      unsubscribe();
      candleFrames.cancel();
      tickFrames.cancel();
    };
  }, [symbol, timeframe, reloadKey, loadStudies]);

  return <div ref={containerRef} data-testid="chart" className="absolute inset-0" />;
}

export const CandleChart = memo(CandleChartImpl);
