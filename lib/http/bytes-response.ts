/**
 * Responses over bytes the server already holds (a cached candle body, lib/api/candles), sent
 * without copying them. `new Response(bytes)` copies the bytes once, and reading them back for a
 * Node response (`arrayBuffer()`) copies again: for a 0.4 MB body at hundreds of requests a
 * second that was a third of the serving thread's time (issue 12 point 1, health bench profile).
 *
 * `bytesResponse(bytes, init)` makes a normal Response (its body a stream over the same bytes,
 * so Next.js and any Fetch reader see the usual body) and remembers the bytes; lib/http/node.ts
 * sendResponse writes them to the socket directly. The bytes must not change afterwards.
 */
const RAW = new WeakMap<Response, Uint8Array>();

/** A Response whose body is `bytes` (not copied; `content-length` set). */
export function bytesResponse(bytes: Uint8Array, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
  const response = new Response(body, { status: init.status ?? 200, headers: { ...init.headers, 'content-length': String(bytes.byteLength) } });
  RAW.set(response, bytes);
  return response;
}

/** The bytes of a `bytesResponse` whose body has not been read, else undefined. */
export function rawBodyOf(response: Response): Uint8Array | undefined {
  return response.bodyUsed ? undefined : RAW.get(response);
}
