CREATE TABLE "attachment_chunks" (
	"org_id" uuid NOT NULL,
	"attachment_id" uuid NOT NULL,
	"byte_offset" bigint NOT NULL,
	"bytes" "bytea" NOT NULL,
	CONSTRAINT "attachment_chunks_org_id_attachment_id_byte_offset_pk" PRIMARY KEY("org_id","attachment_id","byte_offset")
);
--> statement-breakpoint
CREATE TABLE "attachment_thumbnails" (
	"org_id" uuid NOT NULL,
	"attachment_id" uuid NOT NULL,
	"content_type" text NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"bytes" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "attachment_thumbnails_org_id_attachment_id_pk" PRIMARY KEY("org_id","attachment_id")
);
--> statement-breakpoint
CREATE TABLE "attachment_uploads" (
	"org_id" uuid NOT NULL,
	"attachment_id" uuid NOT NULL,
	"upload_length" bigint NOT NULL,
	"upload_offset" bigint DEFAULT 0 NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "attachment_uploads_org_id_attachment_id_pk" PRIMARY KEY("org_id","attachment_id"),
	CONSTRAINT "attachment_uploads_offset_range" CHECK ("attachment_uploads"."upload_offset" between 0 and "attachment_uploads"."upload_length")
);
--> statement-breakpoint
ALTER TABLE "attachment_chunks" ADD CONSTRAINT "attachment_chunks_org_id_attachment_id_attachment_uploads_org_id_attachment_id_fk" FOREIGN KEY ("org_id","attachment_id") REFERENCES "public"."attachment_uploads"("org_id","attachment_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attachment_thumbnails" ADD CONSTRAINT "attachment_thumbnails_org_id_attachment_id_attachments_org_id_id_fk" FOREIGN KEY ("org_id","attachment_id") REFERENCES "public"."attachments"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attachment_uploads" ADD CONSTRAINT "attachment_uploads_org_id_attachment_id_attachments_org_id_id_fk" FOREIGN KEY ("org_id","attachment_id") REFERENCES "public"."attachments"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Photos and PDFs are already compressed: store the pieces out of line without trying again.
ALTER TABLE "attachment_chunks" ALTER COLUMN "bytes" SET STORAGE EXTERNAL;--> statement-breakpoint
ALTER TABLE "attachment_thumbnails" ALTER COLUMN "bytes" SET STORAGE EXTERNAL;
