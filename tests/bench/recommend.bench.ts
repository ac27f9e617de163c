/**
 * `pnpm bench:recommend` — latency of `GET /api/jobs/:id/recommendations` on a
 * company with 10,000 contractors and 50,000 assignments, against a naive
 * per-contractor query loop measured in the same run on the same data. The
 * naive loop ranks with `rankContractors` on everything; the run fails when
 * the endpoint's top 10 (ids and scores) differs from it on any job compared.
 *
 * Dates are laid out from the current week, so the bookings always fall in
 * the days searched, whatever day the bench runs on.
 */
import { DEFAULT_SCORING_SETTINGS, rankContractors } from '@fieldsync/domain';
import postgres from 'postgres';
import { fmt, median, percentile, startBenchServer, writeResult } from './bench-support';

const CONTRACTORS = Number(process.env.BENCH_CONTRACTORS ?? 10_000);
const ASSIGNMENTS = Number(process.env.BENCH_ASSIGNMENTS ?? 50_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 100);
const NAIVE_SAMPLES = Number(process.env.BENCH_NAIVE_SAMPLES ?? 5);
// The Monday of this week (UTC): assignments run Monday to Friday, the jobs to staff from Tuesday on.
const today = new Date();
const MONDAY = new Date(
  Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - ((today.getUTCDay() + 6) % 7)),
)
  .toISOString()
  .slice(0, 10);

const bench = await startBenchServer();
const sql = postgres(bench.databaseUrl, { max: 4, onnotice: () => {} });
const org = bench.orgId;

console.log(`Seeding ${CONTRACTORS} contractors, ${ASSIGNMENTS} assignments…`);
// Contractors spread over a ~250-mile square around Denver, five trades plus multi.
await sql`insert into contractors (org_id, id, name, trade, rating, status, base_lat, base_lng)
  select ${org}, gen_random_uuid(), 'Contractor ' || n,
    (array['flooring','tile','carpet','paving','general','multi'])[1 + n % 6],
    round((2 + random() * 3)::numeric, 2),
    case when n % 17 = 0 then 'on_leave' else 'active' end,
    39.74 + (random() - 0.5) * 3.6, -104.99 + (random() - 0.5) * 4.7
  from generate_series(1, ${CONTRACTORS}) n`;
await sql`insert into working_hours (org_id, id, contractor_id, day_of_week, start_time, end_time)
  select ${org}, gen_random_uuid(), c.id, d, '07:00', '17:00' from contractors c, generate_series(1, 5) d where c.org_id = ${org}`;
// One job per assignment; a contractor's bookings are 2 hours at 08:00, 10:00 or 12:00 Denver time, one a day from
// this Monday on (Monday to Friday with the default sizes), never overlapping.
await sql`insert into jobs (org_id, id, job_number, title, trade, status, desired_date, duration_minutes, lat, lng)
  select ${org}, gen_random_uuid(), 'JOB-20261121-' || lpad(upper(to_hex(n)), 6, '0'), 'Job ' || n,
    (array['flooring','tile','carpet','paving','general'])[1 + n % 5], 'scheduled',
    ${MONDAY}::date + (n % 5), 120, 39.74 + (random() - 0.5) * 3, -104.99 + (random() - 0.5) * 4
  from generate_series(1, ${ASSIGNMENTS}) n`;
await sql`
  with numbered_jobs as (select id, row_number() over (order by id) - 1 as k from jobs where org_id = ${org}),
       numbered_contractors as (select id, row_number() over (order by id) - 1 as k from contractors where org_id = ${org})
  insert into assignments (org_id, id, job_id, contractor_id, status, scheduled_start, scheduled_end)
  select ${org}, gen_random_uuid(), j.id, c.id, 'confirmed',
    (${MONDAY}::date::timestamp at time zone 'UTC') + interval '15 hours' + ((j.k / ${CONTRACTORS}) * interval '1 day') + ((j.k / ${CONTRACTORS}) % 3) * interval '2 hours',
    (${MONDAY}::date::timestamp at time zone 'UTC') + interval '17 hours' + ((j.k / ${CONTRACTORS}) * interval '1 day') + ((j.k / ${CONTRACTORS}) % 3) * interval '2 hours'
  from numbered_jobs j join numbered_contractors c on c.k = j.k % ${CONTRACTORS}`;
await sql`analyze`;

// Open jobs to staff, spread over trades and places.
const targets = await sql<{ id: string }[]>`
  insert into jobs (org_id, id, job_number, title, trade, status, desired_date, duration_minutes, lat, lng)
  select ${org}, gen_random_uuid(), 'JOB-20261130-' || lpad(upper(to_hex(n)), 6, '0'), 'Open job ' || n,
    (array['flooring','tile','carpet','paving','general'])[1 + n % 5], 'open',
    ${MONDAY}::date + 1 + (n % 10), 90 + (n % 3) * 60, 39.74 + (random() - 0.5) * 2, -104.99 + (random() - 0.5) * 2.5
  from generate_series(1, ${SAMPLES}) n returning id`;

async function viaEndpoint(jobId: string) {
  const started = performance.now();
  const response = await fetch(`${bench.url}/api/jobs/${jobId}/recommendations?limit=10`, {
    headers: { authorization: `Bearer ${bench.accessToken}` },
  });
  const body = (await response.json()) as { recommendations: Array<{ contractorId: string; score: number }> };
  if (response.status !== 200) throw new Error(`endpoint failed: ${JSON.stringify(body)}`);
  return { ms: performance.now() - started, top: topOf(body.recommendations) };
}

