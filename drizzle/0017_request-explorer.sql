CREATE TABLE "request_payloads" (
	"request_id" text PRIMARY KEY NOT NULL,
	"key_id" uuid,
	"request_headers" jsonb NOT NULL,
	"request_body" text,
	"request_truncated" boolean DEFAULT false NOT NULL,
	"response_body" text,
	"response_truncated" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "usage_records" ADD COLUMN "client_ip" text;--> statement-breakpoint
ALTER TABLE "usage_records" ADD COLUMN "user_agent" text;--> statement-breakpoint
CREATE INDEX "request_payloads_time_idx" ON "request_payloads" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "usage_time_id_idx" ON "usage_records" USING btree ("created_at","id");