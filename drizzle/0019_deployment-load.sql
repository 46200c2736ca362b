CREATE TABLE "deployment_load" (
	"holder" text NOT NULL,
	"deployment_id" uuid NOT NULL,
	"in_flight" integer NOT NULL,
	"reported_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "deployment_load_holder_deployment_id_pk" PRIMARY KEY("holder","deployment_id")
);
--> statement-breakpoint
ALTER TABLE "deployment_load" ADD CONSTRAINT "deployment_load_deployment_id_model_deployments_id_fk" FOREIGN KEY ("deployment_id") REFERENCES "public"."model_deployments"("id") ON DELETE cascade ON UPDATE no action;