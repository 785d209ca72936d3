/**
 * Fan-out encodes once per room (issue 12 point 2): 12 clients on 3 distinct subscription sets
 * get, per conflation interval, one `ticks` array each with exactly their changed symbols, while
 * the Socket.IO encoder runs once per set room (3) plus once per candle room, never per client.
 * Sets are released on unsubscribe and disconnect (flat memory under churn).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tick } from '@/lib/market/tick';
import { LocalFanOut } from '@/worker/realtime/fan-out';

const tick = (symbol: string, ltp: number): Tick => ({
  instrumentToken: symbol.length, exchange: 'NSE', tradingsymbol: symbol, exchangeTime: Date.now(), ltp, lastQuantity: 1, volume: 10,
  averagePrice: ltp, oi: null, bidPrice: null, bidQuantity: null, askPrice: null, askQuantity: null, feed: 'simulator',
} as unknown as Tick);

const SETS = [['A', 'B'], ['B', 'C', 'D'], ['E']];

describe('LocalFanOut per-room encoding', () => {
  const http = createServer();
  const io = new Server(http);
  let fanOut: LocalFanOut;
  const clients: ClientSocket[] = [];
  let encodes = 0;

  beforeAll(async () => {
    fanOut = new LocalFanOut(io, { latestTick: () => undefined, openCandle: () => undefined });
    const encode = io.encoder.encode.bind(io.encoder);
    io.encoder.encode = (packet) => {
      encodes++;
      return encode(packet);
    };
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    for (let i = 0; i < 12; i++) {
      const socket = connect(url, { transports: ['websocket'], forceNew: true, reconnection: false });
      await new Promise<void>((resolve) => socket.emit('subscribe', { symbols: SETS[i % 3].map((s) => `NSE:${s}`) }, () => resolve()));
      clients.push(socket);
    }
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await new Promise((r) => io.close(r));
  });

  it('sends each client its changed symbols with one encode per subscription set', async () => {
    expect(fanOut.subscriptionSets).toBe(3);
    const received = clients.map((socket) => new Promise<string[]>((resolve) => socket.once('ticks', (batch: Tick[]) => resolve(batch.map((t) => t.tradingsymbol)))));
    encodes = 0;
    const before = fanOut.stats.encodes;
    fanOut.deliver([tick('A', 1), tick('C', 2), tick('E', 3), tick('Z', 4)], []);
    expect(encodes).toBe(3); // rooms, not 12 clients
    expect(fanOut.stats.encodes - before).toBe(3);
    const batches = await Promise.all(received);
    batches.forEach((batch, i) => expect(batch).toEqual([['A'], ['C'], ['E']][i % 3]));
  });

  it('moves a client to a new set on unsubscribe and drops empty sets on disconnect', async () => {
    const last = clients.pop()!; // set ['E'] (index 11 → 11 % 3 = 2)
    await new Promise<void>((resolve) => last.emit('unsubscribe', { symbols: ['NSE:E'] }, () => resolve()));
    expect(fanOut.subscriptionSets).toBe(3); // three other 'E' clients remain
    const gone = clients.splice(0, 6);
    for (const c of gone) c.close();
    last.close();
    // Other clients of the first two sets remain; nothing leaks for the departed.
    await expect.poll(() => io.engine.clientsCount).toBe(5);
    expect(fanOut.subscriptionSets).toBe(3);
    for (const c of clients.splice(0)) c.close();
    await expect.poll(() => fanOut.subscriptionSets).toBe(0);
  });
});
