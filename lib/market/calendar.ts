/**
 * The NSE exchange calendar (equity and equity derivatives): which IST days trade, and in which
 * windows. The one place that knows holidays and special sessions; date arithmetic comes from
 * lib/market/session.ts.
 *
 * - Normal session 09:15–15:30 IST, Monday–Friday (NSE "Market timings").
 * - Trading holidays per year from NSE's circulars "Trading holidays for the calendar year
 *   YYYY" (issued each December for the next year, Capital Market / F&O segments), plus the
 *   holidays NSE added during the year by later circulars (marked "added").
 * - Special sessions: Muhurat trading on Diwali (timings notified by a separate NSE circular
 *   each year), special live sessions on a Saturday/Sunday (Union Budget days, the 2024 DR-site
 *   drills, 20 Jan 2024 which replaced 22 Jan).
 * - Extendable: `createNseCalendar(extra)` with entries such as "2027-01-26" (a holiday) or
 *   "2026-11-08@18:00-19:00" (a special session, IST), from MARKET_CALENDAR_EXTRA.
 */
import { DAY_MS, istDate, istDateStart, istDayStart, istWeekday, SESSION_CLOSE_MINUTE, SESSION_OPEN_MINUTE } from './session';

/** One trading window, epoch ms UTC, [open, close). */
export interface SessionWindow {
  open: number;
  close: number;
}

/** NSE trading holidays falling on weekdays, by year (NSE circulars; see the file comment). */
export const NSE_HOLIDAYS: Record<string, string> = {
  // 2022 (NSE circular of Dec 2021, trading holidays for calendar year 2022)
  '2022-01-26': 'Republic Day',
  '2022-03-01': 'Mahashivratri',
  '2022-03-18': 'Holi',
  '2022-04-14': 'Dr. Baba Saheb Ambedkar Jayanti / Mahavir Jayanti',
  '2022-04-15': 'Good Friday',
  '2022-05-03': 'Id-Ul-Fitr (Ramzan Id)',
  '2022-08-09': 'Moharram',
  '2022-08-15': 'Independence Day',
  '2022-08-31': 'Ganesh Chaturthi',
  '2022-10-05': 'Dussehra',
  '2022-10-24': 'Diwali Laxmi Pujan (Muhurat trading in the evening)',
  '2022-10-26': 'Diwali Balipratipada',
  '2022-11-08': 'Gurunanak Jayanti',
  // 2023 (NSE circular of Dec 2022; Bakri Id moved from 29 to 28 June by a later circular)
  '2023-01-26': 'Republic Day',
  '2023-03-07': 'Holi',
  '2023-03-30': 'Ram Navami',
  '2023-04-04': 'Mahavir Jayanti',
  '2023-04-07': 'Good Friday',
  '2023-04-14': 'Dr. Baba Saheb Ambedkar Jayanti',
  '2023-05-01': 'Maharashtra Day',
  '2023-06-28': 'Bakri Id',
  '2023-08-15': 'Independence Day',
  '2023-09-19': 'Ganesh Chaturthi',
  '2023-10-02': 'Mahatma Gandhi Jayanti',
  '2023-10-24': 'Dussehra',
  '2023-11-14': 'Diwali Balipratipada',
  '2023-11-27': 'Gurunanak Jayanti',
  '2023-12-25': 'Christmas',
  // 2024 (NSE circular of Dec 2023; 22 Jan added under the NI Act per RBI press release
  // 2023-2024/1716; 20 May and 20 Nov added for the general and Maharashtra elections)
  '2024-01-22': 'Special holiday (added)',
  '2024-01-26': 'Republic Day',
  '2024-03-08': 'Mahashivratri',
  '2024-03-25': 'Holi',
  '2024-03-29': 'Good Friday',
  '2024-04-11': 'Id-Ul-Fitr (Ramzan Id)',
  '2024-04-17': 'Shri Ram Navmi',
  '2024-05-01': 'Maharashtra Day',
  '2024-05-20': 'General elections, Mumbai (added)',
  '2024-06-17': 'Bakri Id',
  '2024-07-17': 'Moharram',
  '2024-08-15': 'Independence Day',
  '2024-10-02': 'Mahatma Gandhi Jayanti',
  '2024-11-01': 'Diwali Laxmi Pujan (Muhurat trading in the evening)',
  '2024-11-15': 'Gurunanak Jayanti',
  '2024-11-20': 'Maharashtra assembly elections (added)',
  '2024-12-25': 'Christmas',
  // 2025 (NSE circular of Dec 2024)
  '2025-02-26': 'Mahashivratri',
  '2025-03-14': 'Holi',
  '2025-03-31': 'Id-Ul-Fitr (Ramzan Id)',
  '2025-04-10': 'Shri Mahavir Jayanti',
  '2025-04-14': 'Dr. Baba Saheb Ambedkar Jayanti',
  '2025-04-18': 'Good Friday',
  '2025-05-01': 'Maharashtra Day',
  '2025-08-15': 'Independence Day',
  '2025-08-27': 'Ganesh Chaturthi',
  '2025-10-02': 'Mahatma Gandhi Jayanti / Dussehra',
  '2025-10-21': 'Diwali Laxmi Pujan (Muhurat trading in the afternoon)',
  '2025-10-22': 'Diwali Balipratipada',
  '2025-11-05': 'Prakash Gurpurb Sri Guru Nanak Dev',
  '2025-12-25': 'Christmas',
  // 2026 (NSE circular of Dec 2025, 15 weekday holidays; 15 Jan added for the Maharashtra
  // municipal corporation elections)
  '2026-01-15': 'Municipal corporation elections, Maharashtra (added)',
  '2026-01-26': 'Republic Day',
  '2026-03-03': 'Holi',
  '2026-03-26': 'Shri Ram Navami',
  '2026-03-31': 'Shri Mahavir Jayanti',
  '2026-04-03': 'Good Friday',
  '2026-04-14': 'Dr. Baba Saheb Ambedkar Jayanti',
  '2026-05-01': 'Maharashtra Day',
  '2026-05-28': 'Bakri Id',
  '2026-06-26': 'Muharram',
  '2026-09-14': 'Ganesh Chaturthi',
  '2026-10-02': 'Mahatma Gandhi Jayanti',
  '2026-10-20': 'Dussehra',
  '2026-11-10': 'Diwali Balipratipada',
  '2026-11-24': 'Prakash Gurpurb Sri Guru Nanak Dev',
  '2026-12-25': 'Christmas',
};

