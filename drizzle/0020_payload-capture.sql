DROP INDEX "usage_request_idx";--> statement-breakpoint
ALTER TABLE "teams" ADD COLUMN "payload_capture" jsonb;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "payload_capture" jsonb;--> statement-breakpoint
ALTER TABLE "instance_settings" ADD COLUMN "payload_capture" jsonb;--> statement-breakpoint
CREATE INDEX "usage_request_idx" ON "usage_records" USING btree ("request_id" text_pattern_ops);