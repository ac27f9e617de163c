CREATE SEQUENCE "public"."change_version_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "activity_log" (
	"org_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"version" bigint DEFAULT nextval('change_version_seq') NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"entity_type" text NOT NULL,
	"entity_id" uuid NOT NULL,
	"action" text NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"user_id" uuid,
	"job_id" uuid,
	"source" text NOT NULL,
	CONSTRAINT "activity_log_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "activity_log_source_check" CHECK (source in ('mobile_app', 'dispatcher_web', 'api', 'system'))
);
--> statement-breakpoint
CREATE TABLE "alert_rules" (
	"org_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"version" bigint DEFAULT nextval('change_version_seq') NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"name" text NOT NULL,
	"event_type" text NOT NULL,
	"conditions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"channels" jsonb DEFAULT '["dashboard"]'::jsonb NOT NULL,
	"recipients" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"webhook_url" text,
	"throttle_minutes" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	CONSTRAINT "alert_rules_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "alert_rules_throttle_non_negative" CHECK ("alert_rules"."throttle_minutes" >= 0),
	CONSTRAINT "alert_rules_channels_array" CHECK (jsonb_typeof("alert_rules"."channels") = 'array')
);
--> statement-breakpoint
CREATE TABLE "assignments" (
	"org_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"version" bigint DEFAULT nextval('change_version_seq') NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"job_id" uuid NOT NULL,
	"contractor_id" uuid NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"scheduled_start" timestamp with time zone NOT NULL,
	"scheduled_end" timestamp with time zone NOT NULL,
	"score" numeric(6, 4),
	"score_breakdown" jsonb,
	"cancellation_reason" text,
	CONSTRAINT "assignments_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "assignments_status_check" CHECK (status in ('pending', 'confirmed', 'declined', 'in_progress', 'completed', 'cancelled')),
	CONSTRAINT "assignments_end_after_start" CHECK ("assignments"."scheduled_end" > "assignments"."scheduled_start"),
	CONSTRAINT "assignments_score_range" CHECK ("assignments"."score" is null or "assignments"."score" between 0 and 1)
);
--> statement-breakpoint
CREATE TABLE "conflicts" (
	"org_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"version" bigint DEFAULT nextval('change_version_seq') NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"entity" text NOT NULL,
	"entity_id" uuid NOT NULL,
	"field" text NOT NULL,
	"winner_value" jsonb,
	"loser_value" jsonb,
	"winner_by" uuid,
	"loser_by" uuid,
	"winner_at" timestamp with time zone,
	"loser_at" timestamp with time zone,
	"mutation_client_id" uuid,
	"mutation_seq" bigint,
	"status" text DEFAULT 'open' NOT NULL,
	"resolution" text,
	"resolved_by" uuid,
	"resolved_at" timestamp with time zone,
	CONSTRAINT "conflicts_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "conflicts_status_check" CHECK (status in ('open', 'resolved')),
	CONSTRAINT "conflicts_resolution_check" CHECK ("conflicts"."resolution" is null or "conflicts"."resolution" in ('winner', 'loser'))
);
--> statement-breakpoint
CREATE TABLE "contractors" (
	"org_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"version" bigint DEFAULT nextval('change_version_seq') NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"user_id" uuid,
	"name" text NOT NULL,
	"trade" text NOT NULL,
	"skills" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"rating" numeric(3, 2) DEFAULT 0 NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"phone" text,
	"email" text,
	"base_address" text,
	"base_lat" double precision,
	"base_lng" double precision,
	CONSTRAINT "contractors_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "contractors_rating_range" CHECK ("contractors"."rating" between 0 and 5),
	CONSTRAINT "contractors_trade_check" CHECK (trade in ('flooring', 'tile', 'carpet', 'paving', 'general', 'multi')),
	CONSTRAINT "contractors_status_check" CHECK (status in ('active', 'inactive', 'on_leave')),
	CONSTRAINT "contractors_skills_array" CHECK (jsonb_typeof("contractors"."skills") = 'array'),
	CONSTRAINT "contractors_base_lat_range" CHECK (base_lat is null or base_lat between -90 and 90),
	CONSTRAINT "contractors_base_lng_range" CHECK (base_lng is null or base_lng between -180 and 180),
	CONSTRAINT "contractors_base_lat_base_lng_together" CHECK ((base_lat is null) = (base_lng is null))
);
--> statement-breakpoint
CREATE TABLE "customers" (
	"org_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"version" bigint DEFAULT nextval('change_version_seq') NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"name" text NOT NULL,
	"phone" text,
	"email" text,
	"address" text,
	"lat" double precision,
	"lng" double precision,
	"notes" text,
	"archived" boolean DEFAULT false NOT NULL,
	CONSTRAINT "customers_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "customers_name_not_blank" CHECK (length(trim("customers"."name")) > 0),
	CONSTRAINT "customers_lat_range" CHECK (lat is null or lat between -90 and 90),
	CONSTRAINT "customers_lng_range" CHECK (lng is null or lng between -180 and 180),
	CONSTRAINT "customers_lat_lng_together" CHECK ((lat is null) = (lng is null))
);
--> statement-breakpoint
CREATE TABLE "job_notes" (
	"org_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"version" bigint DEFAULT nextval('change_version_seq') NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"job_id" uuid NOT NULL,
	"author_id" uuid,
	"body" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	CONSTRAINT "job_notes_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "job_notes_body_not_blank" CHECK (length(trim("job_notes"."body")) > 0)
);
--> statement-breakpoint
CREATE TABLE "job_status_history" (
	"org_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"version" bigint DEFAULT nextval('change_version_seq') NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"job_id" uuid NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"changed_by" uuid,
	"reason" text,
	"occurred_at" timestamp with time zone NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"client_id" uuid,
	"seq" bigint,
	CONSTRAINT "job_status_history_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "job_status_history_from_check" CHECK (from_status is null or from_status in ('open', 'scheduled', 'in_progress', 'waiting_on_materials', 'on_hold', 'completed', 'cancelled')),
	CONSTRAINT "job_status_history_to_check" CHECK (to_status in ('open', 'scheduled', 'in_progress', 'waiting_on_materials', 'on_hold', 'completed', 'cancelled'))
);
--> statement-breakpoint
CREATE TABLE "jobs" (
	"org_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"version" bigint DEFAULT nextval('change_version_seq') NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"job_number" text NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"customer_id" uuid,
	"trade" text NOT NULL,
	"priority" text DEFAULT 'medium' NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"desired_date" date,
	"duration_minutes" integer DEFAULT 60 NOT NULL,
	"address" text,
	"lat" double precision,
	"lng" double precision,
	"special_requirements" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_by" uuid,
	CONSTRAINT "jobs_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "jobs_job_number_format" CHECK ("jobs"."job_number" ~ '^JOB-[0-9]{8}-[A-Z0-9]{6}$'),
	CONSTRAINT "jobs_title_not_blank" CHECK (length(trim("jobs"."title")) > 0),
	CONSTRAINT "jobs_duration_range" CHECK ("jobs"."duration_minutes" between 30 and 480),
	CONSTRAINT "jobs_trade_check" CHECK (trade in ('flooring', 'tile', 'carpet', 'paving', 'general', 'multi')),
	CONSTRAINT "jobs_priority_check" CHECK (priority in ('low', 'medium', 'high', 'urgent')),
	CONSTRAINT "jobs_status_check" CHECK (status in ('open', 'scheduled', 'in_progress', 'waiting_on_materials', 'on_hold', 'completed', 'cancelled')),
	CONSTRAINT "jobs_special_requirements_array" CHECK (jsonb_typeof("jobs"."special_requirements") = 'array'),
	CONSTRAINT "jobs_lat_range" CHECK (lat is null or lat between -90 and 90),
	CONSTRAINT "jobs_lng_range" CHECK (lng is null or lng between -180 and 180),
	CONSTRAINT "jobs_lat_lng_together" CHECK ((lat is null) = (lng is null))
);
--> statement-breakpoint
CREATE TABLE "login_failures" (
	"key" text NOT NULL,
	"failed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "materials" (
	"org_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"version" bigint DEFAULT nextval('change_version_seq') NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"job_id" uuid NOT NULL,
	"item_name" text NOT NULL,
	"quantity" numeric(12, 3) NOT NULL,
	"unit" text DEFAULT 'each' NOT NULL,
	"purchased" boolean DEFAULT false NOT NULL,
	"purchased_by" uuid,
	"purchased_at" timestamp with time zone,
	"notes" text,
	"added_by" uuid,
	CONSTRAINT "materials_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "materials_quantity_positive" CHECK ("materials"."quantity" > 0),
	CONSTRAINT "materials_item_not_blank" CHECK (length(trim("materials"."item_name")) > 0),
	CONSTRAINT "materials_purchased_consistent" CHECK (("materials"."purchased" and "materials"."purchased_by" is not null and "materials"."purchased_at" is not null) or (not "materials"."purchased" and "materials"."purchased_by" is null and "materials"."purchased_at" is null))
);
--> statement-breakpoint
CREATE TABLE "mutations" (
	"org_id" uuid NOT NULL,
	"client_id" uuid NOT NULL,
	"seq" bigint NOT NULL,
	"user_id" uuid NOT NULL,
	"name" text NOT NULL,
	"args" jsonb NOT NULL,
	"outcome" text NOT NULL,
	"error" jsonb,
	"conflict_id" uuid,
	"occurred_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mutations_org_id_client_id_seq_pk" PRIMARY KEY("org_id","client_id","seq"),
	CONSTRAINT "mutations_outcome_check" CHECK (outcome in ('applied', 'conflict', 'rejected', 'duplicate')),
	CONSTRAINT "mutations_seq_positive" CHECK ("mutations"."seq" > 0)
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"org_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"version" bigint DEFAULT nextval('change_version_seq') NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"user_id" uuid NOT NULL,
	"type" text NOT NULL,
	"title" text NOT NULL,
	"message" text NOT NULL,
	"entity_type" text,
	"entity_id" uuid,
	"read_at" timestamp with time zone,
	CONSTRAINT "notifications_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "organizations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"time_zone" text DEFAULT 'UTC' NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ratings" (
	"org_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"version" bigint DEFAULT nextval('change_version_seq') NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"assignment_id" uuid NOT NULL,
	"contractor_id" uuid NOT NULL,
	"stars" smallint NOT NULL,
	"comment" text,
	"rated_by" uuid,
	CONSTRAINT "ratings_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "ratings_stars_range" CHECK ("ratings"."stars" between 1 and 5)
);
--> statement-breakpoint
CREATE TABLE "refresh_tokens" (
	"org_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"user_id" uuid NOT NULL,
	"family" uuid NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"replaced_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "refresh_tokens_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "sync_clients" (
	"org_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"last_seq" bigint DEFAULT 0 NOT NULL,
	"last_pulled_version" bigint DEFAULT 0 NOT NULL,
	"last_push_at" timestamp with time zone,
	"last_pull_at" timestamp with time zone,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"user_agent" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sync_clients_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "users" (
	"org_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"version" bigint DEFAULT nextval('change_version_seq') NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"email" text NOT NULL,
	"password_hash" text NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"last_login_at" timestamp with time zone,
	CONSTRAINT "users_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "users_role_check" CHECK (role in ('admin', 'dispatcher', 'contractor')),
	CONSTRAINT "users_email_check" CHECK (position('@' in "users"."email") > 1)
);
--> statement-breakpoint
CREATE TABLE "working_hours" (
	"org_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"version" bigint DEFAULT nextval('change_version_seq') NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"contractor_id" uuid NOT NULL,
	"day_of_week" smallint NOT NULL,
	"start_time" time NOT NULL,
	"end_time" time NOT NULL,
	CONSTRAINT "working_hours_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "working_hours_day_range" CHECK ("working_hours"."day_of_week" between 0 and 6),
	CONSTRAINT "working_hours_end_after_start" CHECK ("working_hours"."end_time" > "working_hours"."start_time"),
	CONSTRAINT "working_hours_max_16h" CHECK ("working_hours"."end_time" - "working_hours"."start_time" <= interval '16 hours')
);
--> statement-breakpoint
ALTER TABLE "activity_log" ADD CONSTRAINT "activity_log_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_rules" ADD CONSTRAINT "alert_rules_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_org_id_job_id_jobs_org_id_id_fk" FOREIGN KEY ("org_id","job_id") REFERENCES "public"."jobs"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_org_id_contractor_id_contractors_org_id_id_fk" FOREIGN KEY ("org_id","contractor_id") REFERENCES "public"."contractors"("org_id","id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conflicts" ADD CONSTRAINT "conflicts_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contractors" ADD CONSTRAINT "contractors_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contractors" ADD CONSTRAINT "contractors_org_id_user_id_users_org_id_id_fk" FOREIGN KEY ("org_id","user_id") REFERENCES "public"."users"("org_id","id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customers" ADD CONSTRAINT "customers_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_notes" ADD CONSTRAINT "job_notes_org_id_job_id_jobs_org_id_id_fk" FOREIGN KEY ("org_id","job_id") REFERENCES "public"."jobs"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_status_history" ADD CONSTRAINT "job_status_history_org_id_job_id_jobs_org_id_id_fk" FOREIGN KEY ("org_id","job_id") REFERENCES "public"."jobs"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_org_id_customer_id_customers_org_id_id_fk" FOREIGN KEY ("org_id","customer_id") REFERENCES "public"."customers"("org_id","id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "materials" ADD CONSTRAINT "materials_org_id_job_id_jobs_org_id_id_fk" FOREIGN KEY ("org_id","job_id") REFERENCES "public"."jobs"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mutations" ADD CONSTRAINT "mutations_org_id_client_id_sync_clients_org_id_id_fk" FOREIGN KEY ("org_id","client_id") REFERENCES "public"."sync_clients"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_org_id_user_id_users_org_id_id_fk" FOREIGN KEY ("org_id","user_id") REFERENCES "public"."users"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ratings" ADD CONSTRAINT "ratings_org_id_assignment_id_assignments_org_id_id_fk" FOREIGN KEY ("org_id","assignment_id") REFERENCES "public"."assignments"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refresh_tokens" ADD CONSTRAINT "refresh_tokens_org_id_user_id_users_org_id_id_fk" FOREIGN KEY ("org_id","user_id") REFERENCES "public"."users"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_clients" ADD CONSTRAINT "sync_clients_org_id_user_id_users_org_id_id_fk" FOREIGN KEY ("org_id","user_id") REFERENCES "public"."users"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "working_hours" ADD CONSTRAINT "working_hours_org_id_contractor_id_contractors_org_id_id_fk" FOREIGN KEY ("org_id","contractor_id") REFERENCES "public"."contractors"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "activity_log_org_version_idx" ON "activity_log" USING btree ("org_id","version");--> statement-breakpoint
CREATE INDEX "activity_log_org_job_idx" ON "activity_log" USING btree ("org_id","job_id","created_at");--> statement-breakpoint
CREATE INDEX "activity_log_org_entity_idx" ON "activity_log" USING btree ("org_id","entity_type","entity_id");--> statement-breakpoint
CREATE INDEX "alert_rules_org_version_idx" ON "alert_rules" USING btree ("org_id","version");--> statement-breakpoint
CREATE INDEX "alert_rules_org_event_idx" ON "alert_rules" USING btree ("org_id","event_type","active");--> statement-breakpoint
CREATE UNIQUE INDEX "assignments_org_job_contractor_key" ON "assignments" USING btree ("org_id","job_id","contractor_id");--> statement-breakpoint
CREATE INDEX "assignments_org_version_idx" ON "assignments" USING btree ("org_id","version");--> statement-breakpoint
CREATE INDEX "assignments_org_contractor_start_idx" ON "assignments" USING btree ("org_id","contractor_id","scheduled_start");--> statement-breakpoint
CREATE INDEX "assignments_org_job_idx" ON "assignments" USING btree ("org_id","job_id");--> statement-breakpoint
CREATE INDEX "conflicts_org_version_idx" ON "conflicts" USING btree ("org_id","version");--> statement-breakpoint
CREATE INDEX "conflicts_org_status_idx" ON "conflicts" USING btree ("org_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "contractors_org_user_key" ON "contractors" USING btree ("org_id","user_id");--> statement-breakpoint
CREATE INDEX "contractors_org_version_idx" ON "contractors" USING btree ("org_id","version");--> statement-breakpoint
CREATE INDEX "contractors_org_trade_status_idx" ON "contractors" USING btree ("org_id","trade","status");--> statement-breakpoint
CREATE INDEX "customers_org_version_idx" ON "customers" USING btree ("org_id","version");--> statement-breakpoint
CREATE INDEX "customers_org_name_idx" ON "customers" USING btree ("org_id","name");--> statement-breakpoint
CREATE INDEX "job_notes_org_version_idx" ON "job_notes" USING btree ("org_id","version");--> statement-breakpoint
CREATE INDEX "job_notes_org_job_idx" ON "job_notes" USING btree ("org_id","job_id","occurred_at");--> statement-breakpoint
CREATE INDEX "job_status_history_org_version_idx" ON "job_status_history" USING btree ("org_id","version");--> statement-breakpoint
CREATE INDEX "job_status_history_org_job_idx" ON "job_status_history" USING btree ("org_id","job_id","occurred_at");--> statement-breakpoint
CREATE UNIQUE INDEX "jobs_org_job_number_key" ON "jobs" USING btree ("org_id","job_number");--> statement-breakpoint
CREATE INDEX "jobs_org_version_idx" ON "jobs" USING btree ("org_id","version");--> statement-breakpoint
CREATE INDEX "jobs_org_status_date_idx" ON "jobs" USING btree ("org_id","status","desired_date");--> statement-breakpoint
CREATE INDEX "jobs_org_customer_idx" ON "jobs" USING btree ("org_id","customer_id");--> statement-breakpoint
CREATE INDEX "login_failures_key_idx" ON "login_failures" USING btree ("key","failed_at");--> statement-breakpoint
CREATE INDEX "materials_org_version_idx" ON "materials" USING btree ("org_id","version");--> statement-breakpoint
CREATE INDEX "materials_org_job_idx" ON "materials" USING btree ("org_id","job_id");--> statement-breakpoint
CREATE INDEX "notifications_org_version_idx" ON "notifications" USING btree ("org_id","version");--> statement-breakpoint
CREATE INDEX "notifications_org_user_idx" ON "notifications" USING btree ("org_id","user_id","read_at");--> statement-breakpoint
CREATE UNIQUE INDEX "ratings_org_assignment_key" ON "ratings" USING btree ("org_id","assignment_id");--> statement-breakpoint
CREATE INDEX "ratings_org_version_idx" ON "ratings" USING btree ("org_id","version");--> statement-breakpoint
CREATE INDEX "ratings_org_contractor_idx" ON "ratings" USING btree ("org_id","contractor_id");--> statement-breakpoint
CREATE UNIQUE INDEX "refresh_tokens_hash_key" ON "refresh_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "refresh_tokens_org_family_idx" ON "refresh_tokens" USING btree ("org_id","family");--> statement-breakpoint
CREATE UNIQUE INDEX "sync_clients_id_key" ON "sync_clients" USING btree ("id");--> statement-breakpoint
CREATE INDEX "sync_clients_org_user_idx" ON "sync_clients" USING btree ("org_id","user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_lower_key" ON "users" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "users_org_version_idx" ON "users" USING btree ("org_id","version");--> statement-breakpoint
CREATE UNIQUE INDEX "working_hours_org_contractor_day_key" ON "working_hours" USING btree ("org_id","contractor_id","day_of_week");--> statement-breakpoint
CREATE INDEX "working_hours_org_version_idx" ON "working_hours" USING btree ("org_id","version");