import { type ActivitySource, DEFAULT_MAX_UPLOAD_BYTES } from '@fieldsync/domain';
import type { ErrorCode } from '@fieldsync/protocol';
import type { RaisedEvent } from '../alerts/raise-alerts';
import type { AuthUser } from '../auth/tokens';
import type { Tx } from '../db/database';
import type { activityLog } from '../db/schema';
import type { JobWrites } from './job-writes';

/** What a mutation handler knows about the mutation it applies. */
export interface MutationContext {
  tx: Tx;
  user: AuthUser;
  clientId: string;
  seq: number;
  /** When it happened on the device (skew-corrected by the client, never later than `recordedAt`). */
  occurredAt: string;
  /** When the server applied it. */
  recordedAt: string;
  source: ActivitySource;
  /** Jobs this mutation touched; used to poke the contractors who can see them. */
  touchedJobIds: Set<string>;
  /** Contractor rows this mutation changed (their own row, hours, rating); pokes the contractor. */
  touchedContractorIds: Set<string>;
  /**
   * Users whose own phones this mutation concerns besides the office (a
   * contractor's own user row); `'*'` tells everyone in the organisation.
   */
  touchedUserIds: Set<string>;
  /** Users whose account was turned off or on: each instance's remembered status is dropped after commit. */
  accountsChanged: Set<string>;
  /** Activity-log rows of this mutation, written with the push's ledger once the mutation stands. */
  activity: ActivityRow[];
  /** Alert events of this mutation, raised with the push's ledger once the mutation stands. */
  alertEvents: RaisedEvent[];
  /** What the deployment allows, for the handlers that check it. */
  settings: MutationSettings;
  /** Lookups shared by the mutations of one push. */
  memo: { contractorId?: Promise<string | undefined> };
  /** How this mutation reads and writes job statuses, new materials and their ticks, notes: held or direct (see `push-writes.ts`). */
  writes: JobWrites;
}

/** Deployment settings a handler may need (from the environment). */
export interface MutationSettings {
  /** `SMTP_URL` is set: rules may use the `email` channel. */
  emailConfigured: boolean;
  /** `WEBHOOK_ALLOW_PRIVATE=true`: webhooks may target loopback and private addresses. */
  allowPrivateWebhooks: boolean;
  /** `MAX_UPLOAD_BYTES`: the largest attachment an `attachment.add` may announce. */
  maxUploadBytes: number;
}

export const DEFAULT_MUTATION_SETTINGS: MutationSettings = {
  emailConfigured: false,
  allowPrivateWebhooks: false,
  maxUploadBytes: DEFAULT_MAX_UPLOAD_BYTES,
};

/** An activity-log row waiting to be written. */
export type ActivityRow = typeof activityLog.$inferInsert;

/** How a handler says the mutation went, when it was not rejected. */
export type HandlerOutcome =
  | { outcome: 'applied' }
  | { outcome: 'conflict'; conflictId: string }
  | { outcome: 'duplicate' };

/**
 * Thrown by a handler to refuse a mutation. The push rolls the mutation's
 * savepoint back and records the rejection in the ledger.
 */
export class MutationRejected extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Kept despite the rollback, e.g. a refused status change on the job's timeline. */
    readonly activityAfterRollback?: ActivityRow,
  ) {
    super(message);
    this.name = 'MutationRejected';
  }
}

export const APPLIED: HandlerOutcome = { outcome: 'applied' };
