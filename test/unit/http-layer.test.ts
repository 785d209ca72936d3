/**
 * The shared HTTP layer (lib/http): the error → status table, the one zod-issue formatter naming
 * `path.x` / `query.x` / `body.x`, the route wrapper's parsing and error mapping (500s never leak
 * internals), and the Node adapter the worker serves the same handlers with.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  AppError,
  ERROR_STATUS,
  appErrorFromAnswer,
  errorAnswer,
  fieldName,
  formatZodError,
  isAppError,
  reply,
  route,
} from '@/lib/http';
import { nodeRouter } from '@/lib/http/node';

describe('AppError and the code → status table', () => {
  it('takes its status from the table', () => {
    expect(new AppError('invalid_request', 'x').status).toBe(400);
    expect(new AppError('not_found', 'x').status).toBe(404);
    expect(new AppError('conflict', 'x').status).toBe(409);
    expect(new AppError('subscription_cap', 'x').status).toBe(422);
    expect(new AppError('unavailable', 'x').status).toBe(503);
    for (const [code, status] of Object.entries(ERROR_STATUS)) {
      expect(new AppError(code as keyof typeof ERROR_STATUS, 'x').status).toBe(status);
    }
  });

  it('maps an AppError to its code, status and message', () => {
    expect(errorAnswer(new AppError('not_found', 'Unknown symbol NSE:XYZ'))).toEqual({
      status: 404,
      body: { error: { code: 'not_found', message: 'Unknown symbol NSE:XYZ' } },
    });
  });

  it('answers anything else with a generic 500 and logs the details', () => {
    const log = vi.fn();
    const secret = new Error('password authentication failed for user "marketdesk" at 10.0.0.5');
    const answer = errorAnswer(secret, log);
    expect(answer).toEqual({ status: 500, body: { error: { code: 'internal', message: 'Internal server error' } } });
    expect(JSON.stringify(answer)).not.toContain('password');
    expect(log).toHaveBeenCalledWith(secret);
    expect(errorAnswer('a string', log).status).toBe(500);
    expect(errorAnswer(undefined, log).status).toBe(500);
  });

  it('recognises an AppError thrown by another copy of the module (another bundle)', () => {
    // What the worker's copy of lib/http/errors.ts throws, seen from the Next bundle's copy.
    const foreign = new Error('collector kite-main already exists') as Error & { code: string };
    foreign.code = 'conflict';
    Object.defineProperty(foreign, Symbol.for('marketdesk.AppError'), { value: true });
    expect(isAppError(foreign)).toBe(true);
    expect(errorAnswer(foreign).status).toBe(409);
    // Duck typing alone is not enough.
    const lookalike = Object.assign(new Error('nope'), { code: 'conflict', status: 409 });
    expect(isAppError(lookalike)).toBe(false);
    expect(errorAnswer(lookalike, () => {}).status).toBe(500);
  });

  it('rebuilds an error answered by the worker', () => {
    const known = appErrorFromAnswer(422, { error: { code: 'subscription_cap', message: 'too many' } });
    expect([known.code, known.status, known.message]).toEqual(['subscription_cap', 422, 'too many']);
    const unknownCode = appErrorFromAnswer(404, { error: { code: 'gone', message: 'm' } });
    expect([unknownCode.code, unknownCode.status]).toEqual(['not_found', 404]);
    const noBody = appErrorFromAnswer(504, null);
    expect([noBody.code, noBody.message]).toEqual(['bad_gateway', 'upstream answered HTTP 504']);
  });
});

describe('zod-issue formatter', () => {
  const schema = z.object({
    symbol: z.string({ error: 'required' }),
    symbols: z.array(z.string().regex(/:/, 'expected EXCHANGE:TRADINGSYMBOL')).optional(),
    target: z.object({ value: z.string().min(1, 'required') }).optional(),
  });
  const first = (value: unknown) => schema.safeParse(value).error!;

  it('names the request part and the field', () => {
    expect(formatZodError('query', first({}))).toBe('query.symbol: required');
    expect(formatZodError('body', first({ symbol: 'x', symbols: ['NSE:A', 'bad'] }))).toBe('body.symbols.1: expected EXCHANGE:TRADINGSYMBOL');
    expect(formatZodError('body', first({ symbol: 'x', target: { value: '' } }))).toBe('body.target.value: required');
    expect(formatZodError('path', z.object({ id: z.coerce.number().int('expected an integer id') }).safeParse({ id: '1.5' }).error!)).toBe(
      'path.id: expected an integer id',
    );
  });

  it('names the part alone for a problem with the whole value', () => {
    expect(formatZodError('body', first('a string'))).toMatch(/^body: /);
  });

  it('joins paths', () => {
    expect(fieldName('query', [])).toBe('query');
    expect(fieldName('body', ['symbols', 0])).toBe('body.symbols.0');
  });
});

describe('route()', () => {
  const contract = {
    params: z.object({ id: z.coerce.number({ error: 'expected an integer id' }).int('expected an integer id').positive('expected an integer id') }),
    query: z.object({ limit: z.coerce.number().int().max(10, 'must be at most 10').default(5) }),
    body: z.object({ name: z.string({ error: 'required' }).min(1, 'required') }),
    response: z.object({ id: z.number(), limit: z.number(), name: z.string() }),
    status: 201,
  };
  const handler = route(contract, async ({ params, query, body }) => {
    if (params.id === 404) throw new AppError('not_found', `no item ${params.id}`);
    if (params.id === 500) throw new Error('connection refused at 10.0.0.5:5432');
    return { id: params.id, limit: query.limit, name: body.name };
  }, { log: () => {} });
  const call = async (id: string, query: string, body: string | undefined) => {
    const response = await handler(new Request(`http://x/items/${id}?${query}`, { method: 'POST', body, headers: { 'content-type': 'application/json' } }), { params: Promise.resolve({ id }) });
    return { status: response.status, json: await response.json() };
  };

  it('parses params, query and body and answers with the spec status', async () => {
    expect(await call('7', 'limit=3', '{"name":"a"}')).toEqual({ status: 201, json: { id: 7, limit: 3, name: 'a' } });
    expect(await call('7', '', '{"name":"a"}')).toEqual({ status: 201, json: { id: 7, limit: 5, name: 'a' } });
  });

  it('answers 400 naming path, query or body', async () => {
    expect(await call('abc', '', '{"name":"a"}')).toEqual({ status: 400, json: { error: { code: 'invalid_request', message: 'path.id: expected an integer id' } } });
    expect(await call('7', 'limit=11', '{"name":"a"}')).toEqual({ status: 400, json: { error: { code: 'invalid_request', message: 'query.limit: must be at most 10' } } });
    expect(await call('7', '', '{"name":""}')).toEqual({ status: 400, json: { error: { code: 'invalid_request', message: 'body.name: required' } } });
    expect(await call('7', '', '')).toEqual({ status: 400, json: { error: { code: 'invalid_request', message: 'body.name: required' } } });
    expect(await call('7', '', '{oops')).toEqual({ status: 400, json: { error: { code: 'invalid_request', message: 'body: not valid JSON' } } });
  });

  it('maps thrown errors: AppError as given, anything else a bare 500', async () => {
    expect(await call('404', '', '{"name":"a"}')).toEqual({ status: 404, json: { error: { code: 'not_found', message: 'no item 404' } } });
    const internal = await call('500', '', '{"name":"a"}');
    expect(internal).toEqual({ status: 500, json: { error: { code: 'internal', message: 'Internal server error' } } });
  });

  it('decodes path params once', async () => {
    const echo = route({ params: z.object({ name: z.string() }) }, ({ params }) => ({ name: params.name }));
    const response = await echo(new Request('http://x/'), { params: Promise.resolve({ name: 'My%20list' }) });
    expect(await response.json()).toEqual({ name: 'My list' });
  });

  it('passes a reply() status and a Response through', async () => {
    const degraded = route({}, () => reply({ status: 'degraded' }, { status: 503 }));
    const answer = await degraded(new Request('http://x/'));
    expect([answer.status, await answer.json()]).toEqual([503, { status: 'degraded' }]);
    const text = route({}, () => new Response('# metrics\n', { headers: { 'content-type': 'text/plain' } }));
    expect(await (await text(new Request('http://x/'))).text()).toBe('# metrics\n');
  });
});

describe('nodeRouter (the worker serving the same handlers)', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    const items = route(
      { params: z.object({ name: z.string().regex(/^[a-z]+$/, 'unknown name') }), body: z.object({ n: z.number({ error: 'expected a number' }) }) },
      ({ params, body }) => ({ name: params.name, n: body.n }),
    );
    const serve = nodeRouter([{ method: 'POST', path: '/items/{name}', handler: items }], { maxBodyBytes: 1_000 });
    server = createServer((req, res) => {
      void serve(req, res).then((handled) => {
        if (!handled) res.writeHead(404).end('not mine');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const post = async (path: string, body: string, method = 'POST') => {
    const response = await fetch(base + path, { method, body: method === 'GET' ? undefined : body, headers: method === 'GET' ? {} : { 'content-type': 'application/json' } });
    return { status: response.status, text: await response.text() };
  };

  it('routes with params and answers like the Next routes', async () => {
    expect(await post('/items/abc', '{"n":1}')).toEqual({ status: 200, text: '{"name":"abc","n":1}' });
    expect(JSON.parse((await post('/items/abc', '{"n":"x"}')).text)).toEqual({ error: { code: 'invalid_request', message: 'body.n: expected a number' } });
    expect(JSON.parse((await post('/items/ABC', '{"n":1}')).text)).toEqual({ error: { code: 'invalid_request', message: 'path.name: unknown name' } });
  });

  it('405 for another method, 413 for a body over the limit, false for other paths', async () => {
    const wrongMethod = await post('/items/abc', '', 'GET');
    expect(wrongMethod.status).toBe(405);
    expect(JSON.parse(wrongMethod.text).error.code).toBe('method_not_allowed');
    const big = await post('/items/abc', JSON.stringify({ n: 1, pad: 'x'.repeat(2_000) }));
    expect(big.status).toBe(413);
    expect(await post('/elsewhere', '')).toEqual({ status: 404, text: 'not mine' });
  });
});
