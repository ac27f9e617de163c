/**
 * A believable demo company for a fresh database: a flooring-and-paving outfit
 * around Denver with an admin, two dispatchers, twelve contractors, ~60
 * customers and ~200 jobs spread over the past and next two weeks, in every
 * status, with assignments, materials, notes and a status history that
 * matches each job's current status.
 *
 * Deterministic (seeded PRNG) so screenshots and tests see the same company.
 */
import { randomUUID } from 'node:crypto';
import {
  addDaysToLocalDate,
  formatJobNumber,
  type JobStatus,
  localDateTimeToUtc,
  randomJobNumberSuffix,
  type Trade,
  utcToLocalDateTime,
} from '@fieldsync/domain';
import { eq } from 'drizzle-orm';
import { createCompany } from '../company/create-company';
import { type Db, registerChangeWriter } from '../db/database';
import {
  activityLog,
  assignments,
  contractors,
  customers,
  estimates,
  jobNotes,
  jobStatusHistory,
  jobs,
  materials,
  organizations,
  priceListItems,
  users,
  workingHours,
} from '../db/schema';
import { DEMO_TAX_RATE_BASIS_POINTS, demoEstimates } from './demo-estimates';
import { mulberry32 } from './seed-helpers';

export const DEMO_TIME_ZONE = 'America/Denver';
const CITY = { lat: 39.7392, lng: -104.9903 };

export const DEMO_LOGINS = {
  admin: 'admin@example.com',
  dispatchers: ['dispatcher1@example.com', 'dispatcher2@example.com'],
  contractors: Array.from({ length: 12 }, (_, index) => `contractor${index + 1}@example.com`),
} as const;

const CONTRACTOR_PROFILES: Array<{ name: string; trade: Trade; skills: string[]; rating: number }> = [
  { name: 'Maria Lopez', trade: 'flooring', skills: ['hardwood', 'laminate', 'refinishing'], rating: 4.8 },
  { name: 'James Carter', trade: 'tile', skills: ['ceramic', 'porcelain', 'backsplash'], rating: 4.5 },
  { name: 'Aisha Patel', trade: 'carpet', skills: ['broadloom', 'stretching', 'repair'], rating: 4.2 },
  { name: 'Tom Nguyen', trade: 'paving', skills: ['asphalt', 'sealcoating', 'patching'], rating: 4.6 },
  { name: 'Grace Kim', trade: 'general', skills: ['drywall', 'trim', 'doors'], rating: 3.9 },
  { name: 'Luis Romero', trade: 'multi', skills: ['hardwood', 'tile', 'drywall'], rating: 4.4 },
  { name: 'Ethan Brooks', trade: 'flooring', skills: ['vinyl', 'laminate', 'subfloor'], rating: 3.7 },
  { name: 'Sofia Rossi', trade: 'tile', skills: ['natural stone', 'shower pans', 'grout'], rating: 4.9 },
  { name: 'Noah Williams', trade: 'paving', skills: ['pavers', 'concrete', 'drainage'], rating: 4.1 },
  { name: 'Hannah Schmidt', trade: 'carpet', skills: ['stairs', 'padding', 'commercial'], rating: 4.0 },
  { name: 'Omar Haddad', trade: 'general', skills: ['plumbing fixtures', 'painting', 'caulking'], rating: 4.3 },
  { name: 'Chloe Martin', trade: 'multi', skills: ['laminate', 'carpet', 'tile'], rating: 4.7 },
];

