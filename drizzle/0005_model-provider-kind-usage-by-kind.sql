ALTER TABLE "models" ADD COLUMN "provider" text DEFAULT 'openai' NOT NULL;--> statement-breakpoint
ALTER TABLE "models" ADD COLUMN "kind" text DEFAULT 'chat' NOT NULL;--> statement-breakpoint
ALTER TABLE "models" ADD COLUMN "native_responses" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "models" ADD COLUMN "cached_input_price_per_million" bigint;--> statement-breakpoint
ALTER TABLE "models" ADD COLUMN "cache_write_price_per_million" bigint;--> statement-breakpoint
ALTER TABLE "usage_records" ADD COLUMN "cached_input_tokens" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "usage_records" ADD COLUMN "cache_write_tokens" integer DEFAULT 0 NOT NULL;