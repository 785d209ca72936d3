/**
 * Serving-thread pacing (issue 12 point 1): lib/http/turn-budget.ts lets at most `perTurn`
 * callers through per event-loop turn, oldest first, while work that does not take the budget
 * runs in the turn it arrives; lib/http/bytes-response.ts hands a cached body to the Node
 * writer without copying it, while Fetch readers (Next.js) still read the same bytes.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { parseWorkerEnv } from '@/lib/config/worker-env';
import { bytesResponse, rawBodyOf } from '@/lib/http/bytes-response';
import { sendResponse } from '@/lib/http/node';
import { paced, TurnBudget } from '@/lib/http/turn-budget';

/** One event-loop turn: resolves in the check phase after the ones already queued. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
const microtasks = () => new Promise<void>((resolve) => queueMicrotask(resolve));

describe('TurnBudget', () => {
  it('lets perTurn callers through per turn, in arrival order, the rest in the following turns', async () => {
    const budget = new TurnBudget(2);
    const ran: number[] = [];
    const callers = Array.from({ length: 5 }, (_, i) => budget.turn().then(() => ran.push(i)));
    await microtasks();
    expect(ran).toEqual([0, 1]);
    expect(budget.queued).toBe(3);
    await nextTurn();
    expect(ran).toEqual([0, 1, 2, 3]);
    await nextTurn();
    expect(ran).toEqual([0, 1, 2, 3, 4]);
    await Promise.all(callers);
    expect(budget.queued).toBe(0);
  });

  it('runs work that does not take the budget in the turn it arrives, ahead of the paced queue', async () => {
    const budget = new TurnBudget(1);
    const order: string[] = [];
    const bulk = Array.from({ length: 3 }, (_, i) => budget.turn().then(() => order.push(`bulk${i}`)));
    // A probe read in the same turn as the bulk requests answers before the queued ones.
    order.push('probe');
    await Promise.all(bulk);
    expect(order).toEqual(['probe', 'bulk0', 'bulk1', 'bulk2']);
  });

  it('gives a new turn a fresh budget once the queue is empty', async () => {
    const budget = new TurnBudget(1);
    await budget.turn();
    let second = false;
    const waiting = budget.turn().then(() => (second = true));
    await microtasks();
    expect(second).toBe(false); // this turn's unit is spent
    await waiting;
    await nextTurn();
    let third = false;
    const fresh = budget.turn().then(() => (third = true));
    await microtasks();
    expect(third).toBe(true); // a later turn with nothing queued: at once
    await fresh;
  });

  it('refuses a budget that is not a whole number ≥ 1', () => {
    expect(() => new TurnBudget(0)).toThrow(/perTurn must be an integer ≥ 1, got 0/);
    expect(() => new TurnBudget(1.5)).toThrow(RangeError);
  });

  it('HOST_CANDLE_READS_PER_TURN configures the host (default 4) and refuses a bad value by name', () => {
    const env = (vars: Record<string, string>) => vars as NodeJS.ProcessEnv;
    expect(parseWorkerEnv(env({})).HOST_CANDLE_READS_PER_TURN).toBe(4);
    expect(parseWorkerEnv(env({ HOST_CANDLE_READS_PER_TURN: '16' })).HOST_CANDLE_READS_PER_TURN).toBe(16);
    expect(() => parseWorkerEnv(env({ HOST_CANDLE_READS_PER_TURN: '0' }))).toThrow(/Invalid configuration: HOST_CANDLE_READS_PER_TURN/);
    expect(() => parseWorkerEnv(env({ HOST_CANDLE_READS_PER_TURN: 'many' }))).toThrow(/HOST_CANDLE_READS_PER_TURN/);
  });

  it('paced() takes one unit per call and returns the handler\'s result', async () => {
    const budget = new TurnBudget(1);
    const double = paced(budget, async (n: number) => n * 2);
    expect(await Promise.all([double(1), double(2), double(3)])).toEqual([2, 4, 6]);
  });
});

describe('bytesResponse', () => {
  it('keeps the very bytes for the Node writer and still reads as a normal body', async () => {
    const bytes = new TextEncoder().encode('{"candles":[1,2,3]}');
    const response = bytesResponse(bytes, { status: 200, headers: { 'content-type': 'application/json', etag: 'W/"x"' } });
    expect(rawBodyOf(response)).toBe(bytes);
    expect(response.headers.get('content-length')).toBe(String(bytes.byteLength));
    expect(response.headers.get('etag')).toBe('W/"x"');
    expect(await response.json()).toEqual({ candles: [1, 2, 3] });
    // Once read through the stream it is an ordinary used Response.
    expect(rawBodyOf(response)).toBeUndefined();
    expect(rawBodyOf(new Response('plain'))).toBeUndefined();
  });

  it('is written to a Node response byte for byte, headers included', async () => {
    const text = `{"candles":[${Array.from({ length: 5000 }, (_, i) => `{"close":${i / 7}}`).join(',')}]}`;
    const bytes = new TextEncoder().encode(text);
    const server = http.createServer((_req, res) => void sendResponse(res, bytesResponse(bytes, { headers: { 'content-type': 'application/json' } })));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      for (let i = 0; i < 2; i++) {
        const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
        expect(res.headers.get('content-length')).toBe(String(bytes.byteLength));
        expect(await res.text()).toBe(text);
      }
    } finally {
      server.close();
    }
  });
});
