'use client';

/**
 * The chart page's client side: header (symbol, LTP, change vs the previous session's close,
 * last tick time, IST clock), timeframe switcher, studies menu (remembered per user, studies/use-study-prefs.ts),
 * "+ Alert" (the next click on the chart sets a price alert there), OHLC and study legend of the
 * hovered or latest candle, the chart itself, and a live depth ladder for instruments with depth.
 * State here re-renders the header only; the chart lives in refs inside CandleChart.
 */
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { IstClock } from '@/components/IstClock';
import { formatChange, formatCompactVolume, formatPercent, formatPrice, formatTickTime, toneClass } from '@/components/format';
import { useNow } from '@/components/useNow';
import { knownPreviousClose, priceChange } from '@/lib/market/change';
import { istDayStart } from '@/lib/market/session';
import type { Tick } from '@/lib/market/tick';
import { TIMEFRAMES, type Timeframe } from '@/lib/market/timeframes';
import { CandleChart, type HistoryInfo, type LegendCandle } from './CandleChart';
import { DepthLadder, type DepthSnapshot } from './DepthLadder';
import { useStudyPrefs } from './studies/use-study-prefs';
import type { StudyLegendEntry } from './studies/study-layer';
import { StudyLegend } from './studies/StudyLegend';
import { StudyMenu } from './studies/StudyMenu';
import { istBucketLabel } from './ist-format';

export interface ChartPanelProps {
  symbol: string;
  exchange: string;
  tradingsymbol: string;
  name: string | null;
  segment: string | null;
  instrumentType: string | null;
  initialTimeframe: Timeframe;
  /**
   * The latest stored quote, rendered by the server (getLatestQuotes): LTP and previous close in
   * rupees, `time` epoch ms UTC; null when the instrument has no stored tick.
   */
  initialQuote: { ltp: number; prevClose: number | null; time: number } | null;
}

interface LiveQuote {
  ltp: number;
  /** Previous session close, rupees (lib/market/change.ts); null when unknown. */
  prevClose: number | null;
  /** Exchange time of the tick (epoch ms UTC), or null when the price comes from a candle. */
  time: number | null;
  direction: 1 | -1 | 0;
  seq: number;
}