const FIRST = ['Olivia', 'Liam', 'Emma', 'Noah', 'Ava', 'Ethan', 'Mia', 'Lucas', 'Zoe', 'Henry', 'Ella', 'Jack'];
const LAST = ['Anderson', 'Baker', 'Clark', 'Diaz', 'Evans', 'Foster', 'Garcia', 'Hughes', 'Iverson', 'Jensen'];
const STREETS = ['Colfax Ave', 'Broadway', 'Federal Blvd', 'Speer Blvd', 'Alameda Ave', 'Evans Ave', 'Quebec St'];
const JOB_TITLES: Record<Trade, string[]> = {
  flooring: ['Install oak hardwood in living room', 'Replace laminate in hallway', 'Refinish bedroom floors'],
  tile: ['Retile master bathroom', 'Kitchen backsplash', 'Replace cracked entry tiles'],
  carpet: ['Carpet three bedrooms', 'Restretch stair carpet', 'Patch pet-damaged carpet'],
  paving: ['Reseal driveway', 'Patch parking lot potholes', 'Install paver patio'],
  general: ['Fix sagging door and trim', 'Drywall repair after leak', 'Replace baseboards'],
  multi: ['Basement finishing: floor and tile', 'Whole-floor renovation'],
};
const MATERIALS: Record<Trade, Array<[string, number, string]>> = {
  flooring: [
    ['Oak planks', 450, 'sq ft'],
    ['Underlayment roll', 4, 'roll'],
    ['Finish nails', 2, 'box'],
  ],
  tile: [
    ['Porcelain tile 12x24', 120, 'sq ft'],
    ['Thinset mortar', 3, 'bag'],
    ['Grout, charcoal', 2, 'bag'],
  ],
  carpet: [
    ['Carpet, plush', 60, 'sq yd'],
    ['Carpet pad', 60, 'sq yd'],
    ['Tack strip', 12, 'piece'],
  ],
  paving: [
    ['Sealcoat', 10, 'gal'],
    ['Cold patch asphalt', 8, 'bag'],
    ['Crack filler', 4, 'jug'],
  ],
  general: [
    ['Drywall sheet 4x8', 6, 'sheet'],
    ['Joint compound', 1, 'bucket'],
    ['Primed baseboard', 80, 'ft'],
  ],
  multi: [
    ['LVP flooring', 300, 'sq ft'],
    ['Ceramic tile', 40, 'sq ft'],
  ],
};
const NOTES = [
  'Customer asked us to use the side entrance.',
  'Dog in the back yard — keep the gate closed.',
  'Measured twice; room is slightly out of square.',
  'Subfloor has a soft spot near the window.',
  'Parking is tight; use the street.',
  'Customer will be home after 10.',
];

/** The path a job took to reach each status, used to write its history. */
const STATUS_PATHS: Record<JobStatus, JobStatus[]> = {
  open: ['open'],
  scheduled: ['open', 'scheduled'],
  in_progress: ['open', 'scheduled', 'in_progress'],
  waiting_on_materials: ['open', 'scheduled', 'in_progress', 'waiting_on_materials'],
  on_hold: ['open', 'scheduled', 'in_progress', 'on_hold'],
  completed: ['open', 'scheduled', 'in_progress', 'completed'],
  cancelled: ['open', 'cancelled'],
};

export interface DemoSeedOptions {
  passwordHash: string;
  now: Date;
  /** PRNG seed; the same seed gives the same company. */
  seed?: number;
  orgName?: string;
  /** Email domain; tests seed a second company under another one. */
  emailDomain?: string;
}

export interface DemoSeedResult {
  orgId: string;
  jobCount: number;
  customerCount: number;
}

