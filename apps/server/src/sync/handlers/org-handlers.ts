/** The company's own row: its name, clock and the settings ranking and alerts use. */
import type { MutationArgs } from '@fieldsync/protocol';
import { applyFieldUpdate } from '../field-merge';
import type { HandlerOutcome, MutationContext } from '../mutation-context';
import { lockActiveAdmins } from './admin-access';

/**
 * Changes company settings field by field, like any update. The row is the
 * caller's own company (the args carry no id); every phone of the company is
 * poked, since each holds the row.
 */
export async function updateOrganization(
  ctx: MutationContext,
  args: MutationArgs<'org.update'>,
): Promise<HandlerOutcome> {
  await lockActiveAdmins(ctx);
  return applyFieldUpdate(ctx, 'organizations', { id: ctx.user.orgId, patch: args.patch, base: args.base });
}
