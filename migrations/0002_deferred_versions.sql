-- Versions in commit order without serialising whole pushes.
--
-- A push runs its mutations concurrently with other pushes, with every row it
-- writes marked `version = -txid` ("not yet numbered"). Just before commit it
-- takes the organisation's advisory lock and numbers those rows from the
-- change sequence (fieldsync_stamp_versions). Numbering and commit happen
-- under the lock, so within an organisation versions are handed out in
-- commit order and an incremental pull can never skip a row that commits
-- later with a lower version. Writers that do not opt in (seeding, sign-in)
-- get a plain nextval as before.
CREATE OR REPLACE FUNCTION fieldsync_bump_version() RETURNS trigger AS $$
BEGIN
  IF current_setting('fieldsync.defer_versions', true) = 'on'
     AND coalesce(current_setting('fieldsync.stamping', true), '') <> 'on' THEN
    NEW.version := -txid_current();
  ELSE
    NEW.version := nextval('change_version_seq');
  END IF;
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
      'CREATE TRIGGER %I BEFORE INSERT ON %I FOR EACH ROW EXECUTE FUNCTION fieldsync_bump_version()',
      synced_table || '_number_version', synced_table
    );
  END LOOP;
END;
$$;--> statement-breakpoint

-- Numbers every row this transaction marked, for one organisation. Call it
-- holding the organisation's advisory lock, right before commit.
CREATE OR REPLACE FUNCTION fieldsync_stamp_versions(target_org uuid) RETURNS integer AS $$
DECLARE
  synced_table text;
  marked bigint := -txid_current();
  stamped integer := 0;
  touched integer;
BEGIN
  PERFORM set_config('fieldsync.stamping', 'on', true);
  FOREACH synced_table IN ARRAY ARRAY[
    'users', 'contractors', 'working_hours', 'customers', 'jobs', 'assignments',
    'materials', 'job_notes', 'job_status_history', 'activity_log', 'conflicts',
    'ratings', 'notifications', 'alert_rules'
  ] LOOP
    EXECUTE format('UPDATE %I SET version = 0 WHERE org_id = $1 AND version = $2', synced_table)
      USING target_org, marked;
    GET DIAGNOSTICS touched = ROW_COUNT;
    stamped := stamped + touched;
  END LOOP;
  PERFORM set_config('fieldsync.stamping', 'off', true);
  RETURN stamped;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint

-- Field-level merge asks the ledger who last changed an entity, and when.
CREATE INDEX IF NOT EXISTS mutations_org_entity_idx ON mutations (org_id, (args->>'id'), occurred_at DESC);
