CREATE TABLE "attachments" (
	"org_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"version" bigint DEFAULT nextval('change_version_seq') NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"job_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"file_name" text NOT NULL,
	"content_type" text NOT NULL,
	"byte_size" bigint NOT NULL,
	"sha256" text NOT NULL,
	"taken_at" timestamp with time zone NOT NULL,
	"caption" text,
	"signer_name" text,
	"uploaded_at" timestamp with time zone,
	"created_by" uuid,
	CONSTRAINT "attachments_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "attachments_kind_check" CHECK (kind in ('photo', 'signature', 'document')),
	CONSTRAINT "attachments_content_type_check" CHECK (content_type in ('image/jpeg', 'image/png', 'image/webp', 'application/pdf')),
	CONSTRAINT "attachments_byte_size_positive" CHECK ("attachments"."byte_size" > 0),
	CONSTRAINT "attachments_sha256_format" CHECK ("attachments"."sha256" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "parent_job_id" uuid;--> statement-breakpoint
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_org_id_job_id_jobs_org_id_id_fk" FOREIGN KEY ("org_id","job_id") REFERENCES "public"."jobs"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "attachments_org_version_idx" ON "attachments" USING btree ("org_id","version");--> statement-breakpoint
CREATE INDEX "attachments_org_job_idx" ON "attachments" USING btree ("org_id","job_id");--> statement-breakpoint
CREATE TRIGGER attachments_bump_version BEFORE UPDATE ON attachments FOR EACH ROW EXECUTE FUNCTION fieldsync_bump_version();