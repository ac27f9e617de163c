/**
 * `pnpm bench:uploads` — photos from many phones at once, over HTTP, into the
 * Postgres byte store.
 *
 * 20 phones (BENCH_PHONES), each a demo contractor signed in with a client id
 * of its own and a job of its own, add 5 photos (BENCH_PHOTOS) of about 2 MB
 * (BENCH_PHOTO_MB) with `attachment.add` pushes, then send them all at once
 * (BENCH_PER_PHONE limits a phone's uploads in flight; the app's queue sends
 * 2) with tus-js-client's Node build in 512 KiB chunks, as the phone does:
 * POST, then PATCHes. The photos are real JPEGs, since the server reads the
 * type from the bytes and makes a thumbnail. Per photo: first request → final
 * 204. Throughput: all bytes ÷ (first request → last 204).
 *
 * Baseline in the same run, same process, same database: the same bytes by
 * one plain `PUT` per photo to a small node:http server in this process that
 * writes them through the same byte store (`createPostgresByteStore`), in the
 * 1 MiB pieces the tus store gathers — no tus, no sign-in or access check, no
 * SHA-256, no type sniffing, no thumbnail. So the ratio is what the protocol,
 * its chunking and the checks cost. Rounds alternate which goes first.
 *
 * The server runs in this process (`startServer`, as `npm start` does), next
 * to the uploading phones, so the PGlite fallback (no Postgres at
 * 127.0.0.1:5432) can share its database with the baseline. Printed and
 * written to `bench-results/uploads.json`: per round and medians.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_PHOTO_SIDE_PX } from '@fieldsync/domain';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '@fieldsync/protocol';
import {
  type DatabaseKind,
  DEMO_LOGINS,
  hashPassword,
  loadEnv,
  type RunningServer,
  seedDemoCompany,
  startServer,
} from '@fieldsync/server';
import {
  createPostgresByteStore,
  createTestDatabase,
  databaseKindsUnderTest,
  inPieces,
  PIECE_BYTES,
} from '@fieldsync/server/testing';
import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import * as tus from 'tus-js-client';
import { fmt, median, percentile, writeResult } from './bench-support';

/** Postgres at 127.0.0.1:5432 when it answers (said loudly when not); PGlite is far slower, so it gets fewer phones. */
const [DATABASE_KIND] = await databaseKindsUnderTest();
const PHONES = Number(process.env.BENCH_PHONES ?? (DATABASE_KIND === 'postgres' ? 20 : 3));
const PHOTOS = Number(process.env.BENCH_PHOTOS ?? 5);
const PHOTO_MB = Number(process.env.BENCH_PHOTO_MB ?? 2);
const PER_PHONE = Number(process.env.BENCH_PER_PHONE ?? PHOTOS);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** UPLOAD_CHUNK_BYTES in apps/web/src/sync/uploads/tus-transport.ts: bytes per PATCH. */
const CHUNK_BYTES = 512 * 1024;
const PASSWORD = 'bench-password-123';
const MB = 1e6;

