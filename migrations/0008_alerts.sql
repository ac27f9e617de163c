-- Nothing wrote alert rules or notifications before alerts existed; a hand-made row would block the new NOT NULL columns.
DELETE FROM "notifications";--> statement-breakpoint
DELETE FROM "alert_rules";--> statement-breakpoint
CREATE TABLE "alert_deliveries" (
	"org_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"version" bigint DEFAULT nextval('change_version_seq') NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"rule_id" uuid NOT NULL,
	"event" text NOT NULL,
	"entity_id" text NOT NULL,
	"channel" text NOT NULL,
	"recipient" text NOT NULL,
	"status" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"next_attempt_at" timestamp with time zone,
	"sent_at" timestamp with time zone,
	"title" text NOT NULL,
	"job_id" uuid,
	"payload" jsonb NOT NULL,
	CONSTRAINT "alert_deliveries_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "alert_deliveries_status_check" CHECK (status in ('pending', 'sent', 'failed', 'throttled')),
	CONSTRAINT "alert_deliveries_channel_check" CHECK (channel in ('dashboard', 'webhook', 'push', 'email'))
);
--> statement-breakpoint
CREATE TABLE "alert_marks" (
	"org_id" uuid NOT NULL,
	"event" text NOT NULL,
	"mark_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "alert_marks_org_id_event_mark_key_pk" PRIMARY KEY("org_id","event","mark_key")
);
--> statement-breakpoint
CREATE TABLE "push_subscriptions" (
	"org_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"endpoint" text NOT NULL,
	"p256dh" text NOT NULL,
	"auth" text NOT NULL,
	"user_agent" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "push_subscriptions_endpoint_pk" PRIMARY KEY("endpoint")
);
--> statement-breakpoint
DROP INDEX "alert_rules_org_event_idx";--> statement-breakpoint
ALTER TABLE "alert_rules" ALTER COLUMN "conditions" SET DEFAULT '{}'::jsonb;--> statement-breakpoint
ALTER TABLE "alert_rules" ADD COLUMN "event" text NOT NULL;--> statement-breakpoint
ALTER TABLE "alert_rules" ADD COLUMN "webhook_secret" text;--> statement-breakpoint
ALTER TABLE "alert_rules" ADD COLUMN "template" jsonb;--> statement-breakpoint
ALTER TABLE "alert_rules" ADD COLUMN "key" text;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "event" text NOT NULL;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "body" text NOT NULL;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "job_id" uuid;--> statement-breakpoint
ALTER TABLE "alert_deliveries" ADD CONSTRAINT "alert_deliveries_org_id_rule_id_alert_rules_org_id_id_fk" FOREIGN KEY ("org_id","rule_id") REFERENCES "public"."alert_rules"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_marks" ADD CONSTRAINT "alert_marks_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "push_subscriptions" ADD CONSTRAINT "push_subscriptions_org_id_user_id_users_org_id_id_fk" FOREIGN KEY ("org_id","user_id") REFERENCES "public"."users"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alert_deliveries_org_version_idx" ON "alert_deliveries" USING btree ("org_id","version");--> statement-breakpoint
CREATE INDEX "alert_deliveries_throttle_idx" ON "alert_deliveries" USING btree ("org_id","rule_id","entity_id","created_at");--> statement-breakpoint
CREATE INDEX "alert_deliveries_due_idx" ON "alert_deliveries" USING btree ("next_attempt_at") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "push_subscriptions_org_user_idx" ON "push_subscriptions" USING btree ("org_id","user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "alert_rules_org_key" ON "alert_rules" USING btree ("org_id","key");--> statement-breakpoint
CREATE INDEX "alert_rules_org_event_idx" ON "alert_rules" USING btree ("org_id","event","active");--> statement-breakpoint
ALTER TABLE "alert_rules" DROP COLUMN "event_type";--> statement-breakpoint
ALTER TABLE "notifications" DROP COLUMN "type";--> statement-breakpoint
ALTER TABLE "notifications" DROP COLUMN "message";--> statement-breakpoint
ALTER TABLE "alert_rules" ADD CONSTRAINT "alert_rules_conditions_object" CHECK (jsonb_typeof("alert_rules"."conditions") = 'object');--> statement-breakpoint
CREATE TRIGGER alert_deliveries_bump_version BEFORE UPDATE ON alert_deliveries FOR EACH ROW EXECUTE FUNCTION fieldsync_bump_version();
