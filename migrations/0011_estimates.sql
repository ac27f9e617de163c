CREATE TABLE "estimates" (
	"org_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"version" bigint DEFAULT nextval('change_version_seq') NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"number" text NOT NULL,
	"customer_id" uuid NOT NULL,
	"job_id" uuid,
	"title" text NOT NULL,
	"lines" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"tax_rate_basis_points" integer DEFAULT 0 NOT NULL,
	"subtotal_cents" bigint NOT NULL,
	"tax_cents" bigint NOT NULL,
	"total_cents" bigint NOT NULL,
	"currency" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"valid_until" date NOT NULL,
	"notes" text,
	"sent_at" timestamp with time zone,
	"accepted_at" timestamp with time zone,
	"rejected_reason" text,
	"signature_attachment_id" uuid,
	"created_by" uuid,
	CONSTRAINT "estimates_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "estimates_number_format" CHECK ("estimates"."number" ~ '^EST-[0-9]{8}-[A-Z0-9]{6}$'),
	CONSTRAINT "estimates_title_not_blank" CHECK (length(trim("estimates"."title")) > 0),
	CONSTRAINT "estimates_status_check" CHECK (status in ('draft', 'sent', 'accepted', 'rejected', 'expired')),
	CONSTRAINT "estimates_lines_array" CHECK (jsonb_typeof("estimates"."lines") = 'array'),
	CONSTRAINT "estimates_tax_rate_range" CHECK ("estimates"."tax_rate_basis_points" between 0 and 10000),
	CONSTRAINT "estimates_total_adds_up" CHECK ("estimates"."total_cents" = "estimates"."subtotal_cents" + "estimates"."tax_cents")
);
--> statement-breakpoint
CREATE TABLE "price_list_items" (
	"org_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"version" bigint DEFAULT nextval('change_version_seq') NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"unit" text NOT NULL,
	"unit_price_cents" bigint NOT NULL,
	"archived" boolean DEFAULT false NOT NULL,
	CONSTRAINT "price_list_items_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "price_list_items_kind_check" CHECK (kind in ('labor', 'material', 'equipment', 'other')),
	CONSTRAINT "price_list_items_name_not_blank" CHECK (length(trim("price_list_items"."name")) > 0)
);
--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "agreed_cost_cents" bigint;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "actual_cost_cents" bigint;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "cost_difference_reason" text;--> statement-breakpoint
ALTER TABLE "estimates" ADD CONSTRAINT "estimates_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "estimates" ADD CONSTRAINT "estimates_org_id_customer_id_customers_org_id_id_fk" FOREIGN KEY ("org_id","customer_id") REFERENCES "public"."customers"("org_id","id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "estimates" ADD CONSTRAINT "estimates_org_id_job_id_jobs_org_id_id_fk" FOREIGN KEY ("org_id","job_id") REFERENCES "public"."jobs"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "price_list_items" ADD CONSTRAINT "price_list_items_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "estimates_org_number_key" ON "estimates" USING btree ("org_id","number");--> statement-breakpoint
CREATE INDEX "estimates_org_version_idx" ON "estimates" USING btree ("org_id","version");--> statement-breakpoint
CREATE INDEX "estimates_org_customer_idx" ON "estimates" USING btree ("org_id","customer_id");--> statement-breakpoint
CREATE INDEX "estimates_status_valid_until_idx" ON "estimates" USING btree ("status","valid_until");--> statement-breakpoint
CREATE INDEX "price_list_items_org_version_idx" ON "price_list_items" USING btree ("org_id","version");--> statement-breakpoint
CREATE TRIGGER estimates_bump_version BEFORE UPDATE ON estimates FOR EACH ROW EXECUTE FUNCTION fieldsync_bump_version();--> statement-breakpoint
CREATE TRIGGER price_list_items_bump_version BEFORE UPDATE ON price_list_items FOR EACH ROW EXECUTE FUNCTION fieldsync_bump_version();
