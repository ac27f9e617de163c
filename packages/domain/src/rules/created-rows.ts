/**
 * What a created row starts as, from what its creator sent: the defaults a
 * new job, contractor or assignment takes. The phone shows the row at once
 * and the server stores it; both build it here, so they agree until the next
 * pull. (The server adds what only it decides, such as a job's number.)
 */
import type { Assignment, ScoreBreakdown } from '../entities/assignment';
import type { Attachment, AttachmentContentType, AttachmentKind } from '../entities/attachment';
import type { Contractor } from '../entities/contractor';
import type { Customer } from '../entities/customer';
import type { Job } from '../entities/job';

/** Fields a creator may leave out (or send as undefined). */
type Optional<T, K extends keyof T> = { [P in K]?: T[P] | undefined };

/** What a creator sends for a new customer. */
export type NewCustomerInput = Pick<Customer, 'id' | 'name'> &
  Optional<Customer, 'phone' | 'email' | 'address' | 'lat' | 'lng' | 'notes'>;

/** A new customer is not archived; whatever was left out is empty. */
export function newCustomer(input: NewCustomerInput) {
  return {
    id: input.id,
    name: input.name,
    phone: input.phone ?? null,
    email: input.email ?? null,
    address: input.address ?? null,
    lat: input.lat ?? null,
    lng: input.lng ?? null,
    notes: input.notes ?? null,
    archived: false,
  } satisfies Omit<Customer, 'version' | 'createdAt' | 'updatedAt' | 'deletedAt'>;
}

/** What a creator sends for a new job. */
export type NewJobInput = Pick<Job, 'id' | 'title' | 'trade' | 'durationMinutes'> &
  Optional<
    Job,
    | 'description'
    | 'customerId'
    | 'priority'
    | 'desiredDate'
    | 'address'
    | 'lat'
    | 'lng'
    | 'specialRequirements'
    | 'requiredSkills'
    | 'requiresSignature'
    | 'parentJobId'
    | 'agreedCostCents'
  >;

/** A new job is open, of medium priority unless given; whatever was left out is empty. */
export function newJob(input: NewJobInput, createdBy: string) {
  return {
    id: input.id,
    title: input.title,
    description: input.description ?? null,
    customerId: input.customerId ?? null,
    trade: input.trade,
    priority: input.priority ?? 'medium',
    status: 'open',
    desiredDate: input.desiredDate ?? null,
    durationMinutes: input.durationMinutes,
    address: input.address ?? null,
    lat: input.lat ?? null,
    lng: input.lng ?? null,
    specialRequirements: input.specialRequirements ?? [],
    requiredSkills: input.requiredSkills ?? [],
    requiresSignature: input.requiresSignature ?? false,
    parentJobId: input.parentJobId ?? null,
    agreedCostCents: input.agreedCostCents ?? null,
    actualCostCents: null,
    costDifferenceReason: null,
    createdBy,
  } satisfies Omit<Job, 'jobNumber' | 'version' | 'createdAt' | 'updatedAt' | 'deletedAt'>;
}

/** What a creator sends for a new contractor. */
export type NewContractorInput = Pick<Contractor, 'id' | 'name' | 'trade'> &
  Optional<
    Contractor,
    'userId' | 'skills' | 'rating' | 'status' | 'phone' | 'email' | 'baseAddress' | 'baseLat' | 'baseLng'
  >;

/** A new contractor is active, rated 0 until given a rating; whatever was left out is empty. */
export function newContractor(input: NewContractorInput) {
  return {
    id: input.id,
    userId: input.userId ?? null,
    name: input.name,
    trade: input.trade,
    skills: input.skills ?? [],
    rating: input.rating ?? 0,
    status: input.status ?? 'active',
    phone: input.phone ?? null,
    email: input.email ?? null,
    baseAddress: input.baseAddress ?? null,
    baseLat: input.baseLat ?? null,
    baseLng: input.baseLng ?? null,
  } satisfies Omit<Contractor, 'version' | 'createdAt' | 'updatedAt' | 'deletedAt'>;
}

/** What a dispatcher sends to book a contractor, with the recommendation's score when they picked one. */
export interface NewAssignmentInput {
  id: string;
  jobId: string;
  contractorId: string;
  start: string;
  end: string;
  score?: { total: number; breakdown: ScoreBreakdown } | undefined;
}

/** A new assignment is pending until the contractor confirms it. */
export function newAssignment(input: NewAssignmentInput) {
  return {
    id: input.id,
    jobId: input.jobId,
    contractorId: input.contractorId,
    status: 'pending',
    scheduledStart: input.start,
    scheduledEnd: input.end,
    score: input.score?.total ?? null,
    scoreBreakdown: input.score?.breakdown ?? null,
  } satisfies Omit<Assignment, 'cancellationReason' | 'version' | 'createdAt' | 'updatedAt' | 'deletedAt'>;
}

/** What a device sends for a new file on a job (`attachment.add`). */
export interface NewAttachmentInput {
  id: string;
  jobId: string;
  kind: AttachmentKind;
  fileName: string;
  contentType: AttachmentContentType;
  byteSize: number;
  sha256: string;
  takenAt: string;
  caption?: string | undefined;
  signerName?: string | undefined;
}

/**
 * A new attachment has no bytes on the server yet (`uploadedAt` null); an
 * empty caption is none, and `takenAt` is written as the database reads it
 * back (`…T…:….sssZ`), so a replay compares equal.
 */
export function newAttachment(input: NewAttachmentInput, createdBy: string) {
  return {
    id: input.id,
    jobId: input.jobId,
    kind: input.kind,
    fileName: input.fileName,
    contentType: input.contentType,
    byteSize: input.byteSize,
    sha256: input.sha256,
    takenAt: new Date(input.takenAt).toISOString(),
    caption: input.caption || null,
    signerName: input.signerName ?? null,
    uploadedAt: null,
    createdBy,
  } satisfies Omit<Attachment, 'version' | 'createdAt' | 'updatedAt' | 'deletedAt'>;
}
