/**
 * Market-session rules per segment: the one place that says when an instrument trades, so that
 * only ticks inside its session form candles (worker/pipeline/aggregator.ts), gaps are counted
 * against the right minutes (lib/db/queries/gaps.ts) and watchdogs know market hours.
 *
 * Sessions (IST, [open, close): a tick stamped exactly at the close is outside):
 * - Equity and equity derivatives, NSE / BSE / NFO / BFO: 09:15–15:30 (NSE and BSE "Market
 *   timings"; pre-open call auction 09:00–09:08 and buffer to 09:15, closing session
 *   15:40–16:00 are outside). Holidays and special sessions (Muhurat, budget Saturdays): the
 *   NSE calendar (lib/market/calendar.ts; BSE follows the same list).
 * - Currency derivatives, CDS / BCD: 09:00–17:00 (NSE currency derivatives timings), NSE
 *   holidays. Currency Muhurat timings differ from equity: add them with a "CDS:" entry.
 * - Commodities, MCX: 09:00–23:30 while the US is on daylight-saving time (second Sunday of
 *   March to first Sunday of November), 09:00–23:55 otherwise (MCX circulars on trading hours,
 *   which follow the US change). Agricultural commodities close at 17:00; the internationally
 *   referenceable agricultural ones (cotton, cotton candy, kapas, crude palm oil, mentha oil,
 *   RBD palmolein) at 21:00 (MCX circular on agri trading hours). MCX holidays are not built
 *   in (MCX often keeps its evening session on NSE holidays): add them with "MCX:" entries.
 * - The simulator's synthetic market trades around the clock, every day (worker/feeds/simulator.ts),
 *   so the demo is alive at any hour.
 *
 * Extra entries (MARKET_CALENDAR_EXTRA, comma-separated, see parseCalendarExtra): unprefixed
 * entries apply to equity and currency; "MCX:…", "CDS:…" and "EQ:…" apply to one segment only.
 */
import type { Exchange, FeedSource } from './tick';
import {
  createCalendar,
  NSE_HOLIDAYS,
  NSE_NORMAL_WINDOW,
  NSE_SPECIAL_SESSIONS,
  parseCalendarExtra,
  type ExchangeCalendar,
  type SessionWindow,
} from './calendar';
import { istDate, istDateStart } from './session';

/** Session classes: every instrument trades by exactly one of these. */
export type SessionClass = 'equity' | 'currency' | 'commodity' | 'commodity-agri' | 'commodity-agri-intl' | 'around-the-clock';

/** Underlyings of MCX agricultural contracts (close 17:00): the tradingsymbol's leading letters. */
const MCX_AGRI = ['CARDAMOM', 'CASTORSEED', 'GUARGUM', 'GUARSEED', 'KAPASKHALI', 'RUBBER', 'SOYBEAN', 'REFSOYOIL', 'CHANA', 'MAIZE', 'WHEAT', 'JEERA', 'TURMERIC', 'CORIANDER'];
/** Internationally referenceable MCX agricultural contracts (close 21:00). */
const MCX_AGRI_INTL = ['COTTONCNDY', 'COTTON', 'KAPAS', 'CPO', 'MENTHAOIL', 'RBDPMOLEIN'];

/** What identifies an instrument's session: its exchange, tradingsymbol and (for the simulator) feed. */
export interface SessionKey {
  exchange: Exchange | string;
  tradingsymbol: string;
  feed?: FeedSource;
}

/** The session class of an instrument (see the file comment). */
export function sessionClassOf(key: SessionKey): SessionClass {
  if (key.feed === 'simulator') return 'around-the-clock';
  switch (key.exchange) {
    case 'CDS':
    case 'BCD':
      return 'currency';
    case 'MCX': {
      const underlying = /^[A-Z]+/.exec(key.tradingsymbol.toUpperCase())?.[0] ?? '';
      if (MCX_AGRI_INTL.includes(underlying)) return 'commodity-agri-intl';
      if (MCX_AGRI.includes(underlying)) return 'commodity-agri';
      return 'commodity';
    }
    default:
      return 'equity';
  }
}

