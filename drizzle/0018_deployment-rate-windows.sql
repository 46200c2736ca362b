CREATE TABLE "deployment_rate_windows" (
	"deployment_id" uuid NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"requests" integer DEFAULT 0 NOT NULL,
	"tokens" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "deployment_rate_windows_deployment_id_window_start_pk" PRIMARY KEY("deployment_id","window_start"),
	CONSTRAINT "deployment_rate_windows_nonnegative" CHECK ("deployment_rate_windows"."requests" >= 0 and "deployment_rate_windows"."tokens" >= 0)
);
--> statement-breakpoint
ALTER TABLE "deployment_rate_windows" ADD CONSTRAINT "deployment_rate_windows_deployment_id_model_deployments_id_fk" FOREIGN KEY ("deployment_id") REFERENCES "public"."model_deployments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "deployment_rate_windows_start_idx" ON "deployment_rate_windows" USING btree ("window_start");