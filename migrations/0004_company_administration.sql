CREATE TABLE "invite_tokens" (
	"org_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "invite_tokens_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
ALTER TABLE "users" ALTER COLUMN "password_hash" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "version" bigint DEFAULT nextval('change_version_seq') NOT NULL;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "time_format" text DEFAULT '24h' NOT NULL;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "scoring_weights" jsonb DEFAULT '{"availability":0.4,"rating":0.35,"distance":0.25}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "max_distance_miles" double precision DEFAULT 50 NOT NULL;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "overdue_minutes" integer DEFAULT 30 NOT NULL;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "stale_device_hours" integer DEFAULT 4 NOT NULL;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "currency" text DEFAULT 'USD' NOT NULL;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "tax_rate_basis_points" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "deleted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "invited_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "last_seen_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "invite_tokens" ADD CONSTRAINT "invite_tokens_org_id_user_id_users_org_id_id_fk" FOREIGN KEY ("org_id","user_id") REFERENCES "public"."users"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "invite_tokens_hash_key" ON "invite_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "invite_tokens_org_user_idx" ON "invite_tokens" USING btree ("org_id","user_id");--> statement-breakpoint
CREATE INDEX "organizations_version_idx" ON "organizations" USING btree ("version");--> statement-breakpoint
ALTER TABLE "organizations" ADD CONSTRAINT "organizations_time_format_check" CHECK (time_format in ('12h', '24h'));--> statement-breakpoint
ALTER TABLE "organizations" ADD CONSTRAINT "organizations_max_distance_positive" CHECK ("organizations"."max_distance_miles" > 0);--> statement-breakpoint
ALTER TABLE "organizations" ADD CONSTRAINT "organizations_overdue_minutes_positive" CHECK ("organizations"."overdue_minutes" > 0);--> statement-breakpoint
ALTER TABLE "organizations" ADD CONSTRAINT "organizations_stale_device_hours_positive" CHECK ("organizations"."stale_device_hours" > 0);--> statement-breakpoint
ALTER TABLE "organizations" ADD CONSTRAINT "organizations_tax_rate_range" CHECK ("organizations"."tax_rate_basis_points" between 0 and 10000);--> statement-breakpoint
-- Hand-written: settings kept as one JSON document until now move to their own columns.
UPDATE "organizations" SET
  "scoring_weights" = coalesce("settings"->'weights', "scoring_weights"),
  "max_distance_miles" = coalesce(("settings"->>'maxDistanceMiles')::double precision, "max_distance_miles");--> statement-breakpoint
UPDATE "users" SET "last_seen_at" = "last_login_at";--> statement-breakpoint
-- The organisation row is synced now: every update takes a fresh version (see 0001_guards).
CREATE TRIGGER organizations_bump_version BEFORE UPDATE ON "organizations"
  FOR EACH ROW EXECUTE FUNCTION fieldsync_bump_version();
