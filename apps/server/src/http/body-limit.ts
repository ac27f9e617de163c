import { createMiddleware } from 'hono/factory';
import { ApiError } from '../errors';

/**
 * How much of an oversized body is still read (and thrown away) before the
 * answer. Past it the client is not sending a mistake but a flood, and the
 * connection is cut after the answer instead.
 */
const MAX_DISCARDED_BYTES = 64 * 1024 * 1024;

/**
 * Refuses any body over `maxBytes` with `400 body_too_large`, on every route.
 *
 * The rest of an oversized body is read to its end before answering: a
 * server that answers and closes while the client is still sending makes the
 * client fail with a broken pipe instead of reading the answer. Bodies sent
 * with a `Content-Length` within the limit pass through unread (Node's parser
 * holds them to that length); chunked ones are read here and handed on.
 */
export function limitBody(maxBytes: number) {
  return createMiddleware(async (c, next) => {
    const body = c.req.raw.body;
    if (!body) return next();
    const declared = c.req.header('content-length');
    const chunked = c.req.header('transfer-encoding') !== undefined;
    if (declared !== undefined && !chunked && Number(declared) <= maxBytes) return next();

    const chunks: Uint8Array[] = [];
    let size = 0;
    const reader = body.getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      size += read.value.byteLength;
      if (size <= maxBytes) chunks.push(read.value);
      else if (size > MAX_DISCARDED_BYTES) {
        await reader.cancel();
        break;
      }
    }
    if (size > maxBytes) {
      throw new ApiError('body_too_large', `A request body may carry at most ${maxBytes} bytes; send less at once.`);
    }
    c.req.raw = new Request(c.req.raw, { body: concat(chunks, size) });
    await next();
  });
}

function concat(chunks: Uint8Array[], size: number): Uint8Array<ArrayBuffer> {
  const whole = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    whole.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return whole;
}
