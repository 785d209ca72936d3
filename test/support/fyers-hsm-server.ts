/**
 * A local server speaking Fyers' v3 data-socket protocol, for tests with the real fyers-api-v3
 * data socket (worker/sources/fyers/socket-thread.cjs). Wire format: test/support/fyers-hsm-codec.ts.
 *
 * - HTTP `POST /data/symbol-token` `{"symbols":[…]}` (Authorization "APPID:token") →
 *   `{"s":"ok","validSymbol":{"NSE:SBIN-EQ":"10100000003045"},"invalidSymbol":[…]}`: the client
 *   resolves symbols to Fytokens here (segment code = first 4 digits, exchange token = from the
 *   11th) before it subscribes topics `sf|nse_cm|3045`, `dp|nse_cm|3045`, `if|nse_cm|Nifty 50`.
 * - WebSocket on any path: auth (type 1) with the access token's `hsm_key`; a key not in
 *   `hsmKeys` gets "N" and the socket is closed. Subscriptions get "K" and a snapshot per topic
 *   (once values were published), then `publish` sends incremental updates (changed fields
 *   only, the rest −2³¹). The server asks for an ack every `ackEvery` data messages.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { authAnswer, dataMessage, decodeRequest, decodeTopics, statusAnswer, TRASH, wireValues, type DataItem, type TopicKind } from './fyers-hsm-codec';

export interface HsmServerOptions {
  /** Fyers symbol → Fytoken ("NSE:SBIN-EQ" → "10100000003045"), for the symbol-token lookup. */
  fytokens: ReadonlyMap<string, string>;
  /** hsm_key values accepted on auth ('any' accepts all). */
  hsmKeys?: readonly string[] | 'any';
  /** Data messages between client acks. Default 50. */
  ackEvery?: number;
}

export interface HsmConnection {
  readonly id: number;
  hsmKey: string;
  readonly socket: WebSocket;
  /** Topic → topic id on this socket. */
  readonly topics: Map<string, number>;
  /** Topics whose snapshot was sent. */
  readonly snapshotted: Set<string>;
  /** Request types received, in order (1 auth, 4 subscribe, 11 ping, …). */
  readonly requests: number[];
  acks: number;
  messageNumber: number;
  authed: boolean;
}

/** Published named values of one topic (prices in paise, times epoch seconds). */
export interface TopicValues { topic: string; values: Readonly<Record<string, number>> }

const SEGMENT_NAMES: Record<string, string> = { '1010': 'nse_cm', '1011': 'nse_fo', '1120': 'mcx_fo', '1210': 'bse_cm', '1012': 'cde_fo', '1211': 'bse_fo' };

