/**
 * A local Kite Connect REST server for tests: the real `KiteConnect` client (npm kiteconnect,
 * `root: server.url`) talks to it over HTTP on an ephemeral port.
 *
 * Routes live in one table (`routes`) of `{ method, pattern, handle }`; add more (instruments,
 * quotes, …) with `server.route(...)` or by extending `defaultRoutes`. Every request is counted
 * per route name and per instrument token (`server.requests`).
 *
 * Implemented: GET /instruments/historical/:token/:interval (Kite's historical candles:
 * https://kite.trade/docs/connect/v3/historical/) serving `minute` candles from a data set,
 * with Kite's JSON shape (`{"status":"success","data":{"candles":[["2017-12-15T09:15:00+0530",
 * o, h, l, c, v(, oi)]]}}`), `from`/`to` as IST "YYYY-MM-DD HH:MM:SS" (both inclusive), Kite's
 * 60-day minute span limit (400 InputException beyond it), and its 3 requests/second limit
 * (429 "Too many requests" beyond it).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A 1m candle of the data set: bucket start epoch ms UTC, prices rupees. */
export interface ServedCandle {
  bucket: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  oi?: number | null;
}

export interface KiteRestRequest {
  method: string;
  url: URL;
  params: Record<string, string>;
}

export interface KiteRestResponse {
  status: number;
  body: unknown;
  /** A non-JSON answer (e.g. "text/csv" for /instruments): `body` is sent as is (a string). */
  contentType?: string;
}

export interface KiteRestRoute {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path with `:param` segments, e.g. "/instruments/historical/:token/:interval". */
  pattern: string;
  handle(request: KiteRestRequest): KiteRestResponse | Promise<KiteRestResponse>;
}

export interface KiteRestServer {
  url: string;
  /** Requests per route name, and historical requests per instrument token. */
  requests: { total: number; byRoute: Map<string, number>; historicalByToken: Map<number, number>; rateLimited: number };
  /** 1m candles served per instrument token (replace or extend between tests). */
  candles: Map<number, ServedCandle[]>;
  /** Day candles (bucket 00:00 IST) served for interval=day, per instrument token. */
  dailyCandles: Map<number, ServedCandle[]>;
  /** Optional fault per historical request (e.g. a 403 TokenException for one token); undefined = serve. */
  historicalFault?: (token: number) => KiteRestResponse | undefined;
  route(route: KiteRestRoute): void;
  resetCounts(): void;
  close(): Promise<void>;
}

const IST_OFFSET_MS = 330 * 60_000;
const DAY_MS = 86_400_000;

/** "2017-12-15T09:15:00+0530" for an epoch ms (Kite's historical timestamp format). */
export function kiteTimestamp(ms: number): string {
  return `${new Date(ms + IST_OFFSET_MS).toISOString().slice(0, 19)}+0530`;
}

/** Parse Kite's `from`/`to` query values: IST "YYYY-MM-DD HH:MM:SS" or "YYYY-MM-DD". NaN if malformed. */
function parseIstParam(text: string | null): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(text ?? '');
  if (!m) return Number.NaN;
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0)) - IST_OFFSET_MS;
}

/** A Kite error response (`{"status":"error","message",…,"error_type"}`). */
export const kiteError = (status: number, error_type: string, message: string): KiteRestResponse => ({
  status,
  body: { status: 'error', message, data: null, error_type },
});

function historicalRoute(server: KiteRestServer): KiteRestRoute {
  return {
    name: 'historical',
    method: 'GET',
    pattern: '/instruments/historical/:token/:interval',
    handle({ url, params }) {
      const token = Number(params.token);
      server.requests.historicalByToken.set(token, (server.requests.historicalByToken.get(token) ?? 0) + 1);
      const fault = server.historicalFault?.(token);
      if (fault) return fault;
      if (params.interval !== 'minute' && params.interval !== 'day') {
        return kiteError(400, 'InputException', `interval ${params.interval} not served by this test server`);
      }
      const daily = params.interval === 'day';
      const from = parseIstParam(url.searchParams.get('from'));
      const to = parseIstParam(url.searchParams.get('to'));
      if (Number.isNaN(from) || Number.isNaN(to)) return kiteError(400, 'InputException', 'invalid from/to');
      if (to < from) return kiteError(400, 'InputException', 'invalid from/to: to before from');
      const maxDays = daily ? 2000 : 60;
      if (to - from > maxDays * DAY_MS) return kiteError(400, 'InputException', `interval exceeds max limit: ${maxDays} days`);
      const withOi = url.searchParams.get('oi') === '1';
      const candles = ((daily ? server.dailyCandles : server.candles).get(token) ?? [])
        .filter((c) => c.bucket >= from && c.bucket <= to)
        .map((c) => {
          const row: (string | number)[] = [kiteTimestamp(c.bucket), c.open, c.high, c.low, c.close, c.volume];
          if (withOi) row.push(c.oi ?? 0);
          return row;
        });
      return { status: 200, body: { status: 'success', data: { candles } } };
    },
  };
}

/**
 * Start the server on 127.0.0.1 and an ephemeral port.
 * @param options.requestsPerSecond  Kite's historical limit (3); more requests within one second get 429.
 */
export async function startKiteRestServer(options: { requestsPerSecond?: number } = {}): Promise<KiteRestServer> {
  const perSecond = options.requestsPerSecond ?? 3;
  const routes: KiteRestRoute[] = [];
  const recent: number[] = [];
  const httpServer = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      let response: KiteRestResponse = kiteError(404, 'GeneralException', `Route not found: ${url.pathname}`);
      for (const route of routes) {
        if (route.method !== req.method) continue;
        const params = match(route.pattern, url.pathname);
        if (!params) continue;
        server.requests.total++;
        server.requests.byRoute.set(route.name, (server.requests.byRoute.get(route.name) ?? 0) + 1);
        const now = Date.now();
        while (recent.length > 0 && now - recent[0] >= 1000) recent.shift();
        if (recent.length >= perSecond) {
          server.requests.rateLimited++;
          response = kiteError(429, 'NetworkException', 'Too many requests');
        } else {
          recent.push(now);
          try {
            response = await route.handle({ method: req.method ?? 'GET', url, params });
          } catch (e) {
            response = kiteError(500, 'GeneralException', e instanceof Error ? e.message : String(e));
          }
        }
        break;
      }
      res.writeHead(response.status, { 'content-type': response.contentType ?? 'application/json' });
      res.end(response.contentType ? String(response.body) : JSON.stringify(response.body));
    })();
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;
  const server: KiteRestServer = {
    url: `http://127.0.0.1:${port}`,
    requests: { total: 0, byRoute: new Map(), historicalByToken: new Map(), rateLimited: 0 },
    candles: new Map(),
    dailyCandles: new Map(),
    route: (route) => routes.push(route),
    resetCounts() {
      server.requests = { total: 0, byRoute: new Map(), historicalByToken: new Map(), rateLimited: 0 };
    },
    close: () =>
      new Promise<void>((resolve) => {
        httpServer.closeAllConnections();
        httpServer.close(() => resolve());
      }),
  };
  server.route(historicalRoute(server));
  return server;
}

function match(pattern: string, pathname: string): Record<string, string> | null {
  const want = pattern.split('/');
  const got = pathname.split('/');
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(':')) params[want[i].slice(1)] = decodeURIComponent(got[i]);
    else if (want[i] !== got[i]) return null;
  }
  return params;
}
