-- Work a contractor recorded on the phone before the office's cancellation or
-- reassignment reached it is kept, marked (see packages/domain/src/rules/late-work.ts).
ALTER TABLE "job_notes" ADD COLUMN "recorded_after_cancellation" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "materials" ADD COLUMN "recorded_after_cancellation" boolean DEFAULT false NOT NULL;