/** Inserts the demo company. The caller decides whether the database is empty enough. */
export async function seedDemoCompany(db: Db, options: DemoSeedOptions): Promise<DemoSeedResult> {
  const random = mulberry32(options.seed ?? 20261121);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const near = (spread: number) => (random() - 0.5) * spread;
  const domain = options.emailDomain ?? 'example.com';
  const email = (address: string) => address.replace('@example.com', `@${domain}`);

  const orgId = randomUUID();
  const today = todayIn(options.now, DEMO_TIME_ZONE);

  const userRows: Array<typeof users.$inferInsert> = [];
  const addUser = (address: string, name: string, role: 'admin' | 'dispatcher' | 'contractor') => {
    const id = randomUUID();
    userRows.push({ orgId, id, email: email(address), name, role, passwordHash: options.passwordHash });
    return id;
  };
  // The admin and the company itself are made by `createCompany`, as a sign-up would.
  const adminId = randomUUID();
  const dispatcherIds = DEMO_LOGINS.dispatchers.map((address, index) =>
    addUser(address, index === 0 ? 'Dana Reyes' : 'Sam Patel', 'dispatcher'),
  );

  const contractorRows: Array<typeof contractors.$inferInsert> = [];
  const hoursRows: Array<typeof workingHours.$inferInsert> = [];
  CONTRACTOR_PROFILES.forEach((profile, index) => {
    const address = DEMO_LOGINS.contractors[index] as string;
    const userId = addUser(address, profile.name, 'contractor');
    const id = randomUUID();
    contractorRows.push({
      orgId,
      id,
      userId,
      name: profile.name,
      trade: profile.trade,
      skills: profile.skills,
      rating: profile.rating,
      status: index === 9 ? 'on_leave' : 'active',
      phone: `(303) 555-${String(1000 + index * 37).slice(-4)}`,
      email: email(address),
      baseAddress: `${100 + index * 11} ${pick(STREETS)}, Denver, CO`,
      baseLat: CITY.lat + near(0.3),
      baseLng: CITY.lng + near(0.4),
    });
    // Weekdays 07:30–16:00; a few also work Saturday mornings.
    for (let day = 1; day <= 5; day++) {
      hoursRows.push({
        orgId,
        id: randomUUID(),
        contractorId: id,
        dayOfWeek: day,
        startTime: '07:30',
        endTime: '16:00',
      });
    }
    if (index % 3 === 0) {
      hoursRows.push({ orgId, id: randomUUID(), contractorId: id, dayOfWeek: 6, startTime: '08:00', endTime: '12:00' });
    }
  });

  const customerRows: Array<typeof customers.$inferInsert> = Array.from({ length: 60 }, (_, index) => ({
    orgId,
    id: randomUUID(),
    name: index % 9 === 0 ? `${pick(LAST)} Property Management` : `${pick(FIRST)} ${pick(LAST)}`,
    phone: `(720) 555-${String(2000 + index * 13).slice(-4)}`,
    email: `customer${index + 1}@${domain}`,
    address: `${200 + index * 7} ${pick(STREETS)}, Denver, CO`,
    lat: CITY.lat + near(0.35),
    lng: CITY.lng + near(0.45),
    notes: index % 5 === 0 ? 'Prefers text messages.' : null,
  }));

  const jobRows: Array<typeof jobs.$inferInsert> = [];
  const assignmentRows: Array<typeof assignments.$inferInsert> = [];
  const materialRows: Array<typeof materials.$inferInsert> = [];
  const noteRows: Array<typeof jobNotes.$inferInsert> = [];
  const historyRows: Array<typeof jobStatusHistory.$inferInsert> = [];
  const activityRows: Array<typeof activityLog.$inferInsert> = [];
  /** Next free local minute per contractor per date, so seeded assignments never overlap. */
  const bookedUntil = new Map<string, number>();
  const usedJobNumbers = new Set<string>();

  for (let index = 0; index < 200; index++) {
    const dayOffset = Math.floor(random() * 29) - 14;
    const desiredDate = addDaysToLocalDate(today, dayOffset);
    const status = chooseStatus(dayOffset, random);
    const profileIndex = Math.floor(random() * CONTRACTOR_PROFILES.length);
    const trade = (CONTRACTOR_PROFILES[profileIndex] as (typeof CONTRACTOR_PROFILES)[number]).trade;
    const customer = pick(customerRows);
    const jobId = randomUUID();
    const durationMinutes = pick([60, 90, 120, 180, 240]);
    let jobNumber: string;
    do {
      jobNumber = formatJobNumber(desiredDate, randomJobNumberSuffix(random));
    } while (usedJobNumbers.has(jobNumber));
    usedJobNumbers.add(jobNumber);
    const createdBy = pick(dispatcherIds);

    const contractor = status === 'open' || status === 'cancelled' ? undefined : contractorRows[profileIndex];
    let slot: { start: string; end: string } | undefined;
    if (contractor?.id) {
      const key = `${contractor.id}:${desiredDate}`;
      const startMinute = bookedUntil.get(key) ?? 8 * 60;
      if (startMinute + durationMinutes > 16 * 60) {
        index--; // this contractor's day is full; draw another job
        continue;
      }
      bookedUntil.set(key, startMinute + durationMinutes + 30);
      slot = {
        start: localInstant(desiredDate, startMinute).toISOString(),
        end: localInstant(desiredDate, startMinute + durationMinutes).toISOString(),
      };
    }

    jobRows.push({
      orgId,
      id: jobId,
      jobNumber,
      title: pick(JOB_TITLES[trade]),
      description: `${pick(['Customer reports', 'Follow-up on', 'Quote accepted for'])} work at ${customer.address}.`,
      customerId: customer.id,
      trade,
      priority: pick(['low', 'medium', 'medium', 'high', 'urgent']),
      status,
      desiredDate,
      durationMinutes,
      address: customer.address,
      lat: customer.lat,
      lng: customer.lng,
      specialRequirements: random() < 0.3 ? [pick(['Lockbox code 4412', 'Wear shoe covers', 'Gate code #2580'])] : [],
      createdBy,
    });

    if (contractor?.id && slot) {
      assignmentRows.push({
        orgId,
        id: randomUUID(),
        jobId,
        contractorId: contractor.id,
        status: assignmentStatusFor(status),
        scheduledStart: slot.start,
        scheduledEnd: slot.end,
        score: Math.round((0.6 + random() * 0.35) * 10_000) / 10_000,
      });
    }

    // History: one row per step, spaced through the days before the job.
    const path = STATUS_PATHS[status];
    const createdAt = localInstant(addDaysToLocalDate(desiredDate, -3), 9 * 60);
    path.forEach((step, stepIndex) => {
      const occurredAt = new Date(createdAt.getTime() + stepIndex * 3 * 3_600_000);
      if (occurredAt > options.now) return;
      const changedBy = stepIndex >= 2 && contractor?.userId ? contractor.userId : createdBy;
      historyRows.push({
        orgId,
        id: randomUUID(),
        jobId,
        fromStatus: stepIndex === 0 ? null : (path[stepIndex - 1] as string),
        toStatus: step,
        changedBy,
        occurredAt: occurredAt.toISOString(),
        recordedAt: occurredAt.toISOString(),
      });
      activityRows.push({
        orgId,
        id: randomUUID(),
        entityType: 'job',
        entityId: jobId,
        jobId,
        action: stepIndex === 0 ? 'job.created' : 'job.status_changed',
        details: stepIndex === 0 ? { jobNumber } : { from: path[stepIndex - 1], to: step },
        userId: changedBy,
        source: changedBy === contractor?.userId ? 'mobile_app' : 'dispatcher_web',
      });
    });

    if (status !== 'cancelled' && random() < 0.7) {
      for (const [itemName, quantity, unit] of MATERIALS[trade].slice(0, 1 + Math.floor(random() * 3))) {
        const purchased = status === 'completed' || random() < 0.3;
        materialRows.push({
          orgId,
          id: randomUUID(),
          jobId,
          itemName,
          quantity,
          unit,
          purchased,
          purchasedBy: purchased ? (contractor?.userId ?? createdBy) : null,
          purchasedAt: purchased ? createdAt.toISOString() : null,
          addedBy: createdBy,
        });
      }
    }
    if (random() < 0.5) {
      noteRows.push({
        orgId,
        id: randomUUID(),
        jobId,
        authorId: contractor?.userId ?? createdBy,
        body: pick(NOTES),
        occurredAt: createdAt.toISOString(),
      });
    }
  }

  const money = demoEstimates({
    orgId,
    today,
    jobRows,
    customerRows,
    officeUserIds: dispatcherIds,
    seed: (options.seed ?? 20261121) + 1,
  });

  await db.transaction(async (tx) => {
    await registerChangeWriter(tx);
    await createCompany(tx, {
      orgId,
      adminId,
      companyName: options.orgName ?? 'Mile High Floors & Paving',
      timeZone: DEMO_TIME_ZONE,
      adminName: 'Alex Morgan',
      email: email(DEMO_LOGINS.admin),
      passwordHash: options.passwordHash,
    });
    await tx.insert(users).values(userRows);
    await tx.insert(contractors).values(contractorRows);
    await tx.insert(workingHours).values(hoursRows);
    await tx.insert(customers).values(customerRows);
    for (const chunk of chunks(jobRows, 100)) await tx.insert(jobs).values(chunk);
    for (const chunk of chunks(assignmentRows, 100)) await tx.insert(assignments).values(chunk);
    for (const chunk of chunks(materialRows, 200)) await tx.insert(materials).values(chunk);
    if (noteRows.length) await tx.insert(jobNotes).values(noteRows);
    for (const chunk of chunks(historyRows, 200)) await tx.insert(jobStatusHistory).values(chunk);
    for (const chunk of chunks(activityRows, 200)) await tx.insert(activityLog).values(chunk);
    await tx
      .update(organizations)
      .set({ taxRateBasisPoints: DEMO_TAX_RATE_BASIS_POINTS })
      .where(eq(organizations.id, orgId));
    await tx.insert(priceListItems).values(money.priceListRows);
    await tx.insert(estimates).values(money.estimateRows);
  });
  return { orgId, jobCount: jobRows.length, customerCount: customerRows.length };
}

