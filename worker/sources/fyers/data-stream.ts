/**
 * Fyers streaming behind the BrokerStream contract: the official data socket (fyers-api-v3) in
 * a worker thread (socket-thread.cjs: endpoint overrides, malformed frames, open interest),
 * symbols mapped with symbols.ts and messages with tick-mapper.ts. Verified against the local
 * HSM server test/support/fyers-hsm-server.ts (test/integration/fyers-stream.test.ts).
 *
 * Modes: Fyers has symbol updates (`sf`, our ltp/quote) and depth updates (`dp`, subscribed
 * too for `full`). Limits: up to 5,000 symbols per API key on one socket (Fyers support
 * article, market.md). Credentials: apiKey = the Fyers App ID ("XXXXXX-100"), accessToken =
 * the day's access token.
 */
import { Worker } from 'node:worker_threads';
import type { Instrument } from '@/lib/market/instrument';
import { symbolOf, type Tick } from '@/lib/market/tick';
import type { BrokerStream, ConnectOptions, StreamConnection, StreamEvents, StreamMode } from '../stream';
import { toFyersSymbol } from './symbols';
import { FyersTickMapper, type FyersMessage } from './tick-mapper';

type ThreadMessage =
  | { type: 'connected' }
  | { type: 'messages'; messages: FyersMessage[] }
  | { type: 'malformed'; detail: string }
  | { type: 'error'; message: string; tokenRejected: boolean }
  | { type: 'disconnected'; reason: string; tokenRejected: boolean };

const THREAD_URL = new URL('./socket-thread.cjs', import.meta.url);

/**
 * The thread's overrides for a collector `endpoint` (tests: a local server): the data socket
 * URL as given, and the symbol-token lookup (fixed to https://api-t1.fyers.in/data in the
 * client) on the same host, `http(s)://host:port/data`. None without an endpoint.
 */
export function endpointOverrides(endpoint: string | undefined): { socketUrl?: string; dataRoot?: string } {
  if (!endpoint) return {};
  const url = new URL(endpoint);
  const scheme = url.protocol === 'wss:' ? 'https:' : 'http:';
  return { socketUrl: endpoint, dataRoot: `${scheme}//${url.host}/data` };
}

class FyersSocketConnection implements StreamConnection {
  private readonly thread: Worker;
  private readonly mapper: FyersTickMapper;
  /** Our symbol → instrument, for the tokens subscribed on this connection. */
  private readonly bySymbol = new Map<string, Instrument>();
  private done = false;

  constructor(
    private readonly options: ConnectOptions,
    private readonly events: StreamEvents,
  ) {
    this.mapper = new FyersTickMapper((symbol) => this.bySymbol.get(symbol));
    this.thread = new Worker(THREAD_URL, {
      workerData: { appId: options.credentials.apiKey, accessToken: options.credentials.accessToken, ...endpointOverrides(options.endpoint) },
    });
    this.thread.on('message', (message: ThreadMessage) => this.onMessage(message));
    // The client throws on a token it cannot decode ('Failed to decode JWT … "hsm_key" missing or token is invalid').
    this.thread.on('error', (error) => this.finish(`data socket thread failed: ${error.message}`, /JWT|token is invalid|hsm_key/i.test(error.message)));
    this.thread.on('exit', (code) => this.finish(`data socket thread exited (${code})`, false));
  }

  subscribe(tokens: readonly number[], mode: StreamMode): void {
    const symbols = this.symbolsOf(tokens, true);
    if (!this.done && symbols.length) this.thread.postMessage({ type: 'subscribe', symbols, depth: mode === 'full' });
  }

  unsubscribe(tokens: readonly number[]): void {
    const symbols = this.symbolsOf(tokens, false);
    if (!this.done && symbols.length) this.thread.postMessage({ type: 'unsubscribe', symbols });
  }

  async close(): Promise<void> {
    if (this.done) return;
    this.done = true;
    this.thread.postMessage({ type: 'close' });
    await this.thread.terminate();
  }

  private symbolsOf(tokens: readonly number[], add: boolean): string[] {
    const out: string[] = [];
    for (const token of tokens) {
      const instrument = this.options.lookup(token);
      if (!instrument) continue;
      const ours = symbolOf(instrument);
      const fyers = toFyersSymbol(ours, { segment: instrument.segment });
      if (!fyers) {
        this.events.onError(`${ours}: no Fyers symbol; not subscribed`);
        continue;
      }
      if (add) this.bySymbol.set(ours, instrument);
      else this.bySymbol.delete(ours);
      out.push(fyers);
    }
    return out;
  }

  private onMessage(message: ThreadMessage): void {
    if (this.done) return;
    if (message.type === 'connected') this.events.onOpen();
    else if (message.type === 'error') this.events.onError(message.message);
    else if (message.type === 'malformed') this.events.onMalformed(message.detail);
    else if (message.type === 'disconnected') this.finish(message.reason, message.tokenRejected);
    else {
      const receivedAt = Date.now();
      const ticks: Tick[] = [];
      let unknown = 0;
      for (const raw of message.messages) {
        if (!raw || typeof raw !== 'object' || !('symbol' in raw)) continue; // control messages (cn, ful, sub…)
        const result = this.mapper.map(raw, receivedAt);
        if ('tick' in result) ticks.push(result.tick);
        else if ('skipped' in result) unknown += 1;
      }
      if (unknown) this.events.onUnknown(unknown);
      if (ticks.length) this.events.onTicks(ticks);
    }
  }

  private finish(reason: string, tokenRejected: boolean): void {
    if (this.done) return;
    this.done = true;
    void this.thread.terminate();
    this.events.onClose({ reason, tokenRejected });
  }
}

/** Fyers' data socket. */
export const fyersDataStream: BrokerStream = {
  broker: 'fyers',
  limits: { instrumentsPerConnection: 5000, connectionsPerKey: 1 },
  connect: (options, events) => new FyersSocketConnection(options, events),
};
