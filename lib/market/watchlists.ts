/**
 * The 15 predefined watchlists (seed 000): four index lists, three dynamic market-mover lists
 * computed live by the scanner, and eight sector lists.
 *
 * Constituents are public facts, embedded so the app runs without ../shared. Each list names
 * its source (../shared/data/index-constituents, the newest list available per index) and the
 * date of that list. Symbols are NSE tradingsymbols; they are resolved to instrument tokens
 * through the `instruments` table at run time, so a symbol the instruments master does not know
 * (a renamed or delisted company in an old list) is simply not shown.
 *
 * Caveats (see docs/desk.md):
 * - NIFTYMIDCAP50: no NIFTY MIDCAP 50 list is available; the NIFTY MIDCAP 100 of 2026-08-22 is
 *   used instead (the MIDCAP 50 is drawn from the same Midcap 150 universe, top by market cap).
 * - PHARMA, AUTO, METAL, ENERGY (NIFTY OIL & GAS), FMCG, REALTY, MEDIA: NSE lists of 2021-10,
 *   the newest available; some symbols have since been renamed (e.g. TATAMOTORS, PVR).
 */

export type WatchlistCategory = 'index' | 'movers' | 'sector';

export interface PredefinedWatchlist {
  /** Upper-case list name, e.g. "NIFTY50". */
  name: string;
  category: WatchlistCategory;
  description: string;
  /** Where the constituents come from, or how the dynamic list is computed. */
  source: string;
  /** NSE tradingsymbols in index order; empty for dynamic lists. */
  symbols: readonly string[];
  /** Dynamic lists: the scanner preset that fills them (top `DYNAMIC_WATCHLIST_SIZE`, 1d timeframe). */
  preset?: 'top_gainers' | 'top_losers' | 'most_active';
}

/** How many instruments a dynamic list (TOP_GAINERS, TOP_LOSERS, MOST_ACTIVE) holds. */
export const DYNAMIC_WATCHLIST_SIZE = 20;

const split = (text: string): readonly string[] => Object.freeze(text.trim().split(/\s+/));

