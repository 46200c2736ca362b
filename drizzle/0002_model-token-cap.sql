ALTER TABLE "models" DROP CONSTRAINT "models_max_output_positive";--> statement-breakpoint
ALTER TABLE "models" ALTER COLUMN "max_output_tokens" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "models" ALTER COLUMN "max_output_tokens" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "models" ADD COLUMN "token_cap_field" text;--> statement-breakpoint
ALTER TABLE "models" ADD CONSTRAINT "models_token_cap_field_check" CHECK ("models"."token_cap_field" is null or "models"."token_cap_field" in ('max_tokens', 'max_completion_tokens'));--> statement-breakpoint
ALTER TABLE "models" ADD CONSTRAINT "models_max_output_positive" CHECK ("models"."max_output_tokens" is null or "models"."max_output_tokens" > 0);