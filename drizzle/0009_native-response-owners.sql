CREATE TABLE "native_response_owners" (
	"upstream_id" text PRIMARY KEY NOT NULL,
	"model_id" uuid NOT NULL,
	"owner" uuid NOT NULL,
	"key_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "native_response_owners_time_idx" ON "native_response_owners" USING btree ("created_at");