CREATE TABLE "concurrency_leases" (
	"key_id" uuid NOT NULL,
	"holder" text NOT NULL,
	"slots" integer NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "concurrency_leases_key_id_holder_pk" PRIMARY KEY("key_id","holder"),
	CONSTRAINT "concurrency_leases_slots_nonnegative" CHECK ("concurrency_leases"."slots" >= 0)
);
--> statement-breakpoint
CREATE TABLE "rate_limit_windows" (
	"key_id" uuid NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"requests" integer DEFAULT 0 NOT NULL,
	"tokens" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "rate_limit_windows_key_id_window_start_pk" PRIMARY KEY("key_id","window_start"),
	CONSTRAINT "rate_limit_windows_nonnegative" CHECK ("rate_limit_windows"."requests" >= 0 and "rate_limit_windows"."tokens" >= 0)
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "allowed_models" text[];--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "requests_per_minute" integer;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "tokens_per_minute" integer;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "max_concurrent" integer;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "budget_period" text DEFAULT 'none' NOT NULL;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "period_start" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "period_spend" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "ip_allowlist" text[];--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "alert_thresholds" integer[] DEFAULT '{50,80,100}'::integer[] NOT NULL;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "paused_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "paused_by" uuid;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "previous_key_hash" text;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "previous_key_expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "rolled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "concurrency_leases" ADD CONSTRAINT "concurrency_leases_key_id_api_keys_id_fk" FOREIGN KEY ("key_id") REFERENCES "public"."api_keys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rate_limit_windows" ADD CONSTRAINT "rate_limit_windows_key_id_api_keys_id_fk" FOREIGN KEY ("key_id") REFERENCES "public"."api_keys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "rate_limit_windows_start_idx" ON "rate_limit_windows" USING btree ("window_start");--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_paused_by_users_id_fk" FOREIGN KEY ("paused_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_previous_hash_idx" ON "api_keys" USING btree ("previous_key_hash");--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_budget_period_check" CHECK ("api_keys"."budget_period" in ('none', 'daily', 'weekly', 'monthly'));--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_rate_limits_positive" CHECK (("api_keys"."requests_per_minute" is null or "api_keys"."requests_per_minute" > 0) and ("api_keys"."tokens_per_minute" is null or "api_keys"."tokens_per_minute" > 0) and ("api_keys"."max_concurrent" is null or "api_keys"."max_concurrent" > 0));--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_period_spend_nonnegative" CHECK ("api_keys"."period_spend" >= 0);