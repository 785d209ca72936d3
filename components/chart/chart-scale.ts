/**
 * How the candle chart scales: price labels with Indian digit grouping, and the bars shown after
 * a (re)load. Pure; unit-tested in test/unit/chart-scale.test.ts.
 */
import type { PriceFormatCustom } from 'lightweight-charts';
import { formatCompactVolume, formatPrice } from '@/components/format';

/**
 * Price format of the candle series: axis labels, crosshair and last-price labels as the header
 * shows prices (en-IN grouping, two decimals: 18,758.35; 1,00,000.00), steps of ₹0.01.
 */
export const INDIAN_PRICE_FORMAT: PriceFormatCustom = {
  type: 'custom',
  minMove: 0.01,
  formatter: (price: number) => axisPrice(price),
};

/** The label of one price (rupees) on the axis: "18,758.35". */
export function axisPrice(price: number): string {
  return formatPrice(price);
}

/**
 * Quantity format of the volume histogram and the OI pane: Indian units (12.50K, 3.40L lakh,
 * 1.20Cr crore; below 1,000 whole), as the watchlists show volume, instead of the library's
 * international K/M. The OI change histogram can go negative (−2.10L).
 */
export const INDIAN_QUANTITY_FORMAT: PriceFormatCustom = {
  type: 'custom',
  minMove: 1,
  formatter: (quantity: number) => formatCompactVolume(quantity),
};

/** Narrowest bar slot (px) before the initial view shows only the newest bars. */
export const MIN_BAR_SPACING_PX = 6;
/** Empty bar slots right of the newest bar, room for the live candle. */
export const RIGHT_OFFSET_BARS = 3;
/** Fewest bar slots shown, so three bars of a fresh start are not drawn a third of the width each. */
export const MIN_VISIBLE_SLOTS = 20;

/**
 * The logical range to show after loading `count` bars into a chart `widthPx` wide: every bar
 * when they fit at MIN_BAR_SPACING_PX or wider (the data spans the width, no empty left part),
 * else the newest ones that do; never fewer than MIN_VISIBLE_SLOTS slots. Logical indexes: bar i
 * is centred on i.
 * @param widthPx plot width in CSS px
 * @returns null when there are no bars (leave the chart as it is)
 */
export function initialVisibleRange(count: number, widthPx: number): { from: number; to: number } | null {
  if (count <= 0) return null;
  const fit = Math.max(MIN_VISIBLE_SLOTS, Math.floor(Math.max(0, widthPx) / MIN_BAR_SPACING_PX) - RIGHT_OFFSET_BARS);
  const to = count - 0.5 + RIGHT_OFFSET_BARS;
  const from = count <= fit ? -0.5 : count - fit - 0.5;
  return { from: Math.min(from, to - MIN_VISIBLE_SLOTS), to };
}
