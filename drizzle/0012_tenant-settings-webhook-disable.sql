ALTER TABLE "instance_settings" ADD COLUMN "who_may_create_teams" text DEFAULT 'admins' NOT NULL;--> statement-breakpoint
ALTER TABLE "instance_settings" ADD COLUMN "team_invites_create_accounts" text DEFAULT 'admin_teams' NOT NULL;--> statement-breakpoint
ALTER TABLE "instance_settings" ADD COLUMN "webhooks_allow_private_addresses" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "webhooks" ADD COLUMN "disabled_at" timestamp with time zone;