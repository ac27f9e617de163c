/**
 * A body cut into pieces of `size` bytes (the last one shorter), whatever
 * sizes its chunks arrive in: the store keeps one row per piece.
 */
export async function* inPieces(body: AsyncIterable<Uint8Array>, size: number): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const chunk of body) {
    pending.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    pendingBytes += chunk.byteLength;
    while (pendingBytes >= size) {
      const gathered = Buffer.concat(pending, pendingBytes);
      yield gathered.subarray(0, size);
      pending = [gathered.subarray(size)];
      pendingBytes = gathered.byteLength - size;
    }
  }
  if (pendingBytes > 0) yield Buffer.concat(pending, pendingBytes);
}