/** JWT (unsigned: the client only decodes it) carrying `hsm_key`, expiring in `ttlSeconds`. */
export function fyersAccessToken(hsmKey: string, ttlSeconds = 86_400): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ hsm_key: hsmKey, exp: Math.floor(Date.now() / 1000) + ttlSeconds, sub: 'access_token' })}.c2ln`;
}

export class FyersHsmServer {
  readonly connections: HsmConnection[] = [];
  /** Auth requests refused. */
  rejected = 0;
  /** Symbol-token requests seen. */
  symbolLookups = 0;
  private readonly latest = new Map<string, Record<string, number>>();
  private readonly sockets = new Set<Socket>();
  private nextId = 1;

  private constructor(
    private readonly server: http.Server,
    private readonly wss: WebSocketServer,
    private readonly options: Required<HsmServerOptions>,
  ) {
    wss.on('connection', (socket) => this.onConnection(socket));
  }

  static async start(options: HsmServerOptions): Promise<FyersHsmServer> {
    const wss = new WebSocketServer({ noServer: true });
    let self: FyersHsmServer | undefined;
    const server = http.createServer((req, res) => self!.onHttp(req, res));
    server.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req)));
    self = new FyersHsmServer(server, wss, { hsmKeys: 'any', ackEvery: 50, ...options });
    server.on('connection', (s) => {
      self!.sockets.add(s);
      s.on('close', () => self!.sockets.delete(s));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return self;
  }

  private get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** The data-socket URL (the client's Config.HSM_SOCKET). */
  get socketUrl(): string {
    return `ws://127.0.0.1:${this.port}/hsm/v1-5/prod`;
  }

  /** Authenticated sockets still open. */
  open(): HsmConnection[] {
    return this.connections.filter((c) => c.authed && c.socket.readyState === c.socket.OPEN);
  }

  /** Topics subscribed on the open sockets. */
  subscribedTopics(): Set<string> {
    return new Set(this.open().flatMap((c) => [...c.topics.keys()]));
  }

  /**
   * Publish values: a snapshot to sockets that have the topic but no snapshot yet, otherwise an
   * update with the fields that changed. Returns the number of items sent.
   */
  publish(list: readonly TopicValues[]): number {
    const changed = new Map<string, Record<string, number>>();
    for (const { topic, values } of list) {
      const before = this.latest.get(topic) ?? {};
      const diff: Record<string, number> = {};
      for (const [k, v] of Object.entries(values)) if (before[k] !== v) diff[k] = v;
      changed.set(topic, diff);
      this.latest.set(topic, { ...before, ...values });
    }
    let sent = 0;
    for (const c of this.open()) {
      const items: DataItem[] = [];
      for (const [topic, diff] of changed) {
        const id = c.topics.get(topic);
        if (id === undefined) continue;
        const item = this.itemFor(c, topic, id, diff);
        if (item) items.push(item);
      }
      sent += this.sendItems(c, items);
    }
    return sent;
  }

  /** Send raw bytes (or text) to every open socket: malformed-frame tests. */
  sendRaw(data: Buffer | string): void {
    for (const c of this.open()) c.socket.send(data);
  }

  /** Drop every open socket without a close handshake. */
  dropAll(): void {
    for (const c of this.open()) c.socket.terminate();
  }

  async close(): Promise<void> {
    for (const c of this.connections) c.socket.terminate();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.wss.close(() => r()));
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private itemFor(c: HsmConnection, topic: string, topicId: number, diff: Record<string, number>): DataItem | null {
    const kind = topic.slice(0, 2) as TopicKind;
    if (!c.snapshotted.has(topic)) {
      const all = this.latest.get(topic);
      if (!all) return null;
      c.snapshotted.add(topic);
      const [, segment, token] = topic.split('|');
      return { kind: 'snapshot', topicId, topic, values: wireValues(kind, all), exchange: segment, token, ticker: token };
    }
    const values = wireValues(kind, diff);
    return values.every((v) => v === TRASH) ? null : { kind: 'update', topicId, values };
  }

  private sendItems(c: HsmConnection, items: DataItem[]): number {
    for (let i = 0; i < items.length; i += 200) c.socket.send(dataMessage(++c.messageNumber, items.slice(i, i + 200)));
    return items.length;
  }

  private onHttp(req: http.IncomingMessage, res: http.ServerResponse): void {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url?.endsWith('/symbol-token')) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ s: 'error', code: 404, message: 'not found' }));
        return;
      }
      this.symbolLookups += 1;
      const symbols: string[] = JSON.parse(body || '{}').symbols ?? [];
      const validSymbol: Record<string, string> = {};
      const invalidSymbol: string[] = [];
      for (const s of symbols) {
        const token = this.options.fytokens.get(s);
        if (token) validSymbol[s] = token;
        else invalidSymbol.push(s);
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ s: 'ok', code: 200, message: '', validSymbol, invalidSymbol }));
    });
  }

  private onConnection(socket: WebSocket): void {
    const c: HsmConnection = { id: this.nextId++, hsmKey: '', socket, topics: new Map(), snapshotted: new Set(), requests: [], acks: 0, messageNumber: 0, authed: false };
    this.connections.push(c);
    let nextTopicId = 1;
    socket.on('message', (data: Buffer, isBinary) => {
      if (!isBinary) return;
      const request = decodeRequest(data);
      c.requests.push(request.type);
      if (request.type === 1) {
        c.hsmKey = request.fields.get(1)?.toString('latin1') ?? '';
        const ok = this.options.hsmKeys === 'any' || this.options.hsmKeys.includes(c.hsmKey);
        socket.send(authAnswer(ok, this.options.ackEvery));
        if (!ok) {
          this.rejected += 1;
          socket.close(1008, 'invalid token');
          return;
        }
        c.authed = true;
      } else if (request.type === 3) {
        c.acks += 1;
      } else if (request.type === 4 || request.type === 5) {
        const topics = decodeTopics(request.fields.get(1) ?? Buffer.from([0, 0]));
        socket.send(statusAnswer(request.type, c.authed));
        if (!c.authed) return;
        if (request.type === 5) {
          for (const t of topics) {
            c.topics.delete(t);
            c.snapshotted.delete(t);
          }
          return;
        }
        const items: DataItem[] = [];
        for (const topic of topics) {
          const [kind, segment] = topic.split('|');
          if (!['sf', 'if', 'dp'].includes(kind) || !Object.values(SEGMENT_NAMES).includes(segment)) continue;
          if (!c.topics.has(topic)) c.topics.set(topic, nextTopicId++);
          const item = this.itemFor(c, topic, c.topics.get(topic)!, {});
          if (item) items.push(item);
        }
        this.sendItems(c, items);
      } else if (request.type === 7 || request.type === 8 || request.type === 12) {
        socket.send(statusAnswer(request.type, c.authed));
      }
    });
  }
}

/** The Fytoken of an NSE cash-market exchange token (segment 1010, zero-padded to 10 digits, then the token). */
export function nseCashFytoken(exchangeToken: number | string): string {
  return `1010000000${exchangeToken}`;
}
