'use client';

/**
 * Alert lines as a hook of CandleChart: one AlertLines (alert-lines.ts) per symbol, armed for
 * create-on-click while `alertArmed`.
 */
import { useEffect, useRef, type RefObject } from 'react';
import type { LegendCandle, Series } from '../CandleChart';
import { AlertLines } from './alert-lines';

export function useAlertLines(refs: {
  seriesRef: RefObject<Series | null>;
  containerRef: RefObject<HTMLDivElement | null>;
  lastCandleRef: RefObject<LegendCandle | null>;
  callbacksRef: RefObject<{ onAlertMessage: (message: string) => void }>;
  symbol: string;
  alertArmed: boolean;
}): void {
  const { seriesRef, containerRef, lastCandleRef, callbacksRef, symbol, alertArmed } = refs;
  const alertsRef = useRef<AlertLines | null>(null);

  // Alert lines of this symbol; create on click while armed, drag to move.
  useEffect(() => {
    const api = seriesRef.current;
    const container = containerRef.current;
    if (!api || !container) return;
    const lines = new AlertLines(api.chart, api.candles, container, symbol, () => lastCandleRef.current?.close ?? null, (message) =>
      callbacksRef.current.onAlertMessage(message),
    );
    alertsRef.current = lines;
    return () => {
      lines.dispose();
      alertsRef.current = null;
    };
  }, [symbol]);

  useEffect(() => {
    alertsRef.current?.setArmed(alertArmed);
  }, [alertArmed, symbol]);

}
