import { canRole, OFFICE_ONLY_MESSAGE } from '@fieldsync/domain';
import {
  ALERT_RULE_EDITABLE_FIELDS,
  describeIssues,
  EDITABLE_FIELDS,
  MUTATION_PERMISSION,
  type MutationName,
  type ParsedMutation,
  parseMutationArgs,
  plainIssuesByField,
  UPDATE_MUTATION_ENTITY,
} from '@fieldsync/protocol';
import type { z } from 'zod';
import { mutationAppliers } from './appliers';
import type { FieldsyncDatabase, OutboxEntry, SessionUser } from './database';
import { MutationRefusedError } from './errors';
import type { ApplyContext } from './local-writes';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Fills what the device knows so screens need not: `from` of a status change
 * (the local current status) and `base` of an update (the local values of
 * the patched fields). Values the caller gave are kept.
 */
export async function completeArgs(db: FieldsyncDatabase, name: string, args: unknown): Promise<unknown> {
  if (!isRecord(args)) return args;
  if (name === 'job.setStatus' && args.from === undefined && typeof args.jobId === 'string') {
    const job = await db.jobs.get(args.jobId);
    if (!job) throw new MutationRefusedError('not_found', 'This job is not on this device.');
    return { ...args, from: job.status };
  }
  if (name === 'assignment.setStatus' && args.from === undefined && typeof args.id === 'string') {
    const assignment = await db.assignments.get(args.id);
    if (!assignment) throw new MutationRefusedError('not_found', 'This assignment is not on this device.');
    return { ...args, from: assignment.status };
  }
  if (name === 'alertRule.update' && args.base === undefined && isRecord(args.patch) && typeof args.id === 'string') {
    const rule = await db.alertRules.get(args.id);
    if (!rule) throw new MutationRefusedError('not_found', 'This alert rule is not on this device.');
    return { ...args, base: alertRuleBase({ ...rule }, Object.keys(args.patch)) };
  }
  if (Object.hasOwn(UPDATE_MUTATION_ENTITY, name) && args.base === undefined && isRecord(args.patch)) {
    const entity = UPDATE_MUTATION_ENTITY[name as keyof typeof UPDATE_MUTATION_ENTITY];
    if (typeof args.id !== 'string') return args;
    const row = (await db.table(entity).get(args.id)) as Record<string, unknown> | undefined;
    if (!row) throw new MutationRefusedError('not_found', 'This item is not on this device.');
    const editable: readonly string[] = EDITABLE_FIELDS[entity];
    const base: Record<string, unknown> = {};
    for (const field of Object.keys(args.patch)) {
      if (editable.includes(field)) base[field] = row[field] ?? null;
    }
    return { ...args, base };
  }
  return args;
}

/**
 * What this device saw of the patched rule fields. The row keeps the
 * webhook's URL only, so the base of `webhook` is `{ url }` (or null): the
 * secret never leaves the server.
 */
function alertRuleBase(rule: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  const editable: readonly string[] = ALERT_RULE_EDITABLE_FIELDS;
  const base: Record<string, unknown> = {};
  for (const field of fields) {
    if (!editable.includes(field)) continue;
    if (field === 'webhook') base.webhook = typeof rule.webhookUrl === 'string' ? { url: rule.webhookUrl } : null;
    else base[field] = rule[field] ?? null;
  }
  return base;
}

/** Parses args and checks the role may make this change at all; throws `MutationRefusedError`. */
export function checkMutation(name: string, args: unknown, user: SessionUser): ParsedMutation {
  const parsed = parseMutationArgs(name, args);
  if (!parsed.ok) {
    if (parsed.code === 'unknown_mutation') {
      throw new MutationRefusedError(parsed.code, 'This app cannot make that change. Reload to update it.');
    }
    throw refusalForInvalidArgs(parsed.issues);
  }
  const permission = MUTATION_PERMISSION[parsed.name];
  if (permission && !canRole(user.role, permission)) {
    throw new MutationRefusedError('forbidden', OFFICE_ONLY_MESSAGE);
  }
  return parsed;
}

/**
 * Plain words for args the catalogue schema refuses, naming each field
 * ("Quantity must be at most 1,000,000."), never the schema's own text.
 */
function refusalForInvalidArgs(issues: readonly z.core.$ZodIssue[] | undefined): MutationRefusedError {
  if (issues) {
    return new MutationRefusedError('invalid_args', describeIssues(issues), plainIssuesByField(issues));
  }
  // The schema was not what refused: text the database cannot hold (a NUL character, say).
  const message = 'Some text contains a character that cannot be saved. Retype it and try again.';
  return new MutationRefusedError('invalid_args', message, { '': message });
}

/** The contractor row of a contractor, if this device has it. */
export async function ownContractorIdOf(db: FieldsyncDatabase, user: SessionUser): Promise<string | undefined> {
  if (user.role !== 'contractor') return undefined;
  return (await db.contractors.where('userId').equals(user.id).first())?.id;
}

/** Builds the context of one optimistic apply; `localIds` collects made-up ids for stable rebases. */
export function applyContext(input: {
  db: FieldsyncDatabase;
  entry: Pick<OutboxEntry, 'seq' | 'occurredAt'>;
  clientId: string;
  user: SessionUser;
  ownContractorId: string | undefined;
  replay: boolean;
  localIds: string[];
  newId: () => string;
}): ApplyContext {
  let next = 0;
  return {
    db: input.db,
    seq: input.entry.seq,
    clientId: input.clientId,
    userId: input.user.id,
    role: input.user.role,
    ownContractorId: input.ownContractorId,
    occurredAt: input.entry.occurredAt,
    replay: input.replay,
    localId() {
      const index = next++;
      const known = input.localIds[index];
      if (known) return known;
      const made = input.newId();
      input.localIds[index] = made;
      return made;
    },
  };
}

/** Runs the optimistic applier of a parsed mutation. */
export async function runApplier(ctx: ApplyContext, mutation: ParsedMutation): Promise<void> {
  const applier = mutationAppliers[mutation.name] as (c: ApplyContext, a: unknown) => Promise<void>;
  await applier(ctx, mutation.args);
}

/**
 * Re-applies still-pending outbox entries on top of the server's rows. A
 * change that no longer fits (its row left the device, the status moved on)
 * is skipped locally and stays queued: the server records the outcome.
 */
export async function replayPending(
  db: FieldsyncDatabase,
  entries: readonly OutboxEntry[],
  clientId: string,
  user: SessionUser,
  newId: () => string,
): Promise<void> {
  const ownContractorId = await ownContractorIdOf(db, user);
  for (const entry of entries) {
    const parsed = parseMutationArgs(entry.name, entry.args);
    if (!parsed.ok) continue;
    const localIds = [...(entry.localIds ?? [])];
    const ctx = applyContext({ db, entry, clientId, user, ownContractorId, replay: true, localIds, newId });
    try {
      await runApplier(ctx, parsed);
    } catch (error) {
      if (!(error instanceof MutationRefusedError)) throw error;
    }
    if (localIds.length !== (entry.localIds?.length ?? 0)) await db.outbox.update(entry.seq, { localIds });
  }
}

export type { MutationName };