// prettier-ignore
export const PREDEFINED_WATCHLISTS: readonly PredefinedWatchlist[] = Object.freeze([
  {
    name: 'NIFTY50', category: 'index', description: 'NIFTY 50 constituents',
    source: 'NSE ind_nifty50list.csv, 2026-08-22 (index-constituents/prasad360)',
    symbols: split(`ADANIENT ADANIPORTS APOLLOHOSP ASIANPAINT AXISBANK BAJAJ-AUTO BAJFINANCE BAJAJFINSV BEL BHARTIARTL
      CIPLA COALINDIA DRREDDY EICHERMOT ETERNAL GRASIM HCLTECH HDFCBANK HDFCLIFE HINDALCO HINDUNILVR ICICIBANK ITC INFY
      INDIGO JSWSTEEL JIOFIN KOTAKBANK LT M&M MARUTI MAXHEALTH NTPC NESTLEIND ONGC POWERGRID RELIANCE SBILIFE SHRIRAMFIN
      SBIN SUNPHARMA TCS TATACONSUM TMPV TATASTEEL TECHM TITAN TRENT ULTRACEMCO WIPRO`),
  },
  {
    name: 'BANKNIFTY', category: 'index', description: 'NIFTY BANK constituents',
    source: 'NSE ind_niftybanklist.csv, 2025-03-30 (index-constituents/omsaikapawar)',
    symbols: split(`AUBANK AXISBANK BANKBARODA CANBK FEDERALBNK HDFCBANK ICICIBANK IDFCFIRSTB INDUSINDBK KOTAKBANK PNB SBIN`),
  },
  {
    name: 'NIFTYNEXT50', category: 'index', description: 'NIFTY NEXT 50 constituents',
    source: 'NSE ind_niftynext50list.csv, 2026-08-22 (index-constituents/prasad360)',
    symbols: split(`ABB ADANIENSOL ADANIGREEN ADANIPOWER AMBUJACEM DMART BAJAJHLDNG BANKBARODA BPCL BOSCHLTD BRITANNIA
      CGPOWER CANBK CHOLAFIN CUMMINSIND DLF DIVISLAB GAIL GODREJCP HDFCAMC HAL HINDZINC HYUNDAI INDHOTEL IOC IRFC
      JINDALSTEL LTM LODHA MAZDOCK MUTHOOTFIN PIDILITIND PFC PNB RECLTD MOTHERSON SHREECEM ENRIN SIEMENS SOLARINDS
      TVSMOTOR TATACAP TMCV TATAPOWER TORNTPHARM UNIONBANK UNITDSPR VBL VEDL ZYDUSLIFE`),
  },
  {
    name: 'NIFTYMIDCAP50', category: 'index',
    description: 'Midcaps: NIFTY MIDCAP 100 constituents (no MIDCAP 50 list is available)',
    source: 'NSE ind_niftymidcap100list.csv, 2026-08-22 (index-constituents/prasad360)',
    symbols: split(`360ONE APLAPOLLO AUBANK ATGL ABCAPITAL ALKEM ASHOKLEY ASTRAL AUROPHARMA BSE BANKINDIA BDL BHARATFORG
      BHEL GROWW BIOCON BLUESTARCO COCHINSHIP COFORGE COLPAL CONCOR COROMANDEL DABUR DIXON EXIDEIND NYKAA FEDERALBNK
      FORTIS GVT&D GMRAIRPORT GLENMARK GODFRYPHLP GODREJPROP HAVELLS HEROMOTOCO HINDPETRO POWERINDIA HUDCO ICICIGI
      ICICIAMC IDFCFIRSTB INDIANB IRCTC IREDA INDUSTOWER INDUSINDBK NAUKRI JSWENERGY JUBLFOOD KEI KPITTECH KALYANKJIL
      LTF LGEINDIA LICHSGFIN LAURUSLABS LENSKART LUPIN MRF M&MFIN MANKIND MARICO MFSL MOTILALOFS MPHASIS MCX NHPC NMDC
      NATIONALUM OBEROIRLTY OIL PAYTM OFSS POLICYBZR PIIND PAGEIND PATANJALI PERSISTENT PHOENIXLTD POLYCAB PREMIERENE
      PRESTIGE RADICO RVNL SBICARD SRF SAIL SUPREMEIND SUZLON SWIGGY TATACOMM TATAELXSI TATAINVEST TIINDIA UPL VMM IDEA
      VOLTAS WAAREEENER YESBANK`),
  },
  {
    name: 'TOP_GAINERS', category: 'movers', description: 'Top gainers of the day (% change vs previous close), live',
    source: 'scanner preset top_gainers, 1d', symbols: [], preset: 'top_gainers',
  },
  {
    name: 'TOP_LOSERS', category: 'movers', description: 'Top losers of the day (% change vs previous close), live',
    source: 'scanner preset top_losers, 1d', symbols: [], preset: 'top_losers',
  },
  {
    name: 'MOST_ACTIVE', category: 'movers', description: 'Most active by traded value (LTP × day volume), live',
    source: 'scanner preset most_active, 1d', symbols: [], preset: 'most_active',
  },
  {
    name: 'IT', category: 'sector', description: 'NIFTY IT constituents',
    source: 'NSE ind_niftyitlist.csv, 2025-03-30 (index-constituents/omsaikapawar)',
    symbols: split(`COFORGE HCLTECH INFY LTIM MPHASIS OFSS PERSISTENT TCS TECHM WIPRO`),
  },
  {
    name: 'PHARMA', category: 'sector', description: 'NIFTY PHARMA constituents',
    source: 'NSE ind_niftypharmalist.csv, 2021-10 (index-constituents/pillai-amal)',
    symbols: split(`ABBOTINDIA APLLTD ALKEM AUROPHARMA BIOCON CADILAHC CIPLA DIVISLAB DRREDDY GLAND GLENMARK GRANULES
      IPCALAB LAURUSLABS LUPIN NATCOPHARM PFIZER STAR SUNPHARMA TORNTPHARM`),
  },
  {
    name: 'AUTO', category: 'sector', description: 'NIFTY AUTO constituents',
    source: 'NSE ind_niftyautolist.csv, 2021-10 (index-constituents/pillai-amal)',
    symbols: split(`AMARAJABAT ASHOKLEY BAJAJ-AUTO BALKRISIND BHARATFORG BOSCHLTD EICHERMOT EXIDEIND HEROMOTOCO MRF M&M
      MARUTI TVSMOTOR TATAMOTORS TIINDIA`),
  },
  {
    name: 'METAL', category: 'sector', description: 'NIFTY METAL constituents',
    source: 'NSE ind_niftymetallist.csv, 2021-10 (index-constituents/pillai-amal)',
    symbols: split(`APLAPOLLO ADANIENT COALINDIA HINDALCO HINDCOPPER HINDZINC JSWSTEEL JINDALSTEL NMDC NATIONALUM
      RATNAMANI SAIL TATASTEEL VEDL WELCORP`),
  },
  {
    name: 'ENERGY', category: 'sector', description: 'NIFTY OIL & GAS constituents',
    source: 'NSE ind_niftyoilgaslist.csv, 2021-10 (index-constituents/pillai-amal)',
    symbols: split(`ATGL BPCL CASTROLIND GAIL GUJGASLTD GSPL HINDPETRO IOC IGL MGL MRPL ONGC OIL PETRONET RELIANCE`),
  },
  {
    name: 'FMCG', category: 'sector', description: 'NIFTY FMCG constituents',
    source: 'NSE ind_niftyfmcglist.csv, 2021-10 (index-constituents/pillai-amal)',
    symbols: split(`BRITANNIA COLPAL DABUR EMAMILTD GODREJCP HINDUNILVR ITC MARICO NESTLEIND PGHH RADICO TATACONSUM UBL
      MCDOWELL-N VBL`),
  },
  {
    name: 'REALTY', category: 'sector', description: 'NIFTY REALTY constituents',
    source: 'NSE ind_niftyrealtylist.csv, 2021-10 (index-constituents/pillai-amal)',
    symbols: split(`BRIGADE DLF GODREJPROP IBREALEST LODHA OBEROIRLTY PHOENIXLTD PRESTIGE SOBHA SUNTECK`),
  },
  {
    name: 'MEDIA', category: 'sector', description: 'NIFTY MEDIA constituents',
    source: 'NSE ind_niftymedialist.csv, 2021-10 (index-constituents/pillai-amal)',
    symbols: split(`DISHTV HATHWAY INOXLEISUR NAZARA NETWORK18 PVR SAREGAMA SUNTV TV18BRDCST ZEEL`),
  },
] satisfies PredefinedWatchlist[]);

const BY_NAME = new Map(PREDEFINED_WATCHLISTS.map((list) => [list.name, list]));

/** The predefined list called `name` (case-insensitive), or undefined. */
export function findPredefinedWatchlist(name: string): PredefinedWatchlist | undefined {
  return BY_NAME.get(name.trim().toUpperCase());
}

/** True when `name` (case-insensitive) is one of the 15 predefined lists (user lists may not take it). */
export function isPredefinedWatchlistName(name: string): boolean {
  return BY_NAME.has(name.trim().toUpperCase());
}

/** Sector lists, for the home page heat map. */
export const SECTOR_WATCHLISTS: readonly PredefinedWatchlist[] = PREDEFINED_WATCHLISTS.filter(
  (list) => list.category === 'sector',
);

/** Sector of an NSE tradingsymbol (first sector list containing it), or null. */
export function sectorOf(tradingsymbol: string): string | null {
  for (const list of SECTOR_WATCHLISTS) if (list.symbols.includes(tradingsymbol)) return list.name;
  return null;
}

/** "NSE:SYMBOL" symbols of a static predefined list. */
export function predefinedSymbols(list: PredefinedWatchlist): string[] {
  return list.symbols.map((symbol) => `NSE:${symbol}`);
}
