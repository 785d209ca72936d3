/**
 * A local WebSocket server speaking Kite's ticker protocol, for tests with the real KiteTicker
 * (npm kiteconnect, `root: server.url`).
 *
 * Protocol (kite.trade/docs/connect/v3/websocket): the client connects to
 * `root?api_key=…&access_token=…`; a rejected token gets HTTP 403 on the upgrade. Client text
 * frames are JSON `{"a":"subscribe","v":[tokens]}`, `{"a":"unsubscribe","v":[tokens]}`,
 * `{"a":"mode","v":[mode,[tokens]]}`; a subscribed token starts in quote mode. The server sends
 * binary tick messages (test/support/kite-packets.ts), a 1-byte heartbeat every second, and
 * JSON text messages (`{"type":"error","data":"…"}`). Up to 3,000 instruments per connection:
 * excess tokens are refused with an error text message, like the real service.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { encodeMessage, encodePacket, type KiteMode, type KitePacketValues } from './kite-packets';

export interface TickerServerOptions {
  /** Access tokens accepted on connect ('any' accepts all). Default 'any'. */
  acceptedTokens?: readonly string[] | 'any';
  /** Heartbeat period, ms (Kite: 1 s). Default 1000. */
  heartbeatMs?: number;
  /** Instruments allowed per connection (Kite: 3,000). */
  maxInstrumentsPerConnection?: number;
}

export interface TickerServerConnection {
  readonly id: number;
  readonly apiKey: string;
  readonly accessToken: string;
  readonly subscriptions: Map<number, KiteMode>;
  /** Every JSON text message the client sent, in order. */
  readonly received: unknown[];
  readonly socket: WebSocket;
}

const PACKETS_PER_MESSAGE = 250;

export class KiteTickerServer {
  readonly connections: TickerServerConnection[] = [];
  /** Upgrade requests seen, accepted or not. */
  connectAttempts = 0;
  /** Upgrade requests refused with 403. */
  rejected = 0;
  private accepted: Set<string> | 'any';
  private heartbeats = true;
  private ticksPaused = false;
  private nextId = 1;
  private readonly sockets = new Set<Socket>();
  private readonly timer: NodeJS.Timeout;

  private constructor(
    private readonly server: http.Server,
    private readonly wss: WebSocketServer,
    private readonly options: Required<TickerServerOptions>,
  ) {
    this.accepted = options.acceptedTokens === 'any' ? 'any' : new Set(options.acceptedTokens);
    this.timer = setInterval(() => {
      if (!this.heartbeats) return;
      for (const c of this.open()) c.socket.send(Buffer.from([0]));
    }, options.heartbeatMs);
  }

  /** Start on an ephemeral port of 127.0.0.1. */
  static async start(options: TickerServerOptions = {}): Promise<KiteTickerServer> {
    const server = http.createServer((_req, res) => res.writeHead(404).end());
    const wss = new WebSocketServer({ noServer: true });
    const instance = new KiteTickerServer(server, wss, {
      acceptedTokens: options.acceptedTokens ?? 'any',
      heartbeatMs: options.heartbeatMs ?? 1000,
      maxInstrumentsPerConnection: options.maxInstrumentsPerConnection ?? 3000,
    });
    server.on('connection', (socket) => {
      instance.sockets.add(socket);
      socket.on('close', () => instance.sockets.delete(socket));
    });
    server.on('upgrade', (req, socket, head) => instance.upgrade(req, socket as Socket, head));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return instance;
  }

