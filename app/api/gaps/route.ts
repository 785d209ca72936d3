/**
 * GET /api/gaps?symbol=NSE:NIFTY%2050&from=<ISO>&to=<ISO>[&allDays=true]
 *
 * Missing 1m candles of one instrument: runs of its session minutes (lib/market/sessions.ts:
 * NSE/BSE/NFO/BFO 09:15–15:30 IST, CDS 09:00–17:00, MCX to 23:30/23:55, holidays and special
 * sessions; never a holiday, weekend or after-hours minute, never the current minute) with no
 * complete candle (a partial 1m candle counts as missing).
 * By default only days on which the instrument has data count (it was subscribed);
 * `allDays=true` expects every trading day. Feed events (disconnects, reconnects) in the range
 * are listed so a gap's cause is known.
 *
 * 200: { "symbol", "from", "to", "expectedMinutes", "presentMinutes",
 *        "gaps": [{ "from": "<ISO UTC>", "to": "<ISO UTC, exclusive>", "minutes": 15 }],
 *        "feedEvents": [{ "time", "feed", "kind", "detail" }] }
 * Errors: 400 invalid_request (field named), 404 not_found (unknown symbol), 500 internal.
 */
import { requireInstrument } from '@/lib/api/require-instrument';
import { api } from '@/lib/contracts/api';
import { configuredSessions } from '@/lib/config/history-env';
import { getFeedEvents } from '@/lib/db/queries/feed-events';
import { findMinuteGaps } from '@/lib/db/queries/gaps';
import { getDatabase } from '@/lib/db/runtime';
import { route } from '@/lib/http/route';
import { symbolOf } from '@/lib/market/tick';

export const dynamic = 'force-dynamic';

export const GET = route(api.getGaps, async ({ query }) => {
  const db = await getDatabase();
  const instrument = await requireInstrument(db, query.symbol);
  const result = await findMinuteGaps(db, {
    instrumentToken: instrument.instrumentToken,
    from: query.from.getTime(),
    to: query.to.getTime(),
    calendar: configuredSessions().calendarFor(instrument),
    allDays: query.allDays,
  });
  const events = await getFeedEvents(db, query.from, query.to);
  return {
    symbol: symbolOf(instrument),
    from: query.from.toISOString(),
    to: query.to.toISOString(),
    expectedMinutes: result.expected,
    presentMinutes: result.present,
    gaps: result.gaps.map((g) => ({ from: new Date(g.from).toISOString(), to: new Date(g.to).toISOString(), minutes: g.minutes })),
    feedEvents: events.map((e) => ({ time: e.time.toISOString(), feed: e.feed, kind: e.kind, detail: e.detail })),
  };
});