const headersOf = (token: string) => ({
  authorization: `Bearer ${token}`,
  [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
});
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

interface Photo {
  bytes: Buffer;
  sha256: string;
  width: number;
  height: number;
}

/**
 * A camera-like JPEG near `targetBytes`: gaussian noise compresses as badly
 * as a real photo. The side is tuned in a few tries (4:3, at most the
 * phone's MAX_PHOTO_SIDE_PX; past that the quality goes up instead).
 */
async function makePhoto(targetBytes: number): Promise<Photo> {
  let width = Math.round(Math.sqrt((targetBytes / 0.8) * (4 / 3)));
  let quality = 90;
  for (let attempt = 0; ; attempt++) {
    width = Math.min(width, MAX_PHOTO_SIDE_PX);
    const height = Math.round((width * 3) / 4);
    const bytes = await sharp({
      create: {
        width,
        height,
        channels: 3,
        background: { r: 0, g: 0, b: 0 },
        noise: { type: 'gaussian', mean: 128, sigma: 60 },
      },
    })
      .jpeg({ quality })
      .toBuffer();
    const off = targetBytes / bytes.byteLength;
    if (Math.abs(off - 1) < 0.03 || attempt === 4) return { bytes, sha256: sha256(bytes), width, height };
    if (width === MAX_PHOTO_SIDE_PX && off > 1) quality = Math.min(100, quality + 3);
    else width = Math.round(width * Math.sqrt(off));
  }
}

interface Phone {
  email: string;
  token: string;
  clientId: string;
  nextSeq: number;
  jobId: string;
}

async function login(url: string, email: string) {
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  if (response.status !== 200) throw new Error(`login ${email}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { accessToken: string }).accessToken;
}

/** One push whose mutations must all be applied. */
async function pushApplied(
  url: string,
  device: { token: string; clientId: string; nextSeq: number },
  mutations: Array<{ name: string; args: unknown }>,
) {
  const response = await fetch(`${url}/api/sync/push`, {
    method: 'POST',
    headers: { ...headersOf(device.token), 'content-type': 'application/json' },
    body: JSON.stringify({
      clientId: device.clientId,
      mutations: mutations.map((mutation) => ({
        seq: device.nextSeq++,
        occurredAt: new Date().toISOString(),
        ...mutation,
      })),
    }),
  });
  const body = (await response.json()) as { results?: Array<{ outcome: string }> };
  const applied = body.results?.filter((result) => result.outcome === 'applied').length ?? 0;
  if (applied !== mutations.length) throw new Error(`only ${applied} applied: ${JSON.stringify(body).slice(0, 400)}`);
}

/**
 * A customer, a job and an assignment per phone, made by the office. The
 * phones go round the demo company's active contractors (with more phones
 * than contractors some carry two, each with a client id and a job of its
 * own); every job sits in a slot of its own, so none is double-booked.
 */
async function preparePhones(server: RunningServer, url: string): Promise<Phone[]> {
  const office = { token: await login(url, DEMO_LOGINS.dispatchers[0] as string), clientId: randomUUID(), nextSeq: 1 };
  // Only the active ones can take jobs (the demo company has some on leave).
  const contractors = await server.database.query<{ id: string; email: string }>(
    sql`select c.id, u.email from contractors c join users u on u.org_id = c.org_id and u.id = c.user_id
        where c.status = 'active' order by u.email`,
  );
  if (contractors.length === 0) throw new Error('the demo company has no active contractor');
  const phones: Phone[] = [];
  const firstSlot = Date.parse('2031-02-03T00:00:00Z');
  for (let index = 0; index < PHONES; index++) {
    const contractor = contractors[index % contractors.length] as { id: string; email: string };
    const email = contractor.email;
    const customerId = randomUUID();
    const jobId = randomUUID();
    const start = firstSlot + index * 3 * 3_600_000;
    await pushApplied(url, office, [
      { name: 'customer.create', args: { id: customerId, name: `Bench customer ${index + 1}` } },
      {
        name: 'job.create',
        args: { id: jobId, title: `Photo bench job ${index + 1}`, customerId, trade: 'general', durationMinutes: 120 },
      },
      {
        name: 'assignment.create',
        args: {
          id: randomUUID(),
          jobId,
          contractorId: contractor.id,
          start: new Date(start).toISOString(),
          end: new Date(start + 2 * 3_600_000).toISOString(),
        },
      },
    ]);
    phones.push({ email, token: await login(url, email), clientId: randomUUID(), nextSeq: 1, jobId });
  }
  return phones;
}

/** One photo to send: the attachment it belongs to and who sends it. */
interface PhotoUpload {
  phone: Phone;
  attachmentId: string;
  photo: Photo;
}

type Way = 'tus' | 'put';

/** Each phone adds `count` attachments per way with one push (untimed: the phone has done this long before). */
async function addAttachments(url: string, phones: Phone[], photos: Photo[], count: number) {
  const batches = { tus: [] as PhotoUpload[], put: [] as PhotoUpload[] };
  await Promise.all(
    phones.map(async (phone) => {
      const mine: Array<{ name: string; args: unknown }> = [];
      for (const way of ['tus', 'put'] as const) {
        for (let index = 0; index < count; index++) {
          const photo = photos[index % photos.length] as Photo;
          const attachmentId = randomUUID();
          batches[way].push({ phone, attachmentId, photo });
          mine.push({
            name: 'attachment.add',
            args: {
              id: attachmentId,
              jobId: phone.jobId,
              kind: 'photo',
              // The way is in the name, so the checks at the end find each way's files.
              fileName: `${way}-${index + 1}.jpg`,
              contentType: 'image/jpeg',
              byteSize: photo.bytes.byteLength,
              sha256: photo.sha256,
              takenAt: new Date().toISOString(),
            },
          });
        }
      }
      await pushApplied(url, phone, mine);
    }),
  );
  return batches;
}

interface PhotoTiming {
  /** First request sent → final 204. */
  ms: number;
  /** tus only: each PATCH's share, from the previous acknowledgement (the first includes the POST). */
  patchMs: number[];
}

/** One photo with tus-js-client as the phone sends it (no quick retries: a failure here is counted, not hidden). */
function sendByTus(url: string, upload: PhotoUpload): Promise<PhotoTiming> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const acknowledgedAt = [started];
    // The Node build reads a Buffer; its types only name the browser's inputs.
    const sending = new tus.Upload(upload.photo.bytes as unknown as Blob, {
      endpoint: `${url}/api/uploads`,
      uploadSize: upload.photo.bytes.byteLength,
      metadata: { attachmentId: upload.attachmentId, filename: 'photo.jpg', filetype: 'image/jpeg' },
      headers: headersOf(upload.phone.token),
      chunkSize: CHUNK_BYTES,
      retryDelays: null,
      storeFingerprintForResuming: false,
      removeFingerprintOnSuccess: false,
      onChunkComplete: () => acknowledgedAt.push(performance.now()),
      onSuccess: () => {
        const patchMs = acknowledgedAt.slice(1).map((at, index) => at - (acknowledgedAt[index] as number));
        resolve({ ms: performance.now() - started, patchMs });
      },
      onError: reject,
    });
    sending.start();
  });
}

/** One photo as a single plain PUT, on the same HTTP client stack (node:http, default agent) as tus-js-client. */
function sendByPut(putUrl: string, upload: PhotoUpload): Promise<PhotoTiming> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const sending = request(
      `${putUrl}/raw/${upload.attachmentId}`,
      {
        method: 'PUT',
        headers: { 'content-type': 'image/jpeg', 'content-length': upload.photo.bytes.byteLength },
      },
      (response) => {
        response.resume();
        response.on('end', () => {
          if (response.statusCode === 204) resolve({ ms: performance.now() - started, patchMs: [] });
          else reject(new Error(`plain PUT answered ${response.statusCode}`));
        });
      },
    );
    sending.on('error', reject);
    sending.end(upload.photo.bytes);
  });
}

/**
 * The baseline's receiver: `PUT /raw/<attachmentId>` writes the body through
 * the byte store as `TusAttachmentStore.write` does (1 MiB pieces, each an
 * `append` at the stored offset) and answers 204. Nothing else.
 */
async function startPlainPutServer(store: ReturnType<typeof createPostgresByteStore>, orgId: string) {
  const storeBody = async (req: IncomingMessage) => {
    const attachmentId = req.url?.match(/^\/raw\/([0-9a-f-]{36})$/)?.[1];
    const length = Number(req.headers['content-length']);
    if (req.method !== 'PUT' || !attachmentId || !(length > 0)) throw new Error('expected PUT /raw/<id> with a length');
    await store.startUpload(orgId, attachmentId, length, {});
    let stored = 0;
    for await (const piece of inPieces(req, PIECE_BYTES)) {
      const appended = await store.append(orgId, attachmentId, stored, piece);
      if (!appended.ok) throw new Error(`append refused: ${appended.refusal}`);
      stored = appended.offset;
    }
    if (stored !== length) throw new Error(`stored ${stored} of ${length} bytes`);
  };
  const server = createServer((req, res) => {
    storeBody(req).then(
      () => res.writeHead(204).end(),
      (error: Error) => {
        console.error(`  !! plain PUT: ${error.message}`);
        req.resume();
        res.writeHead(500).end();
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface WayFigures {
  seconds: number;
  megabytesPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  errors: number;
  /** tus only: PATCH shares — the first (with the POST), the middle ones, the last (with the checks and thumbnail). */
  patches?: { firstP50Ms: number; middleP50Ms: number; lastP50Ms: number; lastP95Ms: number };
}

/** Sends every upload at once (at most PER_PHONE per phone in flight) and times the whole and each photo. */
async function sendAll(uploads: PhotoUpload[], send: (upload: PhotoUpload) => Promise<PhotoTiming>) {
  const byPhone = new Map<Phone, PhotoUpload[]>();
  for (const upload of uploads) byPhone.set(upload.phone, [...(byPhone.get(upload.phone) ?? []), upload]);
  const timings: PhotoTiming[] = [];
  const errors: string[] = [];
  const started = performance.now();
  await Promise.all(
    [...byPhone.values()].flatMap((queue) =>
      Array.from({ length: Math.min(PER_PHONE, queue.length) }, async () => {
        for (let next = queue.shift(); next; next = queue.shift()) {
          try {
            timings.push(await send(next));
          } catch (error) {
            if (errors.length < 5) console.error(`  !! ${(error as Error).message.split('\n')[0]}`);
            errors.push(String(error));
          }
        }
      }),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  const bytes = uploads.reduce((sum, upload) => sum + upload.photo.bytes.byteLength, 0);
  const ms = timings.map((timing) => timing.ms);
  const figures: WayFigures = {
    seconds,
    megabytesPerSecond: bytes / MB / seconds,
    p50Ms: percentile(ms, 50),
    p95Ms: percentile(ms, 95),
    errors: errors.length,
  };
  const patchTimings = timings.filter((timing) => timing.patchMs.length > 1);
  if (patchTimings.length > 0) {
    const last = patchTimings.map((timing) => timing.patchMs.at(-1) as number);
    const middle = patchTimings.flatMap((timing) => timing.patchMs.slice(1, -1));
    figures.patches = {
      firstP50Ms: percentile(
        patchTimings.map((timing) => timing.patchMs[0] as number),
        50,
      ),
      middleP50Ms: middle.length > 0 ? percentile(middle, 50) : Number.NaN,
      lastP50Ms: percentile(last, 50),
      lastP95Ms: percentile(last, 95),
    };
  }
  return figures;
}

/** Every tus photo checked and marked uploaded with its thumbnail; every baseline photo stored whole; samples read back. */
async function verify(server: RunningServer, url: string, samples: PhotoUpload[], expected: Record<Way, number>) {
  const problems: string[] = [];
  const [tusRow] = await server.database.query<{ n: number; uploaded: number; thumbnails: number }>(sql`
    select count(*)::int as n, count(a.uploaded_at)::int as uploaded, count(t.attachment_id)::int as thumbnails
    from attachments a left join attachment_thumbnails t on t.org_id = a.org_id and t.attachment_id = a.id
    where a.file_name like 'tus-%'`);
  if (tusRow?.n !== expected.tus || tusRow.uploaded !== expected.tus || tusRow.thumbnails !== expected.tus) {
    problems.push(`tus: ${JSON.stringify(tusRow)} of ${expected.tus} expected uploaded with a thumbnail`);
  }
  const [putRow] = await server.database.query<{ n: number; whole: number; stored_ok: number }>(sql`
    select count(*)::int as n,
      count(*) filter (where u.upload_offset = u.upload_length)::int as whole,
      count(*) filter (where (select sum(length(c.bytes)) from attachment_chunks c
        where c.org_id = a.org_id and c.attachment_id = a.id) = a.byte_size)::int as stored_ok
    from attachments a join attachment_uploads u on u.org_id = a.org_id and u.attachment_id = a.id
    where a.file_name like 'put-%'`);
  if (putRow?.n !== expected.put || putRow.whole !== expected.put || putRow.stored_ok !== expected.put) {
    problems.push(`plain PUT: ${JSON.stringify(putRow)} of ${expected.put} expected stored whole`);
  }
  for (const sample of samples) {
    const response = await fetch(`${url}/api/attachments/${sample.attachmentId}`, {
      headers: headersOf(sample.phone.token),
    });
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (response.status !== 200 || sha256(bytes) !== sample.photo.sha256) {
      problems.push(`GET ${sample.attachmentId}: ${response.status}, ${bytes.byteLength} bytes, SHA-256 differs`);
    }
  }
  return problems;
}

/** A fresh database on the Postgres at 127.0.0.1:5432, or PGlite files in a temporary folder when it is not there. */
async function startBenchServer(kind: DatabaseKind) {
  const dataDir = mkdtempSync(join(tmpdir(), 'fieldsync-uploads-bench-'));
  const testDb = kind === 'postgres' ? await createTestDatabase('postgres', { migrate: false }) : undefined;
  const env = loadEnv({
    ...(testDb?.url ? { DATABASE_URL: testDb.url } : {}),
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    SEED: 'none',
    LOG_LEVEL: 'silent',
    JWT_SECRET: 'bench-signing-key-that-is-long-enough-0123456789',
    ACCESS_TOKEN_TTL_SECONDS: '3600',
  });
  const server = await startServer(env);
  // The demo company (2 dispatchers, 12 contractors), seeded here rather than by SEED=demo, which prints its sign-ins.
  await seedDemoCompany(server.database.db, { passwordHash: await hashPassword(PASSWORD), now: new Date() });
  return {
    server,
    kind: server.database.kind,
    url: `http://127.0.0.1:${server.port}`,
    async close() {
      await server.close();
      await testDb?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

console.log(
  `Uploads: ${PHONES} phones (BENCH_PHONES) × ${PHOTOS} photos (BENCH_PHOTOS) of ~${PHOTO_MB} MB (BENCH_PHOTO_MB), ` +
    `${PER_PHONE} at a time per phone (BENCH_PER_PHONE), tus in ${CHUNK_BYTES / 1024} KiB chunks, ${ROUNDS} rounds (BENCH_ROUNDS)`,
);
const photos = await Promise.all(Array.from({ length: PHOTOS }, () => makePhoto(PHOTO_MB * MB)));
const photoBytes = photos.map((photo) => photo.bytes.byteLength);
console.log(
  `  photos: JPEG ${photos.map((photo) => `${photo.width}×${photo.height}`).join(', ')}; ` +
    `${photoBytes.map((bytes) => fmt(bytes / MB, 2)).join(', ')} MB`,
);
const bench = await startBenchServer(DATABASE_KIND as DatabaseKind);
console.log(
  bench.kind === 'postgres'
    ? '  database: PostgreSQL at 127.0.0.1:5432 (a fresh database, dropped at the end)'
    : `  database: PGlite (!!! PostgreSQL is not reachable: these are PGlite figures, ${PHONES} phones unless BENCH_PHONES !!!)`,
);
const [org] = await bench.server.database.query<{ id: string }>(sql`select id from organizations`);
const plain = await startPlainPutServer(createPostgresByteStore(bench.server.database.db), org?.id as string);
const rounds: Array<{ first: Way; tus: WayFigures; put: WayFigures }> = [];
let problems: string[] = [];
try {
  const phones = await preparePhones(bench.server, bench.url);
  if (bench.kind === 'postgres') await bench.server.database.query(sql`analyze`);
  const sends: Record<Way, (upload: PhotoUpload) => Promise<PhotoTiming>> = {
    tus: (upload) => sendByTus(bench.url, upload),
    put: (upload) => sendByPut(plain.url, upload),
  };
  const samples: PhotoUpload[] = [];
  const expected = { tus: 0, put: 0 };
  // One small untimed round of each, so no timed round pays for JIT warm-up or first connections.
  const warm = await addAttachments(bench.url, phones.slice(0, 2), photos, 2);
  await sendAll(warm.tus, sends.tus);
  await sendAll(warm.put, sends.put);
  expected.tus += warm.tus.length;
  expected.put += warm.put.length;
  for (let round = 0; round < ROUNDS; round++) {
    const batches = await addAttachments(bench.url, phones, photos, PHOTOS);
    // Alternating which goes first, so neither always meets the fuller tables or the warmer caches.
    const first: Way = round % 2 === 0 ? 'tus' : 'put';
    const second: Way = first === 'tus' ? 'put' : 'tus';
    const figures = {} as Record<Way, WayFigures>;
    figures[first] = await sendAll(batches[first], sends[first]);
    figures[second] = await sendAll(batches[second], sends[second]);
    rounds.push({ first, tus: figures.tus, put: figures.put });
    expected.tus += batches.tus.length;
    expected.put += batches.put.length;
    samples.push(batches.tus[round % batches.tus.length] as PhotoUpload, batches.tus.at(-1) as PhotoUpload);
    const { tus: t, put: p } = figures;
    console.log(
      `  round ${round + 1} (${first} first)  tus ${fmt(t.megabytesPerSecond)} MB/s, per photo p50 ${fmt(t.p50Ms, 0)} p95 ${fmt(t.p95Ms, 0)} ms` +
        `  |  PUT ${fmt(p.megabytesPerSecond)} MB/s, p50 ${fmt(p.p50Ms, 0)} p95 ${fmt(p.p95Ms, 0)} ms` +
        `  |  ratio ${fmt(t.megabytesPerSecond / p.megabytesPerSecond, 2)}, p95 ×${fmt(t.p95Ms / p.p95Ms, 2)}`,
    );
  }
  problems = await verify(bench.server, bench.url, samples, expected);
} finally {
  await plain.close();
  await bench.close();
}

const med = (pick: (round: (typeof rounds)[number]) => number) => median(rounds.map(pick));
const tusRate = med((round) => round.tus.megabytesPerSecond);
const putRate = med((round) => round.put.megabytesPerSecond);
const tusP95 = med((round) => round.tus.p95Ms);
const putP95 = med((round) => round.put.p95Ms);
const patches = {
  firstP50Ms: med((round) => round.tus.patches?.firstP50Ms ?? Number.NaN),
  middleP50Ms: med((round) => round.tus.patches?.middleP50Ms ?? Number.NaN),
  lastP50Ms: med((round) => round.tus.patches?.lastP50Ms ?? Number.NaN),
  lastP95Ms: med((round) => round.tus.patches?.lastP95Ms ?? Number.NaN),
};
const errors = rounds.reduce((sum, round) => sum + round.tus.errors + round.put.errors, 0);
const total = (PHONES * PHOTOS * photoBytes.reduce((sum, bytes) => sum + bytes, 0)) / photoBytes.length / MB;
console.log(`\nResults (medians of ${ROUNDS} rounds, ${fmt(total, 0)} MB per way per round, ${bench.kind})`);
console.log(
  `  tus (POST + PATCHes, checks, thumbnail)  ${fmt(tusRate)} MB/s   per photo p50 ${fmt(
    med((round) => round.tus.p50Ms),
    0,
  )} ms, p95 ${fmt(tusP95, 0)} ms`,
);
console.log(
  `  plain PUT (same bytes, same store)       ${fmt(putRate)} MB/s   per photo p50 ${fmt(
    med((round) => round.put.p50Ms),
    0,
  )} ms, p95 ${fmt(putP95, 0)} ms`,
);
console.log(
  `  ratio                                    tus ÷ PUT: ${fmt(tusRate / putRate, 2)} of the MB/s, p95 ×${fmt(tusP95 / putP95, 2)}`,
);
console.log(
  `  tus PATCHes (p50)                        first with POST ${fmt(patches.firstP50Ms, 0)} ms, middle ${fmt(patches.middleP50Ms, 0)} ms, ` +
    `last with checks + thumbnail ${fmt(patches.lastP50Ms, 0)} ms (p95 ${fmt(patches.lastP95Ms, 0)} ms)`,
);
if (errors > 0) console.log(`\n  !!!!! ${errors} UPLOADS FAILED (must be 0) !!!!!`);
for (const problem of problems) console.log(`  !!!!! ${problem}`);
if (errors === 0 && problems.length === 0) {
  console.log(
    '  checked: every tus photo uploaded with a thumbnail, every PUT stored whole, samples read back by SHA-256',
  );
}
const file = writeResult('uploads', {
  at: new Date().toISOString(),
  database: bench.kind,
  phones: PHONES,
  photosPerPhone: PHOTOS,
  perPhoneAtOnce: PER_PHONE,
  photoBytes,
  chunkBytes: CHUNK_BYTES,
  rounds,
  tusMegabytesPerSecondMedian: tusRate,
  putMegabytesPerSecondMedian: putRate,
  ratio: tusRate / putRate,
  tusP95MedianMs: tusP95,
  putP95MedianMs: putP95,
  p95Ratio: tusP95 / putP95,
  tusPatches: patches,
  errors,
  problems,
});
console.log(`\nWrote ${file}`);
process.exit(errors + problems.length > 0 ? 1 : 0);