export function ChartPanel(props: ChartPanelProps) {
  const { symbol, exchange, tradingsymbol, name, segment, instrumentType } = props;
  const [timeframe, setTimeframe] = useState<Timeframe>(props.initialTimeframe);
  const [reloadKey, setReloadKey] = useState(0);
  const [legend, setLegend] = useState<LegendCandle | null>(null);
  const [history, setHistory] = useState<HistoryInfo>({ state: 'loading', candles: 0, lastClose: null, error: null });
  const [quote, setQuote] = useState<LiveQuote | null>(() =>
    props.initialQuote ? { ...props.initialQuote, prevClose: knownPreviousClose(props.initialQuote.prevClose), direction: 0, seq: 0 } : null,
  );
  const now = useNow(30_000);
  const [prefs, changePrefs] = useStudyPrefs();
  const [studyLegend, setStudyLegend] = useState<StudyLegendEntry[]>([]);
  const [alertArmed, setAlertArmed] = useState(false);
  const [alertMessage, setAlertMessage] = useState<string | null>(null);
  const [depth, setDepth] = useState<DepthSnapshot | null>(null);
  // Futures and options have open interest (Kite segments NFO-FUT, NFO-OPT, BFO-…, MCX-…).
  const hasOi = instrumentType === 'FUT' || instrumentType === 'CE' || instrumentType === 'PE';

  const onAlertMessage = useCallback((message: string) => {
    setAlertArmed(false);
    setAlertMessage(message);
  }, []);

  const onTick = useCallback((tick: Tick) => {
    if (tick.depth && (tick.depth.buy.length || tick.depth.sell.length)) {
      setDepth({ bids: tick.depth.buy, asks: tick.depth.sell, time: tick.exchangeTime });
    }
    setQuote((previous) => {
      if (previous?.time != null && tick.exchangeTime < previous.time) return previous;
      const moved = previous !== null && tick.ltp !== previous.ltp;
      // The known previous close holds for its IST day only; a later day's tick brings its own.
      const sameDay = previous?.time != null && istDayStart(previous.time) === istDayStart(tick.exchangeTime);
      return {
        ltp: tick.ltp,
        prevClose: knownPreviousClose(tick.prevClose) ?? (sameDay ? previous!.prevClose : null),
        time: tick.exchangeTime,
        direction: moved ? (tick.ltp > previous.ltp ? 1 : -1) : (previous?.direction ?? 0),
        seq: moved ? previous.seq + 1 : (previous?.seq ?? 0),
      };
    });
  }, []);

  const onHistory = useCallback((info: HistoryInfo) => {
    setHistory(info);
    const lastClose = info.lastClose;
    if (lastClose !== null) setQuote((previous) => previous ?? { ltp: lastClose, prevClose: null, time: null, direction: 0, seq: 0 });
  }, []);

  const switchTimeframe = (next: Timeframe) => {
    if (next === timeframe) return;
    setTimeframe(next);
    window.history.replaceState(null, '', `${window.location.pathname}?tf=${next}`);
  };

  const { change, changePct } = priceChange(quote?.ltp, quote?.prevClose);
  const flash = quote?.seq ? (quote.direction > 0 ? 'flash-up' : 'flash-down') : '';
  const typeLabel = segment === 'INDICES' ? 'Index' : instrumentType;

  return (
    <div className="flex h-[calc(100vh-5rem)] min-h-[520px] flex-col gap-3">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div className="flex flex-wrap items-end gap-x-6 gap-y-1">
          <div>
            <div className="flex items-center gap-2">
              <h1 className="text-xl font-semibold tracking-tight" data-testid="chart-symbol">
                {tradingsymbol}
              </h1>
              <span className="rounded bg-desk-raised px-1.5 py-0.5 text-[10px] font-medium text-desk-muted">
                {exchange}
              </span>
              {typeLabel && (
                <span className="rounded border border-desk-line px-1.5 py-0.5 text-[10px] uppercase text-desk-faint">
                  {typeLabel}
                </span>
              )}
            </div>
            <p className="mt-0.5 text-xs text-desk-muted">{name ?? symbol}</p>
          </div>
          <div className="flex flex-wrap items-baseline gap-x-3 gap-y-0.5">
            <span
              key={quote?.seq ?? 0}
              data-testid="chart-ltp"
              className={`rounded px-1 font-mono text-2xl font-semibold ${flash}`}
            >
              {formatPrice(quote?.ltp)}
            </span>
            <span className={`font-mono text-sm ${toneClass(change)}`} data-testid="chart-change">
              {formatChange(change)} ({formatPercent(changePct)})
            </span>
            <span className="text-[10px] uppercase text-desk-faint">
              {change !== null ? `vs prev close ${formatPrice(quote?.prevClose)}` : 'no prev close'}
            </span>
            {quote?.time != null && (
              <span className="text-[10px] text-desk-faint" data-testid="chart-last-tick">
                last tick {formatTickTime(quote.time, now)}
              </span>
            )}
          </div>
        </div>
        <IstClock className="text-xs text-desk-muted" />
      </div>

      <div className="flex flex-wrap items-center justify-between gap-3 rounded-md border border-desk-line bg-desk-panel px-2 py-1.5">
        <div className="flex flex-wrap items-center gap-1" role="group" aria-label="Timeframe">
          {TIMEFRAMES.map((tf) => (
            <button
              key={tf}
              type="button"
              data-testid={`tf-${tf}`}
              aria-pressed={tf === timeframe}
              onClick={() => switchTimeframe(tf)}
              className={`rounded px-2.5 py-1 font-mono text-xs transition-colors ${
                tf === timeframe
                  ? 'bg-accent/15 font-semibold text-accent'
                  : 'text-desk-muted hover:bg-desk-hover hover:text-desk-text'
              }`}
            >
              {tf}
            </button>
          ))}
          <span className="mx-1 h-4 w-px bg-desk-line" aria-hidden />
          <StudyMenu prefs={prefs} hasOi={hasOi} onChange={changePrefs} />
          <button
            type="button"
            data-testid="alert-arm"
            aria-pressed={alertArmed}
            title="Click the chart at a price to set an alert there; drag an alert line to move it"
            onClick={() => {
              setAlertArmed((armed) => !armed);
              setAlertMessage(null);
            }}
            className={`rounded px-2.5 py-1 text-xs ${alertArmed ? 'bg-accent/15 text-accent' : 'text-desk-muted hover:bg-desk-hover hover:text-desk-text'}`}
          >
            {alertArmed ? 'Click a price…' : '+ Alert'}
          </button>
          {alertMessage && (
            <span className="text-[11px] text-desk-muted" data-testid="alert-message">
              {alertMessage}
            </span>
          )}
        </div>
        <div className="flex flex-col items-end gap-1">
          <Legend legend={legend} timeframe={timeframe} />
          <StudyLegend entries={studyLegend} />
        </div>
      </div>

      <div className="flex min-h-0 flex-1 gap-3">
      <div className="relative min-h-0 flex-1 overflow-hidden rounded-md border border-desk-line">
        <CandleChart
          symbol={symbol}
          timeframe={timeframe}
          reloadKey={reloadKey}
          onLegend={setLegend}
          onTick={onTick}
          onHistory={onHistory}
          studies={prefs.studies}
          showVolume={prefs.volume}
          showOi={hasOi && prefs.oi}
          alertArmed={alertArmed}
          onStudyLegend={setStudyLegend}
          onAlertMessage={onAlertMessage}
        />
        {history.state === 'loading' && <Overlay>Loading {timeframe} candles…</Overlay>}
        {history.state === 'error' && (
          <Overlay>
            <span className="text-down">Could not load candles: {history.error}</span>
            <button
              type="button"
              onClick={() => setReloadKey((key) => key + 1)}
              className="pointer-events-auto rounded border border-desk-line px-2 py-1 text-xs text-desk-text hover:bg-desk-hover"
            >
              Retry
            </button>
          </Overlay>
        )}
        {history.state === 'ready' && history.candles === 0 && !legend && (
          <Overlay>No {timeframe} candles yet; they appear here as ticks arrive.</Overlay>
        )}
      </div>
      <DepthLadder symbol={symbol} live={depth} />
      </div>
    </div>
  );
}

