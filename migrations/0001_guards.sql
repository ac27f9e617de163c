-- Guards drizzle-kit cannot express: the double-booking exclusion constraint
-- and the trigger that bumps `version`/`updated_at` on every update.
CREATE EXTENSION IF NOT EXISTS btree_gist;--> statement-breakpoint

-- A contractor's live assignments never overlap in time. Half-open ranges, so
-- 09:00-10:00 and 10:00-11:00 may both stand.
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_no_double_booking"
  EXCLUDE USING gist (
    org_id WITH =,
    contractor_id WITH =,
    tstzrange(scheduled_start, scheduled_end, '[)') WITH &&
  ) WHERE (status in ('pending', 'confirmed', 'in_progress', 'completed') and deleted_at is null);--> statement-breakpoint

-- Every update of a synced row takes a fresh version from the one change
-- sequence, so an incremental pull can never miss it.
CREATE OR REPLACE FUNCTION fieldsync_bump_version() RETURNS trigger AS $$
BEGIN
  NEW.version := nextval('change_version_seq');
  NEW.updated_at := clock_timestamp();
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;--> statement-breakpoint

DO $$
DECLARE
  synced_table text;
BEGIN
  FOREACH synced_table IN ARRAY ARRAY[
    'users', 'contractors', 'working_hours', 'customers', 'jobs', 'assignments',
    'materials', 'job_notes', 'job_status_history', 'activity_log', 'conflicts',
    'ratings', 'notifications', 'alert_rules'
  ] LOOP
    EXECUTE format(
      'CREATE TRIGGER %I BEFORE UPDATE ON %I FOR EACH ROW EXECUTE FUNCTION fieldsync_bump_version()',
      synced_table || '_bump_version', synced_table
    );
  END LOOP;
END;
$$;