/** Special sessions (IST "HH:MM-HH:MM" windows) on holidays or weekends, from NSE circulars. */
export const NSE_SPECIAL_SESSIONS: Record<string, { name: string; windows: string[] }> = {
  '2022-10-24': { name: 'Muhurat trading', windows: ['18:15-19:15'] },
  '2023-11-12': { name: 'Muhurat trading', windows: ['18:15-19:15'] },
  '2024-01-20': { name: 'Special live trading session (replaces 22 Jan)', windows: ['09:15-15:30'] },
  '2024-03-02': { name: 'Special live session from the primary and DR sites', windows: ['09:15-10:00', '11:30-12:30'] },
  '2024-05-18': { name: 'Special live session from the primary and DR sites', windows: ['09:15-10:00', '11:30-12:30'] },
  '2024-11-01': { name: 'Muhurat trading', windows: ['18:00-19:00'] },
  '2025-02-01': { name: 'Union Budget special live session', windows: ['09:15-15:30'] },
  '2025-10-21': { name: 'Muhurat trading', windows: ['13:45-14:45'] },
  '2026-02-01': { name: 'Union Budget special live session', windows: ['09:15-15:30'] },
  // 2026-11-08 (Sunday) Muhurat trading: timings to be notified by NSE; add them through
  // MARKET_CALENDAR_EXTRA ("2026-11-08@HH:MM-HH:MM") once announced.
};

export interface ExchangeCalendar {
  /** Trading windows of the IST day containing `ms` ([] on a holiday or weekend without a special session). */
  sessions(ms: number): SessionWindow[];
  /** Why the IST day containing `ms` does not trade normally: holiday name, "weekend", or null. */
  closedReason(ms: number): string | null;
  /** True when the IST day containing `ms` has at least one trading window. */
  isTradingDay(ms: number): boolean;
  /** True when `ms` falls inside a trading window (09:15–15:30 IST on a normal day; none on a holiday). */
  isOpen(ms: number): boolean;
  /** Start (epoch ms) of every session minute in [from, to): the 1m buckets that should have a candle. */
  sessionMinutes(from: number, to: number): number[];
  /** IST dates "YYYY-MM-DD" in [from, to) that trade. */
  tradingDays(from: number, to: number): string[];
}

function window(dayStart: number, text: string): SessionWindow {
  const m = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(text);
  if (!m) throw new Error(`Invalid session window "${text}": expected HH:MM-HH:MM (IST)`);
  const open = dayStart + (+m[1] * 60 + +m[2]) * 60_000;
  const close = dayStart + (+m[3] * 60 + +m[4]) * 60_000;
  if (close <= open) throw new Error(`Invalid session window "${text}": close must be after open`);
  return { open, close };
}

