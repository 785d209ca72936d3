/**
 * Kite streaming through the official KiteTicker (npm kiteconnect 5.3), one worker thread per
 * connection (worker/sources/kite/ticker-thread.cjs explains why). Ticks are decoded by the
 * client in the thread and mapped to `Tick` here (tick-mapper.ts).
 *
 * Limits (kite.trade/docs/connect/v3/websocket): 3,000 instruments per connection, 3
 * connections per API key. Endpoint default wss://ws.kite.trade/ (the client's own default).
 */
import { Worker } from 'node:worker_threads';
import type { BrokerStream, ConnectOptions, StreamConnection, StreamEvents, StreamMode } from '../stream';
import { mapKiteTick, type KiteTickerTick } from './tick-mapper';

type ThreadMessage =
  | { type: 'connected' }
  | { type: 'ticks'; ticks: KiteTickerTick[] }
  | { type: 'heartbeat' }
  | { type: 'malformed'; bytes: number; reason: string }
  | { type: 'error'; message: string }
  | { type: 'disconnected'; reason: string; tokenRejected: boolean };

const THREAD_URL = new URL('./ticker-thread.cjs', import.meta.url);

class KiteTickerConnection implements StreamConnection {
  private readonly thread: Worker;
  private done = false;

  constructor(
    private readonly options: ConnectOptions,
    private readonly events: StreamEvents,
  ) {
    this.thread = new Worker(THREAD_URL, {
      workerData: {
        apiKey: options.credentials.apiKey,
        accessToken: options.credentials.accessToken,
        root: options.endpoint,
      },
    });
    this.thread.on('message', (message: ThreadMessage) => this.onMessage(message));
    this.thread.on('error', (error) => {
      events.onError(`ticker thread failed: ${error.message}`);
      this.finish({ reason: `ticker thread failed: ${error.message}`, tokenRejected: false });
    });
    this.thread.on('exit', (code) => this.finish({ reason: `ticker thread exited (${code})`, tokenRejected: false }));
  }

  subscribe(tokens: readonly number[], mode: StreamMode): void {
    if (!this.done && tokens.length) this.thread.postMessage({ type: 'subscribe', mode, tokens: [...tokens] });
  }

  unsubscribe(tokens: readonly number[]): void {
    if (!this.done && tokens.length) this.thread.postMessage({ type: 'unsubscribe', tokens: [...tokens] });
  }

  async close(): Promise<void> {
    if (this.done) return;
    this.done = true;
    this.thread.postMessage({ type: 'close' });
    await this.thread.terminate();
  }

  private onMessage(message: ThreadMessage): void {
    if (this.done) return;
    switch (message.type) {
      case 'connected':
        this.events.onOpen();
        break;
      case 'ticks': {
        const receivedAt = Date.now();
        const ticks = [];
        let unknown = 0;
        for (const raw of message.ticks) {
          const instrument = this.options.lookup(raw.instrument_token);
          if (instrument) ticks.push(mapKiteTick(raw, instrument, receivedAt));
          else unknown += 1;
        }
        if (unknown) this.events.onUnknown(unknown);
        if (ticks.length) this.events.onTicks(ticks);
        break;
      }
      case 'heartbeat':
        this.events.onHeartbeat();
        break;
      case 'malformed':
        this.events.onMalformed(`${message.bytes}-byte frame skipped: ${message.reason}`);
        break;
      case 'error':
        this.events.onError(message.message);
        break;
      case 'disconnected':
        this.finish({ reason: message.reason, tokenRejected: message.tokenRejected });
        break;
    }
  }

  private finish(info: { reason: string; tokenRejected: boolean }): void {
    if (this.done) return;
    this.done = true;
    void this.thread.terminate();
    this.events.onClose(info);
  }
}

/** Kite's streaming socket through KiteTicker. */
export const kiteTickerStream: BrokerStream = {
  broker: 'kite',
  limits: { instrumentsPerConnection: 3000, connectionsPerKey: 3 },
  connect: (options, events) => new KiteTickerConnection(options, events),
};
