CREATE TABLE "deployment_breakers" (
	"deployment_id" uuid PRIMARY KEY NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"open_until" timestamp with time zone,
	"cooldown_ms" integer DEFAULT 0 NOT NULL,
	"probe_holder" text,
	"probe_until" timestamp with time zone,
	"unhealthy" boolean DEFAULT false NOT NULL,
	"last_error" text,
	"last_error_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "model_deployments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"model_id" uuid NOT NULL,
	"provider" text DEFAULT 'openai' NOT NULL,
	"base_url" text NOT NULL,
	"upstream_model" text,
	"native_responses" boolean DEFAULT false NOT NULL,
	"api_key_encrypted" text,
	"weight" integer DEFAULT 1 NOT NULL,
	"priority" integer DEFAULT 0 NOT NULL,
	"requests_per_minute" integer,
	"tokens_per_minute" integer,
	"connect_timeout_ms" integer DEFAULT 5000 NOT NULL,
	"first_byte_timeout_ms" integer DEFAULT 60000 NOT NULL,
	"idle_timeout_ms" integer DEFAULT 30000 NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "model_deployments_weight_positive" CHECK ("model_deployments"."weight" > 0),
	CONSTRAINT "model_deployments_priority_nonnegative" CHECK ("model_deployments"."priority" >= 0)
);
--> statement-breakpoint
ALTER TABLE "models" ADD COLUMN "fallbacks" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "models" ADD COLUMN "context_window" integer;--> statement-breakpoint
ALTER TABLE "models" ADD COLUMN "routing_strategy" text DEFAULT 'weighted' NOT NULL;--> statement-breakpoint
ALTER TABLE "models" ADD COLUMN "max_attempts" integer DEFAULT 3 NOT NULL;--> statement-breakpoint
ALTER TABLE "models" ADD COLUMN "routing_timeout_ms" integer;--> statement-breakpoint
ALTER TABLE "models" ADD COLUMN "stream_resume" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "models" ADD COLUMN "accepts_prefill" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "usage_records" ADD COLUMN "ttfb_ms" integer;--> statement-breakpoint
ALTER TABLE "usage_records" ADD COLUMN "deployment_id" uuid;--> statement-breakpoint
ALTER TABLE "usage_records" ADD COLUMN "attempts" jsonb;--> statement-breakpoint
ALTER TABLE "deployment_breakers" ADD CONSTRAINT "deployment_breakers_deployment_id_model_deployments_id_fk" FOREIGN KEY ("deployment_id") REFERENCES "public"."model_deployments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_deployments" ADD CONSTRAINT "model_deployments_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "model_deployments_model_idx" ON "model_deployments" USING btree ("model_id");--> statement-breakpoint
ALTER TABLE "models" ADD CONSTRAINT "models_max_attempts_positive" CHECK ("models"."max_attempts" between 1 and 10);