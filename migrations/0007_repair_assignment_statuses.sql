-- Repair: assignments left behind by their job's status (issue 14, "Lifecycle that adds up").
--
-- Until now, moving a job to in_progress or completed left its assignments
-- where they were, so a completed job kept "confirmed" assignments and
-- `rating.add` refused them ("Only completed work can be rated"). From now on
-- `job.setStatus` moves them (assignmentsAfterJobStatusChange in
-- packages/domain). This brings the rows written before into the same state:
--
-- 1. Completed jobs: every live assignment not yet completed (pending,
--    confirmed, in_progress) becomes completed, as completing the job does now.
--    Declined and cancelled assignments are left as they are.
-- 2. Jobs in progress (also waiting on materials or on hold, which are reached
--    only through in progress): the assignment of a contractor whom the job's
--    status history shows moving the job to in_progress themselves becomes
--    in_progress when it is still pending or confirmed. That is the starting
--    contractor, known for certain, so the move is unambiguous.
--    LEFT AS THEY ARE: assignments of jobs the office started (no contractor
--    on the history moved them to in_progress). Which contractor is at work
--    there is not recorded, and the runtime rule moves nothing when the
--    office starts a job either; completing the job completes them later.
--
-- Each repaired assignment gets one activity-log row, `assignment.completed`
-- or `assignment.in_progress`, with details { from, to, reason: null,
-- contractorId, automatic: true, repair: true }, no user and source 'system'.
-- (A repaired pending assignment is recorded as one move, not step by step.)
--
-- Pulls: the bump-version trigger gives every updated row a new version, so
-- phones and desks pull the repaired assignments (and the activity rows) on
-- their next pull. The first statement registers this transaction as a change
-- writer (migration 0002): pulls hand out no version at or above it until this
-- commits, so a pull running meanwhile cannot step over repaired rows. In a
-- migration applied before any instance serves, nothing else runs and the
-- registration changes nothing; with instances still serving (a rolling
-- deploy, or this run by hand with psql) it is what keeps their pulls whole.
-- It must run in one transaction with the updates (the migrator's, or BEGIN …
-- COMMIT by hand).
--
-- Idempotent: run again, it finds nothing to repair and writes nothing.

SELECT fieldsync_register_writer();
--> statement-breakpoint

WITH stale AS (
  SELECT a.org_id, a.id, a.job_id, a.contractor_id, a.status AS from_status
  FROM assignments a
  JOIN jobs j ON j.org_id = a.org_id AND j.id = a.job_id
  WHERE j.status = 'completed'
    AND j.deleted_at IS NULL
    AND a.deleted_at IS NULL
    AND a.status IN ('pending', 'confirmed', 'in_progress')
  FOR UPDATE OF a
), repaired AS (
  UPDATE assignments a
  SET status = 'completed'
  FROM stale
  WHERE a.org_id = stale.org_id AND a.id = stale.id
  RETURNING stale.org_id, stale.id, stale.job_id, stale.contractor_id, stale.from_status
)
INSERT INTO activity_log (org_id, id, entity_type, entity_id, action, details, user_id, job_id, source)
SELECT org_id, gen_random_uuid(), 'assignment', id, 'assignment.completed',
  jsonb_build_object('from', from_status, 'to', 'completed', 'reason', NULL, 'contractorId', contractor_id,
    'automatic', true, 'repair', true),
  NULL, job_id, 'system'
FROM repaired;
--> statement-breakpoint

WITH stale AS (
  SELECT a.org_id, a.id, a.job_id, a.contractor_id, a.status AS from_status
  FROM assignments a
  JOIN jobs j ON j.org_id = a.org_id AND j.id = a.job_id
  JOIN contractors c ON c.org_id = a.org_id AND c.id = a.contractor_id
  WHERE j.status IN ('in_progress', 'waiting_on_materials', 'on_hold')
    AND j.deleted_at IS NULL
    AND a.deleted_at IS NULL
    AND a.status IN ('pending', 'confirmed')
    AND c.user_id IS NOT NULL
    AND EXISTS (
      SELECT 1 FROM job_status_history h
      WHERE h.org_id = a.org_id AND h.job_id = a.job_id
        AND h.to_status = 'in_progress' AND h.changed_by = c.user_id
    )
  FOR UPDATE OF a
), repaired AS (
  UPDATE assignments a
  SET status = 'in_progress'
  FROM stale
  WHERE a.org_id = stale.org_id AND a.id = stale.id
  RETURNING stale.org_id, stale.id, stale.job_id, stale.contractor_id, stale.from_status
)
INSERT INTO activity_log (org_id, id, entity_type, entity_id, action, details, user_id, job_id, source)
SELECT org_id, gen_random_uuid(), 'assignment', id, 'assignment.in_progress',
  jsonb_build_object('from', from_status, 'to', 'in_progress', 'reason', NULL, 'contractorId', contractor_id,
    'automatic', true, 'repair', true),
  NULL, job_id, 'system'
FROM repaired;
