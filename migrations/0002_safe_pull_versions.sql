-- Pull cursors that never skip a row, without serialising pushes.
--
-- Every writer of synced rows first registers: it takes a version from the
-- change sequence and holds a shared advisory lock keyed by it until it ends
-- (fieldsync_register_writer). All versions it then writes are higher. A pull
-- asks for the highest version that is safe to hand out
-- (fieldsync_safe_version): the newest version allocated, or just below the
-- oldest registered writer still in flight, whichever is lower. Anything that
-- commits later carries a higher version than that, so a cursor never passes
-- a row that has yet to commit.
CREATE OR REPLACE FUNCTION fieldsync_register_writer() RETURNS bigint AS $$
DECLARE
  first_version bigint := nextval('change_version_seq');
  low bigint := first_version & 4294967295;
BEGIN
  -- The two-int form (objsubid 2 in pg_locks) carries all 64 bits of the version.
  PERFORM pg_advisory_xact_lock_shared(
    (first_version >> 32)::integer,
    (CASE WHEN low >= 2147483648 THEN low - 4294967296 ELSE low END)::integer
  );
  RETURN first_version;
END;
$$ LANGUAGE plpgsql;--> statement-breakpoint

CREATE OR REPLACE FUNCTION fieldsync_safe_version() RETURNS bigint AS $$
DECLARE
  newest bigint;
  oldest_in_flight bigint;
BEGIN
  -- Read the sequence first: a writer registering after this read only gets higher versions.
  SELECT last_value INTO newest FROM change_version_seq;
  SELECT min((classid::bigint << 32) | objid::bigint) INTO oldest_in_flight
    FROM pg_locks
    WHERE locktype = 'advisory' AND objsubid = 2
      AND database = (SELECT oid FROM pg_database WHERE datname = current_database());
  RETURN CASE WHEN oldest_in_flight IS NULL THEN newest ELSE least(newest, oldest_in_flight - 1) END;
END;
$$ LANGUAGE plpgsql;--> statement-breakpoint

-- Field-level merge asks the ledger who last changed an entity, and when.
CREATE INDEX IF NOT EXISTS mutations_org_entity_idx ON mutations (org_id, (args->>'id'), occurred_at DESC);
--> statement-breakpoint

-- Recommendations list contractors outside the narrowed candidates by name.
CREATE INDEX IF NOT EXISTS contractors_org_name_idx ON contractors (org_id, name);
