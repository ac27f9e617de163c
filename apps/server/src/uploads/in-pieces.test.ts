import { expect, test } from 'vitest';
import { inPieces } from './in-pieces';

async function* chunks(...sizes: number[]) {
  let next = 0;
  for (const size of sizes) yield Uint8Array.from({ length: size }, () => next++ % 256);
}

async function collect(body: AsyncIterable<Uint8Array>, size: number) {
  const pieces: Buffer[] = [];
  for await (const piece of inPieces(body, size)) pieces.push(piece);
  return pieces;
}

test('chunks of any size come out as whole pieces and a shorter last one, bytes in order', async () => {
  const pieces = await collect(chunks(3, 7, 1, 10), 8);
  expect(pieces.map((piece) => piece.byteLength)).toEqual([8, 8, 5]);
  expect([...Buffer.concat(pieces)]).toEqual(Array.from({ length: 21 }, (_, index) => index));
});

test('an exact multiple leaves no empty piece, and an empty body none at all', async () => {
  expect((await collect(chunks(4, 4), 4)).map((piece) => piece.byteLength)).toEqual([4, 4]);
  expect(await collect(chunks(), 4)).toEqual([]);
});