function chooseStatus(dayOffset: number, random: () => number): JobStatus {
  const roll = random();
  if (dayOffset < -1) {
    if (roll < 0.7) return 'completed';
    if (roll < 0.8) return 'cancelled';
    if (roll < 0.9) return 'on_hold';
    return 'waiting_on_materials';
  }
  if (dayOffset <= 0) {
    if (roll < 0.35) return 'in_progress';
    if (roll < 0.55) return 'scheduled';
    if (roll < 0.7) return 'waiting_on_materials';
    if (roll < 0.8) return 'completed';
    if (roll < 0.9) return 'on_hold';
    return 'open';
  }
  if (roll < 0.55) return 'scheduled';
  if (roll < 0.9) return 'open';
  return 'cancelled';
}

function assignmentStatusFor(jobStatus: JobStatus) {
  if (jobStatus === 'completed') return 'completed';
  if (jobStatus === 'scheduled') return 'confirmed';
  return 'in_progress';
}

function todayIn(now: Date, timeZone: string): string {
  return utcToLocalDateTime(now.toISOString(), timeZone).date;
}

/** A minute of a local day in the demo company's time zone, as a Date. */
function localInstant(date: string, minuteOfDay: number): Date {
  const time = `${String(Math.floor(minuteOfDay / 60)).padStart(2, '0')}:${String(minuteOfDay % 60).padStart(2, '0')}`;
  return new Date(localDateTimeToUtc(date, time, DEMO_TIME_ZONE));
}

function chunks<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}