/**
 * Parse MARKET_CALENDAR_EXTRA-style entries, comma-separated: "YYYY-MM-DD" = holiday,
 * "YYYY-MM-DD@HH:MM-HH:MM[+HH:MM-HH:MM]" = special session(s). Throws naming a bad entry.
 */
export function parseCalendarExtra(text: string): { holidays: Record<string, string>; sessions: Record<string, { name: string; windows: string[] }> } {
  const holidays: Record<string, string> = {};
  const sessions: Record<string, { name: string; windows: string[] }> = {};
  for (const raw of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [date, windows] = raw.split('@');
    if (Number.isNaN(istDateStart(date))) throw new Error(`Invalid calendar entry "${raw}": expected YYYY-MM-DD[@HH:MM-HH:MM]`);
    if (windows) {
      const list = windows.split('+');
      for (const w of list) window(0, w);
      sessions[date] = { name: 'Special session (configured)', windows: list };
    } else {
      holidays[date] = 'Holiday (configured)';
    }
  }
  return { holidays, sessions };
}

/**
 * How a segment trades on an ordinary day and which days it does not: the input of
 * `createCalendar`. `normalWindows` gives the IST "HH:MM-HH:MM" windows of a normal trading day
 * (it may depend on the date, e.g. MCX's close moves with US daylight saving).
 */
export interface CalendarSpec {
  normalWindows: (dayStart: number) => string[];
  holidays: Record<string, string>;
  specials: Record<string, { name: string; windows: string[] }>;
  /** Trading on Saturdays and Sundays too (the simulator's synthetic market). Default false. */
  weekends?: boolean;
}

/** A calendar from a spec: weekdays trade their normal windows unless a holiday; specials override. */
export function createCalendar(spec: CalendarSpec): ExchangeCalendar {
  const { holidays, specials } = spec;
  const cache = new Map<number, SessionWindow[]>();
  const sessions = (ms: number): SessionWindow[] => {
    const dayStart = istDayStart(ms);
    const cached = cache.get(dayStart);
    if (cached) return cached;
    const date = istDate(dayStart);
    const special = specials[date];
    const weekday = istWeekday(dayStart);
    let out: SessionWindow[];
    if (special) out = special.windows.map((w) => window(dayStart, w));
    else if ((!spec.weekends && (weekday === 0 || weekday === 6)) || holidays[date]) out = [];
    else out = spec.normalWindows(dayStart).map((w) => window(dayStart, w));
    if (cache.size > 4096) cache.clear();
    cache.set(dayStart, out);
    return out;
  };

  return {
    sessions,
    closedReason(ms) {
      const date = istDate(ms);
      if (holidays[date]) return holidays[date];
      const weekday = istWeekday(ms);
      return !spec.weekends && (weekday === 0 || weekday === 6) ? 'weekend' : null;
    },
    isTradingDay: (ms) => sessions(ms).length > 0,
    isOpen: (ms) => sessions(ms).some((w) => ms >= w.open && ms < w.close),
    sessionMinutes(from, to) {
      const out: number[] = [];
      for (let day = istDayStart(from); day < to; day += DAY_MS) {
        for (const w of sessions(day)) {
          for (let m = Math.max(w.open, Math.ceil(from / 60_000) * 60_000); m < Math.min(w.close, to); m += 60_000) out.push(m);
        }
      }
      return out;
    },
    tradingDays(from, to) {
      const out: string[] = [];
      for (let day = istDayStart(from); day < to; day += DAY_MS) {
        if (sessions(day).some((w) => w.close > from && w.open < to)) out.push(istDate(day));
      }
      return out;
    },
  };
}

const pad = (minute: number) => `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
/** NSE's normal equity session as an IST window, "09:15-15:30". */
export const NSE_NORMAL_WINDOW = `${pad(SESSION_OPEN_MINUTE)}-${pad(SESSION_CLOSE_MINUTE)}`;

/** The NSE equity / F&O calendar, optionally extended by MARKET_CALENDAR_EXTRA entries (see parseCalendarExtra). */
export function createNseCalendar(extra = ''): ExchangeCalendar {
  const parsed = parseCalendarExtra(extra);
  return createCalendar({
    normalWindows: () => [NSE_NORMAL_WINDOW],
    holidays: { ...NSE_HOLIDAYS, ...parsed.holidays },
    specials: { ...NSE_SPECIAL_SESSIONS, ...parsed.sessions },
  });
}

/** The NSE calendar without configured extras. */
export const nseCalendar: ExchangeCalendar = createNseCalendar();