function Overlay({ children }: { children: ReactNode }) {
  return (
    <div className="pointer-events-none absolute inset-0 z-10 flex flex-col items-center justify-center gap-2 text-xs text-desk-muted">
      {children}
    </div>
  );
}

function Legend({ legend, timeframe }: { legend: LegendCandle | null; timeframe: Timeframe }) {
  if (!legend) return <div className="text-xs text-desk-faint">—</div>;
  const tone = legend.close >= legend.open ? 'text-up' : 'text-down';
  const item = (label: string, value: string) => (
    <span className="flex items-baseline gap-1">
      <span className="text-desk-faint">{label}</span>
      <span className={tone}>{value}</span>
    </span>
  );
  return (
    <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1 font-mono text-xs" data-testid="chart-legend">
      <span className="text-desk-muted">{istBucketLabel(legend.time, timeframe)}</span>
      {item('O', formatPrice(legend.open))}
      {item('H', formatPrice(legend.high))}
      {item('L', formatPrice(legend.low))}
      {item('C', formatPrice(legend.close))}
      {legend.volume ? item('V', formatCompactVolume(legend.volume)) : null}
      <span className={tone}>{formatPercent(legend.open ? ((legend.close - legend.open) / legend.open) * 100 : null)}</span>
    </div>
  );
}
