'use client';

/**
 * The chart's study layer as a hook of CandleChart (which owns the refs): builds a StudyLayer
 * for the chosen studies (rebuilt when they or the OI pane change), loads the warmed series of
 * the loaded candles' range from GET /api/indicators (falling back to a local computation),
 * publishes the legend (data-study-values / data-study-state / data-studies on the container,
 * data-study-breaks: the session ends drawn per VWAP)
 * and shows or hides the volume histogram.
 *
 * @returns loadStudies (call after each history load) and publishStudies (after each live candle).
 */
import { useCallback, useEffect, type RefObject } from 'react';
import type { StudyPoint } from '@/lib/indicators/series';
import { studyId, type StudySpec } from '@/lib/indicators/study-spec';
import type { Timeframe } from '@/lib/market/timeframes';
import type { Series } from '../CandleChart';
import { StudyLayer, type LayerCandle, type StudyLegendEntry } from './study-layer';

export interface StudyLayerRefs {
  seriesRef: RefObject<Series | null>;
  containerRef: RefObject<HTMLDivElement | null>;
  hoveringRef: RefObject<boolean>;
  /** The candles on the chart (history + live). */
  barsRef: RefObject<LayerCandle[]>;
  /** [from, to) of the loaded candles answer (ISO), null while loading. */
  rangeRef: RefObject<{ from: string; to: string } | null>;
  viewRef: RefObject<{ symbol: string; timeframe: Timeframe }>;
  layerRef: RefObject<StudyLayer | null>;
  callbacksRef: RefObject<{ onStudyLegend: (entries: StudyLegendEntry[]) => void }>;
  studies: readonly StudySpec[];
  showVolume: boolean;
  showOi: boolean;
}

export function useStudyLayer(refs: StudyLayerRefs) {
  const { seriesRef, containerRef, hoveringRef, barsRef, rangeRef, viewRef, layerRef, callbacksRef, studies, showVolume, showOi } = refs;

  /** Push the studies' latest values to the legend (unless hovering) and the test hook. */
  const publishStudies = useCallback(() => {
    const layer = layerRef.current;
    const container = containerRef.current;
    if (!layer || !container) return;
    const legend = layer.legend();
    container.dataset.studyValues = JSON.stringify(legend);
    container.dataset.studyBreaks = JSON.stringify(layer.sessionBreaks());
    if (!hoveringRef.current) callbacksRef.current.onStudyLegend(legend);
  }, []);

  /** Fetch the warmed series for the loaded range and draw them (falls back to a local computation). */
  const loadStudies = useCallback(async () => {
    const layer = layerRef.current;
    const range = rangeRef.current;
    const container = containerRef.current;
    if (!layer || !range || !container) return;
    const view = viewRef.current;
    container.dataset.studyState = 'loading';
    let api: { id: string; values: StudyPoint[] }[] | null = null;
    if (layer.ids.length > 0) {
      try {
        const query = new URLSearchParams({ symbol: view.symbol, timeframe: view.timeframe, from: range.from, to: range.to, studies: layer.ids.join(',') });
        const response = await fetch(`/api/indicators?${query}`, { cache: 'no-store' });
        if (response.ok) api = ((await response.json()) as { studies: { id: string; values: StudyPoint[] }[] }).studies;
      } catch (error) {
        console.warn('[chart] indicators not loaded; computing locally', error);
      }
    }
    if (layerRef.current !== layer || viewRef.current !== view || rangeRef.current !== range) return;
    layer.history(barsRef.current, api);
    container.dataset.studyState = 'ready';
    publishStudies();
  }, [publishStudies]);

  // The study layer: rebuilt when the studies or the OI pane change, redrawn from the loaded candles.
  const studiesKey = studies.map(studyId).join(',');
  useEffect(() => {
    const api = seriesRef.current;
    const container = containerRef.current;
    if (!api || !container) return;
    const layer = new StudyLayer(api.chart, studies, { oi: showOi });
    layerRef.current = layer;
    container.dataset.studies = layer.ids.join(',');
    if (rangeRef.current) void loadStudies();
    else callbacksRef.current.onStudyLegend(layer.legend());
    return () => {
      layer.dispose();
      if (layerRef.current === layer) layerRef.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- studiesKey stands for studies
  }, [studiesKey, showOi, loadStudies]);

  useEffect(() => {
    seriesRef.current?.volume.applyOptions({ visible: showVolume });
  }, [showVolume]);

  return { loadStudies, publishStudies };
}