/** Second Sunday of March ≤ IST date < first Sunday of November: the US is on daylight time. */
export function usDaylightSaving(dayStart: number): boolean {
  const date = istDate(dayStart);
  const year = Number(date.slice(0, 4));
  const nthSunday = (month: number, n: number) => {
    const first = new Date(Date.UTC(year, month - 1, 1)).getUTCDay();
    return 1 + ((7 - first) % 7) + (n - 1) * 7;
  };
  const start = istDateStart(`${year}-03-${String(nthSunday(3, 2)).padStart(2, '0')}`);
  const end = istDateStart(`${year}-11-${String(nthSunday(11, 1)).padStart(2, '0')}`);
  const day = istDateStart(date);
  return day >= start && day < end;
}

/** Split MARKET_CALENDAR_EXTRA into per-segment entry lists ("MCX:2026-01-26" → commodity). */
function extrasBySegment(extra: string): Record<'equity' | 'currency' | 'commodity', string> {
  const out = { equity: [] as string[], currency: [] as string[], commodity: [] as string[] };
  for (const raw of extra.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^(MCX|CDS|EQ):(.*)$/i.exec(raw);
    if (!m) {
      out.equity.push(raw);
      out.currency.push(raw);
    } else if (m[1].toUpperCase() === 'MCX') out.commodity.push(m[2]);
    else if (m[1].toUpperCase() === 'CDS') out.currency.push(m[2]);
    else out.equity.push(m[2]);
  }
  return { equity: out.equity.join(','), currency: out.currency.join(','), commodity: out.commodity.join(',') };
}

/** Validate MARKET_CALENDAR_EXTRA (with segment prefixes). Throws naming the bad entry. */
export function parseSessionExtra(extra: string): void {
  const parts = extrasBySegment(extra);
  for (const text of Object.values(parts)) parseCalendarExtra(text);
}

/** Session rules of every segment, with calendars built once. */
export interface MarketSessions {
  /** The calendar of an instrument's segment. */
  calendarFor(key: SessionKey): ExchangeCalendar;
  /** Trading windows of the IST day containing `ms` for an instrument ([] when it does not trade). */
  windows(key: SessionKey, ms: number): SessionWindow[];
  /** True when `ms` is inside one of the instrument's trading windows of that day. */
  isOpen(key: SessionKey, ms: number): boolean;
  /** The equity (NSE) calendar: market hours for status badges and collector watchdogs. */
  readonly equity: ExchangeCalendar;
}

/** Build the session rules, extended by MARKET_CALENDAR_EXTRA-style entries. Throws on a bad entry. */
export function createMarketSessions(extra = ''): MarketSessions {
  const parts = extrasBySegment(extra);
  const eq = parseCalendarExtra(parts.equity);
  const cur = parseCalendarExtra(parts.currency);
  const com = parseCalendarExtra(parts.commodity);
  const mcxClose = (dayStart: number) => (usDaylightSaving(dayStart) ? '09:00-23:30' : '09:00-23:55');
  const calendars: Record<SessionClass, ExchangeCalendar> = {
    equity: createCalendar({
      normalWindows: () => [NSE_NORMAL_WINDOW],
      holidays: { ...NSE_HOLIDAYS, ...eq.holidays },
      specials: { ...NSE_SPECIAL_SESSIONS, ...eq.sessions },
    }),
    currency: createCalendar({ normalWindows: () => ['09:00-17:00'], holidays: { ...NSE_HOLIDAYS, ...cur.holidays }, specials: cur.sessions }),
    commodity: createCalendar({ normalWindows: (day) => [mcxClose(day)], holidays: com.holidays, specials: com.sessions }),
    'commodity-agri': createCalendar({ normalWindows: () => ['09:00-17:00'], holidays: com.holidays, specials: com.sessions }),
    'commodity-agri-intl': createCalendar({ normalWindows: () => ['09:00-21:00'], holidays: com.holidays, specials: com.sessions }),
    'around-the-clock': createCalendar({ normalWindows: () => ['00:00-24:00'], holidays: {}, specials: {}, weekends: true }),
  };
  return {
    calendarFor: (key) => calendars[sessionClassOf(key)],
    windows: (key, ms) => calendars[sessionClassOf(key)].sessions(ms),
    isOpen: (key, ms) => calendars[sessionClassOf(key)].isOpen(ms),
    equity: calendars.equity,
  };
}

/** Session rules without configured extras (tests, tools). */
export const defaultMarketSessions: MarketSessions = createMarketSessions();
