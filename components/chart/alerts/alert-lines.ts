/**
 * Price alerts on the chart: every enabled `price_cross` alert of this symbol (GET /api/alerts)
 * as a dashed price line; a click while armed creates one at the clicked price (POST /api/alerts,
 * direction `above` when the price is above the last close, else `below`); dragging a line
 * moves its alert (PATCH /api/alerts/{id} with the new `condition.level`). Prices in rupees,
 * rounded to 0.05 (the NSE tick).
 *
 * Test hooks on the chart container: data-alert-lines (count) and data-alert-levels (comma list).
 */
import { LineStyle, type IChartApi, type IPriceLine, type ISeriesApi, type MouseEventParams, type Time } from 'lightweight-charts';
import type { Alert } from '@/lib/contracts/alert';

type PriceCross = Extract<Alert['condition'], { type: 'price_cross' }>;
interface Line {
  alert: Alert & { condition: PriceCross };
  line: IPriceLine;
}

const GRAB_PX = 6;
const roundTick = (price: number) => Math.round(price * 20) / 20;

async function send(url: string, method: string, body?: unknown): Promise<Alert | null> {
  const response = await fetch(url, {
    method,
    headers: body ? { 'content-type': 'application/json' } : undefined,
    body: body ? JSON.stringify(body) : undefined,
    cache: 'no-store',
  });
  const json = (await response.json().catch(() => null)) as { alert?: Alert; error?: { message?: string } } | null;
  if (!response.ok) throw new Error(json?.error?.message ?? `HTTP ${response.status}`);
  return json?.alert ?? null;
}

export class AlertLines {
  private lines: Line[] = [];
  private armed = false;
  private drag: { line: Line; price: number } | null = null;
  private disposed = false;

  constructor(
    private readonly chart: IChartApi,
    private readonly candles: ISeriesApi<'Candlestick'>,
    private readonly container: HTMLElement,
    private readonly symbol: string,
    private readonly lastClose: () => number | null,
    private readonly onChange: (message: string) => void,
  ) {
    chart.subscribeClick(this.onClick);
    container.addEventListener('pointerdown', this.onDown, true);
    window.addEventListener('pointermove', this.onMove, true);
    window.addEventListener('pointerup', this.onUp, true);
    void this.reload();
  }

  /** Arm (or disarm) create-on-click. */
  setArmed(armed: boolean): void {
    this.armed = armed;
    this.container.style.cursor = armed ? 'crosshair' : '';
  }

  /** Re-read this symbol's price alerts and redraw their lines. */
  async reload(): Promise<void> {
    try {
      const response = await fetch('/api/alerts', { cache: 'no-store' });
      if (!response.ok) return;
      const { alerts } = (await response.json()) as { alerts: Alert[] };
      if (this.disposed) return;
      for (const l of this.lines) this.candles.removePriceLine(l.line);
      this.lines = alerts
        .filter((a): a is Line['alert'] => a.enabled && a.condition.type === 'price_cross' && a.target.kind === 'symbol' && a.target.value === this.symbol)
        .map((alert) => ({ alert, line: this.candles.createPriceLine(this.options(alert.condition.level, alert.name)) }));
      this.publish();
    } catch (error) {
      console.warn('[chart] alerts not loaded', error);
    }
  }

  private options(price: number, title: string) {
    return { price, color: '#eab308', lineWidth: 1 as const, lineStyle: LineStyle.Dashed, axisLabelVisible: true, title: `🔔 ${title}` };
  }

  private publish(): void {
    this.container.dataset.alertLines = String(this.lines.length);
    this.container.dataset.alertLevels = this.lines.map((l) => l.alert.condition.level).join(',');
  }

  private onClick = (param: MouseEventParams<Time>) => {
    if (!this.armed || !param.point) return;
    const price = this.candles.coordinateToPrice(param.point.y);
    if (price === null || !(price > 0)) return;
    this.setArmed(false);
    void this.create(roundTick(price));
  };

  private async create(level: number): Promise<void> {
    const last = this.lastClose();
    const direction = last === null ? 'either' : level >= last ? 'above' : 'below';
    try {
      await send('/api/alerts', 'POST', {
        name: `${this.symbol} ${direction === 'either' ? 'at' : direction} ${level.toFixed(2)}`,
        condition: { type: 'price_cross', level, direction },
        target: { kind: 'symbol', value: this.symbol },
      });
      this.onChange(`Alert set at ${level.toFixed(2)}`);
      await this.reload();
    } catch (error) {
      this.onChange(`Alert not created: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private onDown = (event: PointerEvent) => {
    if (this.armed || event.button !== 0) return;
    const y = event.clientY - this.container.getBoundingClientRect().top;
    const hit = this.lines.find((l) => {
      const at = this.candles.priceToCoordinate(l.alert.condition.level);
      return at !== null && Math.abs(at - y) <= GRAB_PX;
    });
    if (!hit) return;
    event.stopPropagation();
    this.drag = { line: hit, price: hit.alert.condition.level };
    this.chart.applyOptions({ handleScroll: false, handleScale: false });
  };

  private onMove = (event: PointerEvent) => {
    if (!this.drag) return;
    const y = event.clientY - this.container.getBoundingClientRect().top;
    const price = this.candles.coordinateToPrice(y);
    if (price === null || !(price > 0)) return;
    this.drag.price = roundTick(price);
    this.drag.line.line.applyOptions({ price: this.drag.price });
  };

  private onUp = () => {
    const drag = this.drag;
    if (!drag) return;
    this.drag = null;
    this.chart.applyOptions({ handleScroll: true, handleScale: true });
    if (drag.price === drag.line.alert.condition.level) return;
    const condition = { ...drag.line.alert.condition, level: drag.price };
    void send(`/api/alerts/${drag.line.alert.id}`, 'PATCH', { condition, name: `${this.symbol} ${condition.direction === 'either' ? 'at' : condition.direction} ${drag.price.toFixed(2)}` })
      .then(() => {
        this.onChange(`Alert moved to ${drag.price.toFixed(2)}`);
        return this.reload();
      })
      .catch((error) => {
        this.onChange(`Alert not moved: ${error instanceof Error ? error.message : String(error)}`);
        void this.reload();
      });
  };

  dispose(): void {
    this.disposed = true;
    this.chart.unsubscribeClick(this.onClick);
    this.container.removeEventListener('pointerdown', this.onDown, true);
    window.removeEventListener('pointermove', this.onMove, true);
    window.removeEventListener('pointerup', this.onUp, true);
    for (const l of this.lines) this.candles.removePriceLine(l.line);
    this.lines = [];
  }
}
