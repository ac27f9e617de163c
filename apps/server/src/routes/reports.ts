import { canRole, isCalendarMonth, monthsInRange, type TimesheetRow, timesheetCsv } from '@fieldsync/domain';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { ApiError } from '../errors';
import { estimatesReport, revenueReport } from '../estimates/estimate-reports';
import type { AppEnv, ServerDeps } from '../http/context';
import { requireAuth } from '../http/require-auth';
import { contractorIdOfUser, timesheetReport } from '../queries/timesheet';

/** The longest range one timesheet covers, in days (two months and a bit). */
export const MAX_TIMESHEET_DAYS = 62;

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const MS_PER_DAY = 86_400_000;

/** Rejects `2026-02-30` and the like, which `Date` would quietly roll over. */
function isRealDate(value: string): boolean {
  const ms = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === value;
}

const calendarDate = (name: string) =>
  z
    .string({ error: `${name} is required, as YYYY-MM-DD.` })
    .regex(DATE_PATTERN, `${name} must be a date as YYYY-MM-DD.`)
    .refine((value) => !DATE_PATTERN.test(value) || isRealDate(value), {
      message: `${name} is not a real calendar date.`,
    });

const timesheetQuerySchema = z
  .object({
    from: calendarDate('from'),
    to: calendarDate('to'),
    contractorId: z.guid({ error: 'contractorId must be a contractor id.' }).optional(),
    format: z.enum(['json', 'csv'], { error: 'format must be json or csv.' }).optional(),
  })
  .check((ctx) => {
    const { from, to } = ctx.value;
    const days = (Date.parse(to) - Date.parse(from)) / MS_PER_DAY + 1;
    if (days < 1) ctx.issues.push({ code: 'custom', message: 'from must not be after to.', input: ctx.value });
    else if (days > MAX_TIMESHEET_DAYS)
      ctx.issues.push({
        code: 'custom',
        message: `A timesheet covers at most ${MAX_TIMESHEET_DAYS} days; this asks for ${days}.`,
        input: ctx.value,
      });
  });

/** The longest range of the estimates report, in months. */
export const MAX_ESTIMATE_REPORT_MONTHS = 36;
/** The longest range of the revenue report, in days (a leap year). */
export const MAX_REVENUE_DAYS = 1_100;

const calendarMonth = (name: string) =>
  z
    .string({ error: `${name} is required, as YYYY-MM.` })
    .refine(isCalendarMonth, { message: `${name} must be a month as YYYY-MM.` });

const estimatesQuerySchema = z.object({ from: calendarMonth('from'), to: calendarMonth('to') }).check((ctx) => {
  // Checked after the months themselves, which may be what is wrong.
  if (!isCalendarMonth(String(ctx.value.from)) || !isCalendarMonth(String(ctx.value.to))) return;
  const months = monthsInRange(ctx.value.from, ctx.value.to);
  if (months < 1) ctx.issues.push({ code: 'custom', message: 'from must not be after to.', input: ctx.value });
  else if (months > MAX_ESTIMATE_REPORT_MONTHS)
    ctx.issues.push({
      code: 'custom',
      message: `The estimates report covers at most ${MAX_ESTIMATE_REPORT_MONTHS} months; this asks for ${months}.`,
      input: ctx.value,
    });
});

const revenueQuerySchema = z.object({ from: calendarDate('from'), to: calendarDate('to') }).check((ctx) => {
  const days = (Date.parse(ctx.value.to) - Date.parse(ctx.value.from)) / MS_PER_DAY + 1;
  if (days < 1) ctx.issues.push({ code: 'custom', message: 'from must not be after to.', input: ctx.value });
  else if (days > MAX_REVENUE_DAYS)
    ctx.issues.push({
      code: 'custom',
      message: `The revenue report covers at most ${MAX_REVENUE_DAYS} days; this asks for ${days}.`,
      input: ctx.value,
    });
});

/** The query of a report, or 400 `invalid_body` saying in plain words what is wrong with it. */
function parseQuery<T>(schema: z.ZodType<T>, query: Record<string, string>): T {
  const parsed = schema.safeParse(query);
  if (!parsed.success) throw new ApiError('invalid_body', parsed.error.issues.map((issue) => issue.message).join(' '));
  return parsed.data;
}

/** The office's reports (money, how estimates fare) are not for contractors. */
function requireOffice(user: AppEnv['Variables']['user']) {
  if (!canRole(user.role, 'jobs.read_all')) throw new ApiError('forbidden', 'Only the office can see this report.');
}

/** `/api/reports`: read-only reports computed from the synced history. */
export function reportRoutes(deps: ServerDeps) {
  return new Hono<AppEnv>()
    .use(requireAuth(deps))
    .get('/estimates', async (c) => {
      const user = c.get('user');
      requireOffice(user);
      const range = parseQuery(estimatesQuerySchema, c.req.query());
      return c.json(await estimatesReport(deps.database.db, user.orgId, range));
    })
    .get('/revenue', async (c) => {
      const user = c.get('user');
      requireOffice(user);
      const range = parseQuery(revenueQuerySchema, c.req.query());
      return c.json(await revenueReport(deps.database.db, user.orgId, range));
    })
    .get('/timesheet', async (c) => {
      const user = c.get('user');
      const query = timesheetQuerySchema.safeParse(c.req.query());
      if (!query.success) {
        throw new ApiError('invalid_body', query.error.issues.map((issue) => issue.message).join(' '));
      }
      const { from, to, format } = query.data;
      let contractorId = query.data.contractorId;
      if (!canRole(user.role, 'jobs.read_all')) {
        // A contractor sees their own time only.
        const own = await contractorIdOfUser(deps.database.db, user);
        if (contractorId !== undefined && contractorId !== own) {
          throw new ApiError('forbidden', 'You can only see your own timesheet.');
        }
        if (own === undefined) return respond(c, [], { from, to, format });
        contractorId = own;
      }
      const rows = await timesheetReport(deps.database.db, user, { from, to, contractorId, now: deps.now() });
      return respond(c, rows, { from, to, format });
    });
}

/** JSON `{ rows }`, or the CSV as a download named after the range. */
function respond(
  c: Context<AppEnv>,
  rows: TimesheetRow[],
  options: { from: string; to: string; format: 'json' | 'csv' | undefined },
) {
  if (options.format === 'csv') {
    return c.body(timesheetCsv(rows), 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="timesheet-${options.from}-${options.to}.csv"`,
      'cache-control': 'private, no-store',
    });
  }
  return c.json({ rows });
}
