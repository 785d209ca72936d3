/**
 * Frames: what the worker sends the realtime nodes (worker/realtime/node.ts) over the Socket.IO
 * cluster adapter (`serverSideEmit`, one message per conflation interval, not one per client).
 *
 * Shape (JSON / msgpack through the adapter):
 *   { epoch, seq, full, closed: Candle[], ticks: Tick[], candles: Candle[] }
 * - `epoch`: random id of one worker run; `seq`: 1, 2, 3… within it. The adapter does not keep
 *   messages in order (payloads over 8,000 bytes travel through a table and are fetched
 *   asynchronously; publishes use several pooled connections), so nodes reorder by `seq`
 *   (frame-sequencer.ts).
 * - `closed`: candles closed (or amended by a late tick) since the previous frame, in order;
 *   applied first.
 * - `ticks`: the latest tick of each symbol that changed during the interval (conflated).
 * - `candles`: the open candle of each changed symbol on every timeframe (`closed: false`).
 * - `full`: a snapshot (every known symbol's latest tick and every open candle) answering a
 *   node's `marketdesk:sync`; it replaces the node's state and is not fanned out to clients.
 *
 * Server-side events: worker → nodes `marketdesk:frame`; node → worker `marketdesk:sync`.
 */
import type { Candle, Tick } from '@/lib/market/tick';

export interface Frame {
  epoch: string;
  seq: number;
  full: boolean;
  closed: Candle[];
  ticks: Tick[];
  candles: Candle[];
}

export const FRAME_EVENT = 'marketdesk:frame';
export const SYNC_EVENT = 'marketdesk:sync';

/** Events exchanged between Socket.IO servers (the `ServerSideEvents` type parameter). */
export interface RealtimeServerSideEvents {
  [FRAME_EVENT]: (frame: Frame) => void;
  [SYNC_EVENT]: (request: { node: string }) => void;
}

/** Room names (shared by the worker's broadcaster and the nodes). */
export const tickRoom = (symbol: string): string => `t:${symbol}`;
export const candleRoom = (symbol: string, timeframe: string): string => `c:${symbol}:${timeframe}`;