  /** `ws://127.0.0.1:PORT/`: pass as KiteTicker's `root`. */
  get url(): string {
    return `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  /** Connections whose socket is open. */
  open(): TickerServerConnection[] {
    return this.connections.filter((c) => c.socket.readyState === c.socket.OPEN);
  }

  /** Replace the accepted access tokens (e.g. the old one expired at 06:00 IST). */
  setAcceptedTokens(tokens: readonly string[] | 'any'): void {
    this.accepted = tokens === 'any' ? 'any' : new Set(tokens);
  }

  /** Stop (or resume) everything, heartbeats included, without closing sockets. */
  setSilent(silent: boolean): void {
    this.heartbeats = !silent;
    this.ticksPaused = silent;
  }

  /** Stop (or resume) ticks only; heartbeats keep flowing. */
  setTicksPaused(paused: boolean): void {
    this.ticksPaused = paused;
  }

  /**
   * Send each open connection the packets of the values it subscribed to, in its mode for each
   * token. Returns the number of packets sent.
   */
  publish(values: readonly KitePacketValues[]): number {
    if (this.ticksPaused) return 0;
    let sent = 0;
    for (const c of this.open()) {
      let batch: Buffer[] = [];
      for (const v of values) {
        const mode = c.subscriptions.get(v.instrument_token);
        if (!mode) continue;
        batch.push(encodePacket(v, mode));
        if (batch.length === PACKETS_PER_MESSAGE) {
          c.socket.send(encodeMessage(batch));
          sent += batch.length;
          batch = [];
        }
      }
      if (batch.length) c.socket.send(encodeMessage(batch));
      sent += batch.length;
    }
    return sent;
  }

  /** Send raw bytes (malformed frames in tests) to every open connection. */
  sendRaw(bytes: Buffer): void {
    for (const c of this.open()) c.socket.send(bytes);
  }

  /** Send a JSON text message to every open connection. */
  sendText(message: unknown): void {
    for (const c of this.open()) c.socket.send(JSON.stringify(message));
  }

  /** Drop every connection abruptly (no close frame), as a network failure would. */
  dropAll(): void {
    for (const c of this.open()) c.socket.terminate();
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    for (const c of this.connections) c.socket.terminate();
    for (const s of this.sockets) s.destroy();
    this.wss.close();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private upgrade(req: http.IncomingMessage, socket: Socket, head: Buffer): void {
    this.connectAttempts += 1;
    const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
    const apiKey = query.get('api_key') ?? '';
    const accessToken = query.get('access_token') ?? '';
    if (!apiKey || (this.accepted !== 'any' && !this.accepted.has(accessToken))) {
      this.rejected += 1;
      const body = JSON.stringify({ status: 'error', message: 'Invalid `api_key` or `access_token`.', error_type: 'TokenException' });
      socket.end(
        `HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const connection: TickerServerConnection = {
        id: this.nextId++,
        apiKey,
        accessToken,
        subscriptions: new Map(),
        received: [],
        socket: ws,
      };
      this.connections.push(connection);
      ws.on('message', (data, isBinary) => {
        if (!isBinary) this.onText(connection, data.toString());
      });
    });
  }

  private onText(c: TickerServerConnection, text: string): void {
    let message: { a?: unknown; v?: unknown };
    try {
      message = JSON.parse(text) as { a?: unknown; v?: unknown };
    } catch {
      c.socket.send(JSON.stringify({ type: 'error', data: 'invalid message' }));
      return;
    }
    c.received.push(message);
    if (message.a === 'subscribe' && Array.isArray(message.v)) {
      for (const token of message.v.map(Number)) {
        if (c.subscriptions.has(token)) continue;
        if (c.subscriptions.size >= this.options.maxInstrumentsPerConnection) {
          c.socket.send(JSON.stringify({ type: 'error', data: `max ${this.options.maxInstrumentsPerConnection} instruments per connection` }));
          break;
        }
        c.subscriptions.set(token, 'quote');
      }
    } else if (message.a === 'unsubscribe' && Array.isArray(message.v)) {
      for (const token of message.v.map(Number)) c.subscriptions.delete(token);
    } else if (message.a === 'mode' && Array.isArray(message.v) && Array.isArray(message.v[1])) {
      const mode = message.v[0] as KiteMode;
      if (mode !== 'ltp' && mode !== 'quote' && mode !== 'full') return;
      for (const token of (message.v[1] as unknown[]).map(Number)) {
        if (c.subscriptions.has(token)) c.subscriptions.set(token, mode);
      }
    }
  }
}