/**
 * The floor under every figure: the same request for a job that does not
 * exist (HTTP, auth, routing, one statement that finds nothing, a 404).
 */
async function floorRequest() {
  const started = performance.now();
  const response = await fetch(`${bench.url}/api/jobs/${crypto.randomUUID()}/recommendations?limit=10`, {
    headers: { authorization: `Bearer ${bench.accessToken}` },
  });
  await response.arrayBuffer();
  if (response.status !== 404) throw new Error(`floor request answered ${response.status}`);
  return performance.now() - started;
}

/** What one would write first: load every contractor, then ask for each one's hours and bookings. */
async function naive(jobId: string) {
  const started = performance.now();
  const [job] = await sql`select * from jobs where org_id = ${org} and id = ${jobId}`;
  if (!job) throw new Error('job missing');
  const contractors = await sql`select * from contractors where org_id = ${org}`;
  const workingHours = [];
  const busy = [];
  for (const contractor of contractors) {
    workingHours.push(
      ...(await sql`select * from working_hours where org_id = ${org} and contractor_id = ${contractor.id}`),
    );
    busy.push(
      ...(await sql`select contractor_id, scheduled_start, scheduled_end from assignments
        where org_id = ${org} and contractor_id = ${contractor.id} and status in ('pending','confirmed','in_progress','completed')`),
    );
  }
  const result = rankContractors({
    job: {
      id: job.id,
      trade: job.trade,
      desiredDate: job.desired_date.toISOString().slice(0, 10),
      durationMinutes: job.duration_minutes,
      lat: job.lat,
      lng: job.lng,
    },
    contractors: contractors.map((c) => ({
      id: c.id,
      name: c.name,
      trade: c.trade,
      status: c.status,
      rating: Number(c.rating),
      baseLat: c.base_lat,
      baseLng: c.base_lng,
    })),
    workingHours: workingHours.map((h) => ({
      contractorId: h.contractor_id,
      dayOfWeek: h.day_of_week,
      startTime: h.start_time.slice(0, 5),
      endTime: h.end_time.slice(0, 5),
    })),
    busy: busy.map((b) => ({
      contractorId: b.contractor_id,
      start: b.scheduled_start.toISOString(),
      end: b.scheduled_end.toISOString(),
    })),
    settings: DEFAULT_SCORING_SETTINGS,
    timeZone: 'America/Denver',
    limit: 10,
    now: new Date().toISOString(),
  });
  return { ms: performance.now() - started, top: topOf(result.recommendations) };
}

/** The ranking as compared between the two: ids and scores, best first. */
function topOf(recommendations: Array<{ contractorId: string; score: number }>) {
  return recommendations.map((r) => `${r.contractorId} ${r.score}`);
}

await viaEndpoint(targets[0]?.id as string); // warm-up
// The two are measured in separate passes so neither runs while the other loads the machine.
const endpointMs: number[] = [];
const endpointTop: string[][] = [];
for (const target of targets) {
  const fast = await viaEndpoint(target.id);
  endpointMs.push(fast.ms);
  endpointTop.push(fast.top);
}
const floorMs: number[] = [];
for (let sample = 0; sample < SAMPLES; sample++) floorMs.push(await floorRequest());
let sameTop = 0;
const naiveMs: number[] = [];
for (const [index, target] of targets.slice(0, NAIVE_SAMPLES).entries()) {
  const slow = await naive(target.id);
  naiveMs.push(slow.ms);
  if (slow.top.length === 10 && slow.top.join() === endpointTop[index]?.join()) sameTop++;
  console.log(`  job ${index + 1}: endpoint ${fmt(endpointMs[index] ?? 0)} ms, naive loop ${fmt(slow.ms, 0)} ms`);
}

const stats = (values: number[]) => ({
  samples: values.length,
  p50Ms: percentile(values, 50),
  p95Ms: percentile(values, 95),
  p99Ms: percentile(values, 99),
});
const result = {
  contractors: CONTRACTORS,
  assignments: ASSIGNMENTS,
  endpoint: stats(endpointMs),
  floor: stats(floorMs),
  naive: stats(naiveMs),
  speedup: median(naiveMs) / median(endpointMs.slice(0, naiveMs.length)),
  sameRankingAsNaive: `${sameTop}/${naiveMs.length}`,
};
const line = (s: ReturnType<typeof stats>, digits: number) =>
  `p50 ${fmt(s.p50Ms, digits)} ms, p95 ${fmt(s.p95Ms, digits)} ms, p99 ${fmt(s.p99Ms, digits)} ms (${s.samples} jobs)`;
console.log('\nResults');
console.log(`  endpoint     ${line(result.endpoint, 1)}; target p95 ≤ 20 ms`);
console.log(`  floor        ${line(result.floor, 1)}; an unknown job's 404: HTTP, auth, one statement`);
console.log(
  `               above the floor: p50 ${fmt(result.endpoint.p50Ms - result.floor.p50Ms, 1)} ms, p95 ${fmt(result.endpoint.p95Ms - result.floor.p95Ms, 1)} ms`,
);
console.log(`  naive loop   ${line(result.naive, 0)}`);
console.log(
  `  speed-up     ${fmt(result.speedup)}× (medians, same jobs); same top 10 (ids and scores) as naive: ${result.sameRankingAsNaive}`,
);
console.log(`\nWrote ${writeResult('recommend', { at: new Date().toISOString(), ...result })}`);
await sql.end();
await bench.close();
if (sameTop !== naiveMs.length) {
  console.error('FAILED: the endpoint ranked differently from rankContractors on all the data.');
  process.exit(1);
}
process.exit(0);
