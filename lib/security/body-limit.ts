/**
 * Request body size bound (docs/security.md, "Limits"): bodies above MAX_BODY_BYTES (1 MB) are
 * refused with 413 `payload_too_large` without being read in full: at once from a declared
 * Content-Length, else as soon as the streamed bytes pass the limit (the stream is cancelled).
 */
import { AppError } from '@/lib/http/errors';

/** Largest request body accepted, bytes. */
export const MAX_BODY_BYTES = 1_000_000;

export function bodyTooLarge(limit: number): AppError<'payload_too_large'> {
  return new AppError('payload_too_large', `body: larger than ${limit.toLocaleString('en-US')} bytes`);
}

/** Whether a Content-Length header value declares more than `limit` bytes. */
export function declaresTooMuch(contentLength: string | null | undefined, limit: number = MAX_BODY_BYTES): boolean {
  return contentLength != null && /^\d+$/.test(contentLength.trim()) && Number(contentLength) > limit;
}

/**
 * The body of `request` as UTF-8 text, at most `limit` bytes.
 * @throws AppError 413 payload_too_large beyond the limit (declared or streamed)
 */
export async function readBodyText(request: Request, limit: number = MAX_BODY_BYTES): Promise<string> {
  if (declaresTooMuch(request.headers.get('content-length'), limit)) throw bodyTooLarge(limit);
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw bodyTooLarge(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
